"""The real kiosk app under Xvfb, against a real local server: the tour photographs every screen and
every error screen in both languages, at every supported window size, and the layout checker looks
at each of them there."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import SUPPORTED_SIZES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.ui


SIZES = [f"{w}x{h}" for w, h in SUPPORTED_SIZES]


@pytest.fixture(scope="module")
def tour(tmp_path_factory):
    """One tour of the real app, each screen photographed and checked at every supported size
    (the window resized between them): OUTDIR/WxH/ and OUTDIR/layout.json."""
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    tmp = tmp_path_factory.mktemp("tour")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "SAMBUT_SERVER_SERVER__DATABASE_URL": f"sqlite:///{tmp}/fo.sqlite3",
        "SAMBUT_KIOSK_SERVER__URL": f"http://127.0.0.1:{port}",
        "SAMBUT_KIOSK_SERVER__TOKEN_FILE": str(tmp / "kiosk.token"),
    }
    out = tmp / "tour"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "ui" / "layout_app.py"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=720,  # about 5 minutes on an idle 2-core machine; more on a loaded one
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp / "kiosk.token").read_text().startswith("sbk_")
    return out


@pytest.mark.timeout(780)
def test_tour_photographs_every_screen_in_both_languages_at_every_size(tour):
    for size in SIZES:
        shots = sorted((tour / size).glob("*.png"))
        assert len(shots) == len(list((tour / SIZES[0]).glob("*.png"))), size
        for png in shots:
            assert png.stat().st_size > 10_000, png
        assert "01-en-attract.png" in (tour / size / "index.html").read_text()
    out = tour / SIZES[0]
    screens = json.loads((out / "screens.json").read_text())
    names = {name.split("-", 2)[2].removesuffix(".png") for name in screens}
    expected = [
        "attract",
        "find",
        "enter-code",
        "enter-name",
        "wait",
        "choose",
        "identity",
        "id-photo",
        "registration",
        "terms",
        "signature",
        "room",
        "payment",
        "paying",
        "finish",
        "finish-no-printer",
        "help",
        "still-there",
        "problem-not-found",
        "problem-id-mismatch",
        "problem-id-expired",
        "problem-photo-no-document",
        "problem-room-not-ready",
        "problem-payment-declined",
        "problem-offline",
        "checkout-find",
        "checkout-enter",
        "checkout-folio",
        "checkout-payment",
        "checkout-paying",
        "checkout-early",
        "checkout-finish",
        "checkout-finish-no-printer",
        "problem-checkout-already-out",
        "problem-checkout-offline",
        "walkin-dates",
        "walkin-guests",
        "walkin-rooms",
        "walkin-quote",
        "walkin-identity",
        "walkin-details",
        "walkin-registration",
        "walkin-payment",
        "walkin-sold-out",
        "problem-walkin-offline",
        "admin-pin",
        "admin-pin-wrong",
        "admin-pin-locked",
        "admin-status",
        "admin-payments",
        "admin-end-of-day",
        "admin-devices",
        "admin-setup-driver",
        "admin-setup-settings",
        "admin-setup-keyboard",
        "admin-setup-test-passed",
        "admin-setup-test-failed",
        "admin-setup-camera",
        "admin-logs",
        "admin-diagnostics",
        "out-of-service",
    ]
    for screen in expected:
        assert screen in names, screen
        for lang in ("en", "id"):
            assert any(n.split("-", 2)[1] == lang and n.endswith(f"-{screen}.png") for n in screens), (
                lang,
                screen,
            )
    attract = {
        lang: next(texts for n, texts in screens.items() if n.endswith(f"{lang}-attract.png"))
        for lang in ("en", "id")
    }
    assert "Check in" in attract["en"] and "Check-in" in attract["id"]
    assert "Check out" in attract["en"] and "Check-out" in attract["id"]
    assert "Book a room" in attract["en"] and "Pesan kamar" in attract["id"]
    assert "Hotel Sambut Jakarta" in attract["en"]
    # A mismatch offers staff and start over, nothing else; the already-checked-in guest's room
    # number is nowhere before identity.
    mismatch = next(texts for n, texts in screens.items() if n.endswith("en-problem-id-mismatch.png"))
    assert "Call staff" in mismatch and "Start over" in mismatch and "Try again" not in mismatch
    already = next(texts for n, texts in screens.items() if n.endswith("en-problem-already-checked-in.png"))
    finish = next(texts for n, texts in screens.items() if n.endswith("en-finish.png"))  # the same guest
    rooms = [t for t in finish if len(t) <= 5 and t.isalnum() and any(c.isdigit() for c in t)]
    assert rooms and not any(room in " ".join(already) for room in rooms), (rooms, already)

    def said(lang: str, screen: str) -> str:
        return " | ".join(next(texts for n, texts in screens.items() if n.endswith(f"-{lang}-{screen}.png")))

    # The charge confirmed with its breakdown; leaving early asked first; two rooms as rooms.
    assert "Please check before you pay" in said("en", "payment") and "Total" in said("en", "payment")
    assert "You are leaving before your departure date" in said("en", "checkout-early")
    assert "Your booking has 2 rooms" in said("en", "choose")
    assert "Quiet hours" in said("en", "terms") and "Tata tertib hotel" in said("id", "terms")
    assert "Pemesanan Anda memiliki 2 kamar" in said("id", "choose")
    finish_id = next(texts for n, texts in screens.items() if n.endswith("id-payment.png"))
    assert any(t.startswith("Rp ") for t in finish_id)
    # The way to the room in the guest's language (the demo hotel wrote it in both).
    room = {
        lang: next(t for n, t in screens.items() if n.endswith(f"{lang}-room.png")) for lang in ("en", "id")
    }
    assert any(t.startswith("Take the lift") or t.startswith("Ground floor") for t in room["en"]), room["en"]
    assert any(t.startswith("Naik lift") or t.startswith("Lantai dasar") for t in room["id"]), room["id"]


@pytest.mark.timeout(780)
def test_layout_of_every_screen_at_every_size_in_both_languages(tour):
    """No text outside or clipped by its box, none over another widget, no word broken inside,
    touch targets of 9 mm at least (tests/ui/layout_check.py: the panels assumed per size)."""
    found = json.loads((tour / "layout.json").read_text())
    assert sorted(found) == sorted(SIZES)
    faults = [
        f"{shot.removesuffix('.png')} at {size} ({shot.split('-')[1]}): {fault}"
        for size, shots in found.items()
        for shot, faults in shots.items()
        for fault in faults
    ]
    assert not faults, f"{len(faults)} layout faults:\n" + "\n".join(faults)
