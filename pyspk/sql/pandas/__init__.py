"""pandas and Arrow batch APIs of DataFrames (grouped map, cogroup, pandas UDFs)."""
