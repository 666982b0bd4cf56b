"""The benchmark's results: the JSON issue 15 asks for, and a table to read.

{"machine": {...},
 "pages": {NAME: {"queries": int, "median_ms": float, "p95_ms": float, "rps": float|null,
                  "ratio_to_trivial": float|null, "peak_rss_growth_mb": float|null}},
 "growth": {NAME: float}}
"""

import datetime
import os
import platform
import sys
from pathlib import Path

import django
from django.db import connection

from portal.bench.pages import NAMES


def machine() -> dict:
    """The machine and software the numbers were taken on."""
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_available": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else None,
        "memory_gb": memory_gb,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "postgresql": postgresql,
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def page_entry(timing=None, *, rps=None, ratio=None, growth_mb=None) -> dict:
    return {
        "queries": timing.queries if timing else None,
        "median_ms": timing.median_ms if timing else None,
        "p95_ms": timing.p95_ms if timing else None,
        "rps": round(rps, 1) if rps is not None else None,
        "ratio_to_trivial": round(ratio, 3) if ratio is not None else None,
        "peak_rss_growth_mb": growth_mb,
    }


def table(result: dict, growth_details: dict) -> str:
    """The results as text: one line per page, then the growth."""
    lines = [
        f"{'page':<28} {'queries':>7} {'median ms':>10} {'p95 ms':>10} {'req/s':>8} "
        f"{'× trivial':>9} {'RSS +MB':>8}"
    ]

    def show(value, spec):
        return "—" if value is None else format(value, spec)

    for name in NAMES:
        entry = result["pages"].get(name)
        if entry is None:
            continue
        lines.append(
            f"{name:<28} {show(entry['queries'], 'd'):>7} {show(entry['median_ms'], ',.1f'):>10} "
            f"{show(entry['p95_ms'], ',.1f'):>10} {show(entry['rps'], ',.1f'):>8} "
            f"{show(entry['ratio_to_trivial'], '.3f'):>9} "
            f"{show(entry['peak_rss_growth_mb'], '.1f'):>8}"
        )
    if result["growth"]:
        lines.append("")
        lines.append(
            f"{'growth':<28} {'pledges':>15} {'queries':>9} {'median ms':>17} {'× time':>7}"
        )
        for name, ratio in result["growth"].items():
            small, large = growth_details[name]
            lines.append(
                f"{name:<28} {small['pledges']:>6,} → {large['pledges']:>6,} "
                f"{small['queries']:>3} → {large['queries']:<3} "
                f"{small['median_ms']:>7,.1f} → {large['median_ms']:<7,.1f} {ratio:>7.2f}"
            )
    failures = result["machine"].get("failures")
    if failures:
        lines.append("")
        lines.extend(f"{name}: {message}" for name, message in failures.items())
    return "\n".join(lines)
