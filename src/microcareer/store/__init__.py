"""SQLAlchemy 2.0 store: tables, repositories, the unit of work and Alembic migrations."""
