"""Repositories: each satisfies one Protocol of ``services/ports.py`` on a SQLAlchemy session."""
