"""Databases of the benchmarks: each script keeps its corpus in a database of its own."""

from __future__ import annotations


def create_database_if_missing(url: str) -> None:
    """Create the database named at the end of `url` (PostgreSQL) unless it exists."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
