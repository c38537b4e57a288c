"""Integer money arithmetic and signed booking QR tokens."""

import uuid

from frontoffice.services import qrtoken
from frontoffice.services.money import apply_rate


def test_apply_rate_rounds_half_up_in_integers():
    assert apply_rate(85_000_000, 1000) == 8_500_000
    assert apply_rate(5, 1000) == 1  # 0.5 rounds up
    assert apply_rate(4, 1000) == 0
    assert isinstance(apply_rate(10**15, 1234), int)


def test_token_round_trip_and_tampering():
    secret = b"k" * 32
    rid = uuid.uuid4()
    token = qrtoken.sign(secret, "SBT-JKT", rid)
    code, parsed_id, sig = qrtoken.parse(token)
    assert (code, parsed_id) == ("SBT-JKT", rid)
    assert qrtoken.verify(secret, code, parsed_id, sig)
    assert not qrtoken.verify(b"x" * 32, code, parsed_id, sig)
    other = uuid.uuid4()
    assert not qrtoken.verify(secret, code, other, sig)
    flipped = sig[:-1] + ("A" if sig[-1] != "A" else "B")
    assert not qrtoken.verify(secret, code, rid, flipped)


def test_malformed_tokens_are_not_parsed():
    for bad in [
        "",
        "SBT1",
        "SBT1.X.Y.Z",
        "http://example.invalid",
        "SBT2.SBT-JKT." + "a" * 32 + "." + "b" * 22,
    ]:
        assert qrtoken.parse(bad) is None
