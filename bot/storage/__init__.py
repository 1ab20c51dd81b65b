"""Persistence: SQLAlchemy models, the database runner, repositories and Alembic migrations."""
