"""The kiosk API against an independent fuzzer: schemathesis's own command line, with all its checks,
against the real server on loopback with a kiosk token, on both databases. Bounded in examples."""

import json
import os
import subprocess
import sys
from pathlib import Path

from frontoffice.models import Property
from frontoffice.services import kiosks
from tests.server.live import live_server

HERE = Path(__file__).parent
MAX_EXAMPLES = 25
SEED = 20261127


def test_schemathesis_finds_nothing(db, hotel, tmp_path):
    with db.session(write=True) as session:
        token = kiosks.add_kiosk(session, session.get_one(Property, hotel.id), "fuzz")[1]
    report = tmp_path / "report"
    with live_server(db) as url:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("st")),
                f"--config-file={HERE / 'schemathesis.toml'}",
                "run",
                f"{url}/openapi.json",
                "--checks=all",
                f"--max-examples={MAX_EXAMPLES}",
                f"--seed={SEED}",
                "--include-path-regex=^/(api/v1/|health)",  # the dashboard is HTML for people
                "--workers=1",
                "--report=ndjson",
                f"--report-dir={report}",
                "--no-color",
            ],
            env={
                **os.environ,
                "SAMBUT_FUZZ_TOKEN": token,
                "SCHEMATHESIS_HOOKS": "tests.server.fuzz_hooks",
                "PYTHONPATH": str(HERE.parents[1]),
            },
            cwd=tmp_path,  # its cache (.schemathesis/) stays out of the work tree
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    summary = run.stdout.strip().splitlines()
    print(*summary[-12:], sep="\n")  # the counts, for the README's figures (pytest -s)
    events = [json.loads(line) for line in next(report.glob("*.ndjson")).read_text().splitlines()]
    assert events, "schemathesis wrote no events"
