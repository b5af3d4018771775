"""File sources and sinks: Parquet, ORC, CSV, JSON lines and text."""
