"""Physical execution of optimised logical plans over Arrow tables."""
