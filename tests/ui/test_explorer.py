"""The explorer's short run (tests/ui/explorer.py): the real app under Xvfb driven by seeded random
touches, typing, scans, waits past every timeout, language switches and faults (paper out, a
declined card, the terminal dropping the line, the server away and back), holding its invariants.

On a failure it prints the seed and the action trail; replay it with
`xvfb-run -a .venv/bin/python bench/explorer_bench.py --seed SEED --actions N`."""

import json

import pytest

from tests.ui.explorer import TIMEOUTS
from tests.ui.harness import run_app

pytestmark = [pytest.mark.ui, pytest.mark.timeout(300)]
SEED, ACTIONS = 14, 200


def test_the_explorer_holds_its_invariants(tmp_path):
    print(f"explorer seed {SEED}, {ACTIONS} actions")
    with run_app(
        "explorer.py", tmp_path, timeout=280, env=TIMEOUTS, args=(str(SEED), str(ACTIONS)), check=False
    ) as (
        data,
        _session,
    ):
        pass
    replay = f"seed {SEED}, {ACTIONS} actions; trail:\n" + "\n".join(data.get("trail", [])[-80:])
    assert data["completed"], f"{data['failure']} {data.get('robot_failure', '')}\n{replay}"
    assert data["violations"] == [], json.dumps(data["violations"][:5], ensure_ascii=False, indent=1)
    assert data["drained"] and data["payments"]["missing"] == 0 and data["payments"]["phantom"] == 0
    assert sum(data["kinds"].values()) == ACTIONS and len(data["screens"]) >= 5
