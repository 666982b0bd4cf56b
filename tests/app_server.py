"""The production app server for tests: gunicorn started with the repository's
gunicorn.conf.py, as `make serve` and docs/deployment.md start it, against the test database
(the `app_server` fixture in tests/conftest.py)."""

import dataclasses
import email.message
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from tests.mail_server import free_port

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]


def portal_environment(tmp_path, **extra) -> dict[str, str]:
    """The test run's environment for a process of the portal on the test database, with
    `extra` on top (a value of None leaves that variable out)."""
    database = connection.settings_dict
    merged = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra,
    }
    return {name: value for name, value in merged.items() if value is not None}


@dataclasses.dataclass
class Response:
    status: int
    headers: email.message.Message
    content: bytes


class AppServer:
    """gunicorn with the repository's configuration on a free port, its logs in `folder`;
    `environment` adds to (or, with None, removes from) the test run's (portal_environment).
    With wait=False, start several at once, then wait_until_ready() for each."""

    def __init__(
        self,
        folder,
        *arguments,
        environment: dict[str, str | None] | None = None,
        wait: bool = True,
    ):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"
        with self.access_log.open("w") as stdout, self.error_log.open("w") as stderr:
            self.process = subprocess.Popen(
                [*GUNICORN, "--bind", f"127.0.0.1:{self.port}", "--workers", "2", *arguments],
                cwd=ROOT,
                env=portal_environment(folder, **(environment or {})),
                stdout=stdout,
                stderr=stderr,
            )
        if wait:
            self.wait_until_ready()

    def wait_until_ready(self):
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/healthz", timeout=5)
                return
            except OSError:  # refused, or a worker still starting (timed out)
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(
                        f"gunicorn did not answer:\n{self.error_log.read_text()}"
                    ) from None
                time.sleep(0.3)

    def get(self, path, timeout=90, **headers) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def terminate(self):
        """Ask gunicorn to stop (its workers finish their requests first)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self):
        self.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
