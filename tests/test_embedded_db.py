"""The embedded PostgreSQL of `make run` stops with the portal, by Ctrl-C or by a signal: no
server and no pid file are left behind."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.mail_server import free_port

ROOT = Path(__file__).resolve().parent.parent


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_embedded_server_stops_when_the_portal_stops(tmp_path, stop):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path),
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    postgres = None
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "the portal did not start"
                assert time.monotonic() < deadline, "the portal did not answer"
                time.sleep(0.5)
        pid_file = tmp_path / "pgdata" / "postmaster.pid"
        postgres = int(pid_file.read_text().splitlines()[0])
        assert _alive(postgres)

        server.send_signal(stop)
        server.wait(timeout=30)

        deadline = time.monotonic() + 30
        while _alive(postgres) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(postgres), "the embedded PostgreSQL is still running"
        assert not pid_file.exists()
    finally:
        if server.poll() is None:
            server.kill()
        if postgres is not None and _alive(postgres):  # a failed run leaves nothing running
            os.kill(postgres, signal.SIGTERM)
