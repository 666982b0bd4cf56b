"""The database's clock, which every machine of the portal shares."""

import datetime

from django.db import connection


def database_now() -> datetime.datetime:
    """Now, as PostgreSQL says (inside a transaction: when it began). Processes on several
    machines that judge each other's times (the workers' heartbeats) use this one clock, so a
    machine whose own clock is off neither looks stopped nor takes back live work."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]
