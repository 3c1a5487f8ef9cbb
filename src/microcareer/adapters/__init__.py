"""Outward I/O other than the database: ESCO CSV files, password hashing."""
