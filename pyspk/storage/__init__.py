"""Executor-side storage: scratch directories, the block manager and the block server."""
