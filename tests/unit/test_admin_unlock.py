"""Unlocking admin mode: the corner gesture, PINs and badges, lockout with countdown, idle close."""

import pytest

from kiosk.admin.credentials import CredentialError, hash_pin, hash_secret, verify_secret
from kiosk.admin.unlock import AdminError, CornerHold, GestureSpec, Outcome
from tests.admin_rig import ANNA_UID, BUDI_UID, CHEAP, STAFF_PIN, TECH_PIN, Clock, admin_mode


@pytest.fixture
def clock():
    return Clock()


def events(mode):
    return [(r.event, r.actor) for r in mode.audit.records()]


def test_hashes_are_salted_and_verify():
    a, b = hash_secret("2468", n=CHEAP), hash_secret("2468", n=CHEAP)
    assert a != b and a.startswith(f"scrypt${CHEAP}$8$1$")
    assert verify_secret("2468", a) and not verify_secret("2469", a)
    with pytest.raises(CredentialError):
        hash_pin("12a4")
    with pytest.raises(CredentialError):
        verify_secret("2468", "md5$abc")


@pytest.mark.parametrize(
    ("corner", "point", "inside"),
    [
        ("top-left", (10, 790), True),  # Kivy: y grows upwards, so the top is near the height
        ("top-left", (10, 10), False),
        ("bottom-right", (1275, 5), True),
        ("top-right", (1190, 790), False),  # 80 px square on an 800 px tall screen
    ],
)
def test_gesture_corner(corner, point, inside):
    assert GestureSpec(corner, 3.0, 0.1).contains(*point, 1280, 800) is inside


def test_holding_the_corner_fires_once_after_the_hold_time(clock):
    hold = CornerHold(GestureSpec("top-left", 3.0, 0.1), clock)
    hold.down(5, 795, 1280, 800)
    clock.advance(2.9)
    assert not hold.poll() and hold.progress() == pytest.approx(2.9 / 3)
    hold.move(50, 780, 1280, 800)  # still in the corner
    clock.advance(0.1)
    assert hold.poll()
    assert not hold.poll()
    hold.down(5, 795, 1280, 800)
    hold.move(400, 400, 1280, 800)  # slid out
    clock.advance(5)
    assert not hold.poll()


def test_pins_unlock_their_role_and_are_audited_without_the_pin(tmp_path, clock):
    mode = admin_mode(tmp_path, clock)
    result = mode.enter_pin(STAFF_PIN)
    assert result.outcome is Outcome.UNLOCKED and result.session.role == "staff"
    with pytest.raises(AdminError):
        mode.require("technician")
    mode.close()
    assert mode.enter_pin(TECH_PIN).session.role == "technician"
    assert mode.require("staff").role == "technician"  # a technician can do what staff do
    text = mode.audit.path.read_text()
    assert STAFF_PIN not in text and TECH_PIN not in text
    assert events(mode) == [("unlock", "staff"), ("admin_closed", "staff"), ("unlock", "technician")]


def test_five_wrong_pins_lock_the_pad_for_five_minutes_with_a_countdown(tmp_path, clock):
    mode = admin_mode(tmp_path, clock)
    lefts = [mode.enter_pin("0000").attempts_left for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    locked = mode.enter_pin("0000")
    assert locked.outcome is Outcome.LOCKED_OUT and locked.locked_for_s == 300
    clock.advance(100.5)
    assert mode.lockout_remaining() == 200
    right_but_locked = mode.enter_pin(STAFF_PIN)
    assert right_but_locked.outcome is Outcome.LOCKED_OUT and right_but_locked.locked_for_s == 200
    clock.advance(200)
    assert mode.lockout_remaining() == 0
    assert mode.enter_pin("0000").attempts_left == 4  # a fresh count after the lockout
    assert mode.enter_pin(STAFF_PIN).outcome is Outcome.UNLOCKED
    assert [e for e, _ in events(mode)].count("unlock_failed") == 6
    assert [e for e, _ in events(mode)].count("locked_out") == 1


def test_a_lockout_survives_switching_the_kiosk_off_and_on(tmp_path, clock):
    mode = admin_mode(tmp_path, clock)
    for _ in range(5):
        mode.enter_pin("0000")
    clock.advance(100)
    restarted = admin_mode(tmp_path, clock)  # same state file, a new process
    assert restarted.lockout_remaining() == 200
    assert restarted.enter_pin(STAFF_PIN).outcome is Outcome.LOCKED_OUT
    clock.advance(200)
    assert admin_mode(tmp_path, clock).enter_pin(STAFF_PIN).outcome is Outcome.UNLOCKED


def test_badge_opens_the_pad_for_its_holder_and_names_them(tmp_path, clock):
    mode = admin_mode(tmp_path, clock)
    pad = mode.badge(ANNA_UID)
    assert pad.outcome is Outcome.PIN_NEEDED and pad.badge_holder == "Anna"
    assert mode.enter_pin(TECH_PIN).outcome is Outcome.WRONG  # not Anna's role's PIN
    result = mode.enter_pin(STAFF_PIN)
    assert result.session.actor == "Anna" and result.session.role == "staff"
    assert mode.badge("0102030405").outcome is Outcome.UNKNOWN_BADGE
    mode.close()
    mode.badge(ANNA_UID)
    clock.advance(61)  # Anna walked away: the pad is anyone's again
    assert mode.enter_pin(TECH_PIN).session.role == "technician"
    assert ("unlock", "Anna") in events(mode) and ("badge_unknown", "") in events(mode)


def test_badge_alone_unlocks_when_configured(tmp_path, clock):
    mode = admin_mode(tmp_path, clock, badge_needs_pin=False)
    result = mode.badge(BUDI_UID)
    assert result.outcome is Outcome.UNLOCKED and result.session.role == "technician"
    assert mode.audit.records()[-1].detail == {"method": "badge"}
    assert BUDI_UID not in mode.audit.path.read_text()


def test_admin_mode_closes_itself_after_two_idle_minutes(tmp_path, clock):
    closed = []
    mode = admin_mode(tmp_path, clock, closed)
    mode.enter_pin(STAFF_PIN)
    clock.advance(100)
    mode.act("paper_replaced")  # activity restarts the idle timer
    clock.advance(100)
    mode.tick()
    assert mode.session is not None and mode.idle_remaining() == pytest.approx(20)
    clock.advance(20)
    mode.tick()
    assert mode.session is None and closed == ["idle"]
    with pytest.raises(AdminError):
        mode.act("paper_replaced")
    assert events(mode)[-1] == ("admin_closed", "staff")
    assert mode.audit.records()[-1].detail == {"reason": "idle"}


def test_without_any_pin_the_pad_says_so_and_counts_nothing(tmp_path, clock):
    mode = admin_mode(tmp_path, clock, pins={})
    assert not mode.has_pin()
    for _ in range(6):
        assert mode.enter_pin("1234").outcome is Outcome.NO_PIN
    assert mode.lockout_remaining() == 0
