"""The explorer's short run (tests/ui/explorer.py): the real app under Xvfb at the size `make run`
opens, driven by seeded random touches, typing, scans, waits past every timeout, language switches
and faults (paper out, a declined card, the terminal dropping the line, the server away and back),
holding its invariants: it never exits, logs no error, draws every screen, and kiosk and server
agree on every payment.

A failure prints the seed and the action trail; replay it (and more) with
`xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python bench/explorer_bench.py --seed SEED --actions N`."""

import json

import pytest

from tests.ui.explorer import TIMEOUTS
from tests.ui.harness import run_app

pytestmark = [pytest.mark.ui, pytest.mark.timeout(300)]
SEED, ACTIONS = 14, 150


def test_the_explorer_holds_its_invariants(tmp_path):
    print(f"explorer: seed {SEED}, {ACTIONS} actions")
    args = (str(SEED), str(ACTIONS))
    with run_app("explorer.py", tmp_path, timeout=280, env=TIMEOUTS, args=args, check=False) as (data, _):
        pass
    replay = f"seed {SEED}, {ACTIONS} actions; the last actions:\n" + "\n".join(data.get("trail", [])[-60:])
    assert data["completed"], f"{data['failure']} {data.get('robot_failure', '')}\n{replay}"
    assert data["violations"] == [], f"seed {SEED}: " + json.dumps(
        data["violations"][:3], ensure_ascii=False, indent=1
    )
    assert data["drained"] and data["payments"]["missing"] == data["payments"]["phantom"] == 0
    assert sum(data["kinds"].values()) == ACTIONS and len(data["screens"]) >= 8  # it got around
