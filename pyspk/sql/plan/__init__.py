"""Logical plans: the relational operators both the DataFrame API and SQL build."""
