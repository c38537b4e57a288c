"""Prices for a stay: nightly rates, service charge and tax, in integer minor units."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from babel.numbers import get_currency_precision
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontoffice.models import Property, Rate, RoomType


def apply_rate(amount: int, basis_points: int) -> int:
    """``amount`` × rate, rounded half up, in integers (money is never a float)."""
    return (amount * basis_points + 5000) // 10000


@dataclass(frozen=True)
class Quote:
    currency: str
    nights: list[tuple[date, int]]
    room: int
    service: int
    tax: int

    @property
    def total(self) -> int:
        return self.room + self.service + self.tax


def nightly_rates(
    session: Session, room_type: RoomType, arrival: date, departure: date
) -> list[tuple[date, int]]:
    rows = dict(
        session.execute(
            select(Rate.night, Rate.amount).where(
                Rate.room_type_id == room_type.id, Rate.night >= arrival, Rate.night < departure
            )
        ).all()
    )
    nights = [arrival + timedelta(days=i) for i in range((departure - arrival).days)]
    return [(n, rows.get(n, room_type.base_rate)) for n in nights]


def quote(session: Session, prop: Property, room_type: RoomType, arrival: date, departure: date) -> Quote:
    nights = nightly_rates(session, room_type, arrival, departure)
    room = sum(amount for _, amount in nights)
    service = apply_rate(room, prop.service_rate_bp)
    tax = apply_rate(room + service, prop.tax_rate_bp)
    return Quote(prop.currency, nights, room, service, tax)


@functools.cache
def exponent(currency: str) -> int:
    """ISO 4217 minor-unit digits (IDR 2, USD 2, JPY 0), from Babel's CLDR data."""
    return get_currency_precision(currency)


def display(amount: int, currency: str) -> str:
    """For people only (pages, console): "IDR 850,000.00". Data keeps integer minor units."""
    return f"{currency} {Decimal(amount).scaleb(-exponent(currency)):,.{exponent(currency)}f}"
