"""The layout checker finds what it is meant to find: an amount over its title, a word broken by
wrapping, a text cut short, a text larger than its box, a touch target under 9 mm; and leaves a
scroll view's content alone where it scrolls."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.ui


@pytest.mark.timeout(60)
def test_the_checker_names_each_fault_and_its_widget(tmp_path):
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    report = tmp_path / "faults.json"
    result = subprocess.run(
        [sys.executable, str(HERE / "checker_app.py"), str(report)],
        env={**os.environ, "KIVY_HOME": str(tmp_path / "kivy")},
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert report.exists(), result.stderr[-3000:]
    found = "\n".join(json.loads(report.read_text()))
    assert "#amount 'IDR 3,251,875': overlaps #title 'Payment'" in found or (
        "#title 'Payment': overlaps #amount 'IDR 3,251,875'" in found
    ), found
    assert "#amount 'IDR 3,251,875': text" in found and "larger than its box" in found, found
    assert "#welcome 'Welcome': word broken inside" in found, found
    assert "#shortened 'Hotel Sambut Jakarta Selatan': text cut short" in found, found
    assert "#tiny 'x': touch target" in found and "under 9 mm" in found, found
    assert "#long" not in found, found
