"""Executor processes: run tasks the driver sends, keep cached blocks, serve shuffle output."""
