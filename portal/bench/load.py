"""A load generator: N connections asking for one address as fast as they are answered.

Plain asyncio, no package to install. gunicorn's sync workers close the connection after each
response, so each request opens its own, as wrk's do against them. Each connection carries a
session cookie of its own: people do not share a session, and SESSION_SAVE_EVERY_REQUEST
writes the session's row on every request. The generator's own CPU time is reported, to show
that it is not what limits the throughput on a small machine.
"""

import asyncio
import concurrent.futures
import dataclasses
import functools
import time


@dataclasses.dataclass
class Load:
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def add(self, other: "Load") -> None:
        self.ok += other.ok
        self.failed += other.failed
        self.seconds += other.seconds
        self.cpu_seconds += other.cpu_seconds

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def run(port: int, path: str, cookies: list[str], *, connections: int, seconds: float) -> Load:
    """`connections` connections ask for `path` for `seconds`; a request begun before the end
    is waited for and counted, and the time runs until the last one is answered."""
    cpu = time.process_time()
    started = time.perf_counter()
    # A thread of its own: the caller may already run an event loop (a browser test's
    # Playwright does), and asyncio.run() refuses to start a second one in the same thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        ok, failed = thread.submit(
            asyncio.run, _run(port, path, cookies or [""], connections, seconds)
        ).result()
    return Load(ok, failed, time.perf_counter() - started, time.process_time() - cpu)


async def _run(port, path, cookies, connections, seconds) -> tuple[int, int]:
    deadline = time.perf_counter() + seconds
    tasks = [
        _connection(port, _request(port, path, cookies[index % len(cookies)]), deadline)
        for index in range(connections)
    ]
    results = await asyncio.gather(*tasks)
    return sum(ok for ok, _failed in results), sum(failed for _ok, failed in results)


def _request(port: int, path: str, cookie: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class _Exchange(asyncio.Protocol):
    """One request on a new connection, and its answer up to the server's close. A protocol
    rather than asyncio's streams: about a third less of the generator's CPU per request."""

    def __init__(self, request: bytes, answered: asyncio.Future):
        self.request = request
        self.answered = answered
        self.head = b""

    def connection_made(self, transport) -> None:
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        if len(self.head) < 12:
            self.head += data[:12]

    def connection_lost(self, error) -> None:
        if not self.answered.done():
            self.answered.set_result(self.head)


async def _connection(port: int, request: bytes, deadline: float) -> tuple[int, int]:
    loop = asyncio.get_running_loop()
    ok = failed = 0
    while time.perf_counter() < deadline:
        answered = loop.create_future()
        try:
            exchange = functools.partial(_Exchange, request, answered)
            await loop.create_connection(exchange, "127.0.0.1", port)
            head = await answered
        except OSError:
            failed += 1
            continue
        if head[9:12] == b"200":
            ok += 1
        else:
            failed += 1
    return ok, failed
