"""pyspk's version (the Spark API level it follows is 4.x)."""
__version__ = "0.1.0"
