"""SIGKILL the kiosk at random points of check-in, payment and sync; restart; drain: the server
holds exactly one check-in and one payment per guest. A short run; bench/sync_soak.py runs 200+."""

from __future__ import annotations

import random

from tests.e2e.crash import run_trial
from tests.e2e.crash_check import records, trial_hotel

TRIALS = 2
GUESTS = 3


def test_kiosk_killed_at_random_moments_loses_and_doubles_nothing(server, db, tmp_path):
    rng = random.Random()
    for i in range(TRIALS):
        token, ids = trial_hotel(db, f"C{i}", GUESTS)
        trial = run_trial(tmp_path / f"trial{i}", server.url, token, ids, rng)
        counts = records(db, ids)
        assert counts == {"checked in once": GUESTS, "paid once": GUESTS}, (trial, counts)
