"""The explorer's long run, one command (under Xvfb):
`xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python bench/explorer_bench.py --actions 1000 --seed 1`

The real kiosk app driven by seeded random actions with faults injected (tests/ui/explorer.py),
against a fresh local server and the simulators; prints the actions run by kind, the faults
injected, the screens visited, the invariants held or violated, and the wall time. Exits 1 on a
violation, printing it with the seed and the action trail that led to it.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.explorer import TIMEOUTS  # noqa: E402

INVARIANTS = {
    "screen": "the screen shown is the journey's step",
    "drawn": "every screen is drawn",
    "logged": "no ERROR or exception logged",
    "thread": "no thread died of an exception",
    "payment": "kiosk and server agree on every payment",
}


def explore(seed: int, actions: int, tmp: Path, size: str = "1280x800") -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = tmp / "report.json"
    env = {
        **os.environ,
        **TIMEOUTS,
        "SAMBUT_SERVER_SERVER__DATABASE_URL": f"sqlite:///{tmp / 'fo.sqlite3'}",
        "SAMBUT_KIOSK_SERVER__URL": f"http://127.0.0.1:{port}",
        "SAMBUT_KIOSK_SERVER__TOKEN_FILE": str(tmp / "kiosk.token"),
        "SAMBUT_KIOSK_STORE__PATH": str(tmp / "kiosk.sqlite3"),
        "SAMBUT_KIOSK_KIOSK__WINDOW_SIZE": json.dumps([int(v) for v in size.split("x")]),
    }
    script = ROOT / "tests" / "ui" / "explorer.py"
    result = subprocess.run(
        [sys.executable, str(script), str(report), str(seed), str(actions)],
        env=env,
        capture_output=True,
        text=True,
    )
    if not report.exists():
        sys.exit(f"the explorer wrote no report (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def table(data: dict) -> str:
    rows = [("actions run", str(sum(data.get("kinds", {}).values())), "")]
    rows += [
        (f"  {kind}", str(n), "") for kind, n in sorted(data.get("kinds", {}).items(), key=lambda kv: -kv[1])
    ]
    rows.append(("faults injected", str(sum(data.get("faults", {}).values())), ""))
    rows += [(f"  {fault}", str(n), "") for fault, n in sorted(data.get("faults", {}).items())]
    screens = data.get("screens", {})
    rows.append(("screens visited", str(len(screens)), ", ".join(sorted(screens))))
    pay = data.get("payments", {})
    rows.append(
        (
            "payments approved on the terminal",
            str(pay.get("approved", "-")),
            f"on the server {pay.get('on_server', '-')}, under review {pay.get('under_review', '-')}",
        )
    )
    violated = {v["kind"] for v in data["violations"]}
    why = f"{data.get('failure', '')} {data.get('robot_failure', '')}".strip()
    rows.append(("app ran to the end", "held" if data["completed"] else "VIOLATED", why))
    for kind, what in INVARIANTS.items():
        count = sum(v["kind"] == kind for v in data["violations"])
        rows.append((what, "VIOLATED" if kind in violated else "held", f"{count} times" if count else ""))
    missed = data.get("missed_touches", {})
    rows.append(("touches a button did not get", str(sum(missed.values())), ", ".join(sorted(missed))))
    warnings = Counter(f"{w['logger']}: {w['message'][:60]}" for w in data.get("warnings", []))
    rows += [
        ("warning logged" if i == 0 else "", str(n), text)
        for i, (text, n) in enumerate(warnings.most_common(5))
    ]
    rows.append(("wall time", f"{data['wall_s']:.0f} s", f"exploring {data.get('explore_s', 0):.0f} s"))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a:<{width}}  {b:>8}  {c}".rstrip() for a, b, c in rows)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="1280x800", help="window size WxH (`make run` opens 1280x800)")
    parser.add_argument("--report", type=Path, help="also keep the explorer's whole JSON report here")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit('run it under Xvfb: xvfb-run -a -s "-screen 0 1280x800x24" python bench/explorer_bench.py')
    with tempfile.TemporaryDirectory(prefix="explorer-") as tmp:
        data = explore(args.seed, args.actions, Path(tmp), args.size)
    if args.report:
        args.report.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"explorer: seed {args.seed}, {args.actions} actions, {args.size}")
    print(table(data))
    for v in data["violations"]:
        print(f"\n--- {v['kind']} after action {v['action']} (seed {args.seed}):\n{v['detail']}")
        print("trail:\n  " + "\n  ".join(v["trail"][-30:]))
    if not data["completed"]:
        print("\ntrail:\n  " + "\n  ".join(data.get("trail", [])[-30:]))
    return 0 if data["completed"] and not data["violations"] else 1


if __name__ == "__main__":
    sys.exit(main())
