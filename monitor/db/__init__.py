"""Persistence: tables, engine and session factory, named queries and claims, migrations."""
