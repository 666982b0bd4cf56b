"""The production app server, started for the benchmark: gunicorn with the repository's
gunicorn.conf.py, DEBUG off, as `make serve` runs it, on a free port of this machine, against
this process's database and secret key (the sessions signed in here are valid there), with
the bare view on (BENCH_VIEWS).

A worker's memory is read from /proc: its resident set now (VmRSS) and its peak (VmHWM),
which writing 5 to /proc/PID/clear_refs sets back to the resident set, so that the peak of
one request can be told.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}{port}/"
        f"{database['NAME']}"
    )


class AppServer:
    def __init__(self, log_path: Path, *, workers: int):
        self.port = free_port()
        self.log_path = log_path
        self.worker_count = workers
        environment = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "WEB_CONCURRENCY": str(workers),
            "BENCH_VIEWS": "true",
            "DATABASE_URL": database_url(),
        }
        with log_path.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and gunicorn)
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    str(ROOT / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()

    def _wait_until_ready(self, replacing: frozenset[int] = frozenset()) -> None:
        deadline = time.monotonic() + 90
        while True:
            try:
                workers = set(self.workers())
                if (
                    len(workers) == self.worker_count
                    and not workers & replacing
                    and self.get("/healthz", timeout=5)[0] == 200
                ):
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.3)

    def renew_workers(self) -> None:
        """New workers, which have served nothing yet (SIGHUP: the running ones finish)."""
        old = frozenset(self.workers())
        self.process.send_signal(signal.SIGHUP)
        self._wait_until_ready(replacing=old)

    def get(self, path: str, *, cookie: str = "", timeout: float = 120) -> tuple[int, int]:
        """The status and the size of the body of one request."""
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            client.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            answer = client.getresponse()
            return answer.status, len(answer.read())
        finally:
            client.close()

    def workers(self) -> list[int]:
        """The worker processes: the master's children (gunicorn renews them as it goes)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …; comm may hold spaces and parentheses.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid:
                found.append(int(entry.name))
        return sorted(found)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Set the process's peak back to its resident set; False where the kernel refuses."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_growth_mb(server: AppServer, path: str, cookie: str) -> float:
    """How far the worker that serves `path` grows above its resident set while serving it,
    in MB: the largest growth among the workers (the other one idles)."""
    baselines = {}
    for pid in server.workers():
        reset = reset_peak(pid)
        memory = memory_kb(pid)
        # Without clear_refs, only growth beyond the peak so far is seen.
        baselines[pid] = memory["VmRSS"] if reset else memory["VmHWM"]
    status, _size = server.get(path, cookie=cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status} on the app server")
    growth = 0
    for pid, baseline in baselines.items():
        try:
            peak = memory_kb(pid)["VmHWM"]
        except OSError:  # renewed meanwhile (max_requests)
            continue
        growth = max(growth, peak - baseline)
    return round(growth / 1024, 1)
