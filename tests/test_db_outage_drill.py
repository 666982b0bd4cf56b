"""The outage drill (scripts/db_outage_drill.py) as part of the suite: a private embedded
PostgreSQL stopped, started and frozen under load, the portal answering 503s and recovering.
About 50 s; deselect with `-m "not drill"`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

DRILL = Path(__file__).resolve().parent.parent / "scripts" / "db_outage_drill.py"


@pytest.mark.drill
def test_the_portal_rides_out_a_database_outage(tmp_path):
    summary = tmp_path / "drill.json"
    drill = subprocess.Popen(
        [sys.executable, str(DRILL), "--json", str(summary)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = drill.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        drill.terminate()  # SIGTERM: the drill stops its servers and removes its folder
        out, err = drill.communicate(timeout=60)
        pytest.fail(f"the drill took over 240 s\n{out}\n{err}")
    assert drill.returncode == 0, out + err
    result = json.loads(summary.read_text())
    assert result["failures"] == []
    assert result["stopped_503"]["count"] > 0
    assert result["stopped_503"]["max_ms"] < 1000
    assert result["recovery_seconds_after_start"] < 2
    assert result["frozen_503"]["max_ms"] < 7000
