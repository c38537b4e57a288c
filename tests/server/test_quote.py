"""The price of a stay against hand-computed cases: service on the room, tax on room + service,
each rounded half up to the currency's minor unit (money.apply_rate)."""

from datetime import timedelta

import pytest

from frontoffice.models import Rate
from frontoffice.services import money
from tests.server.conftest import BUSINESS_DATE
from tests.server.factories import small_hotel

D = BUSINESS_DATE


@pytest.mark.parametrize(
    ("currency", "service_bp", "tax_bp", "base", "rates", "nights", "expected"),
    [
        # Rp 333.333 a night (ISO 4217: two decimals, 33_333_300 minor units); 7.5 % service is
        # 2_499_997.5 -> 2_499_998; 11 % tax on 35_833_298 is 3_941_662.78 -> 3_941_663.
        ("IDR", 750, 1100, 33_333_300, {}, 1, (33_333_300, 2_499_998, 3_941_663, 39_774_961)),
        # Rp 850.000 with a Friday rate of Rp 977.500: 10 % and 10 %, no rounding at all.
        (
            "IDR",
            1000,
            1000,
            85_000_000,
            {1: 97_750_000},
            2,
            (182_750_000, 18_275_000, 20_102_500, 221_127_500),
        ),
        # $10.10: 5 % service is 50.5 cents -> 51 (half up); 10 % tax on 10.61 is 106.1 -> 106.
        ("USD", 500, 1000, 1010, {}, 1, (1010, 51, 106, 1167)),
        # $89.95, $89.95 and a $104.99 night: service 2848.9 -> 2849; 8.25 % tax on 313.38 is
        # 2585.385 cents -> 2585.
        ("USD", 1000, 825, 8995, {2: 10499}, 3, (28489, 2849, 2585, 33923)),
    ],
)
def test_quote_matches_hand_computed(db, currency, service_bp, tax_bp, base, rates, nights, expected):
    with db.session(write=True) as session:
        prop, _ = small_hotel(session, code="QUOTE", rooms=1, arrivals=0)
        prop.currency, prop.service_rate_bp, prop.tax_rate_bp = currency, service_bp, tax_bp
        room_type = prop.room_types[0]
        room_type.base_rate = base
        session.add_all(
            Rate(room_type_id=room_type.id, night=D + timedelta(days=i), amount=a) for i, a in rates.items()
        )
        session.flush()
        q = money.quote(session, prop, room_type, D, D + timedelta(days=nights))
    assert (q.room, q.service, q.tax, q.total) == expected
    assert q.currency == currency and len(q.nights) == nights
