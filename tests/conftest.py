"""Fixtures shared across test folders."""

import logging

import pytest


@pytest.fixture
def debug_log(tmp_path):
    """Everything logged, at DEBUG, into a file under tmp_path/kiosk: the card-data tests scan it."""
    log_path = tmp_path / "kiosk" / "kiosk.log"
    log_path.parent.mkdir(parents=True)
    handler = logging.FileHandler(log_path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield log_path
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()
