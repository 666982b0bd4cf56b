"""A smaller data set beside the benchmark's, for how a page's time grows with the data.

The smaller database is a copy of this one's schema (CREATE DATABASE … TEMPLATE, which needs
this database to have no other session open, so the app server is stopped by then; otherwise
an empty database is migrated), emptied and seeded by seed_bulk with fewer pledges. This
process uses it for the time of the measurement, then drops it.
"""

import contextlib
import secrets

import psycopg
from django.core.management import call_command
from django.db import connection


def _server_cursor() -> psycopg.Connection:
    """A connection to the server's maintenance database, outside any transaction."""
    database = connection.settings_dict
    params = {
        "dbname": "postgres",
        "user": database["USER"],
        "password": database["PASSWORD"],
        "host": database["HOST"],
        "port": database["PORT"],
    }
    return psycopg.connect(
        **{key: value for key, value in params.items() if value}, autocommit=True
    )


@contextlib.contextmanager
def smaller_data_set(pledges: int):
    """This process works on a database seeded with `pledges` pledges until the end of the
    block."""
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    name = f"{original}_growth"[:63]
    quote = connection.ops.quote_name
    connection.close()
    with _server_cursor() as server:
        server.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        try:
            server.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(original)}")
            migrated = True
        except psycopg.errors.ObjectInUse:
            server.execute(f"CREATE DATABASE {quote(name)}")
            migrated = False
    settings_dict["NAME"] = name
    try:
        if not migrated:
            call_command("migrate", verbosity=0, interactive=False)
        call_command(
            "seed_bulk",
            pledges=pledges,
            flush=migrated,
            password=secrets.token_urlsafe(16),
            verbosity=0,
        )
        yield name
    finally:
        connection.close()
        settings_dict["NAME"] = original
        with _server_cursor() as server:
            server.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
