"""Daily totals per business date, for the property and per kiosk, exported as JSON or CSV.

Payments count on the business date they were taken, charges on the one they were posted
(booking or night audit). "Net" is what ``folio.paid_amount`` counts: sales and captures minus
refunds; a pre-authorisation holds money without taking it, so it appears only by kind.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontoffice.models import Charge, ChargeType, Kiosk, Payment, Property, Reservation
from frontoffice.schemas import DailyReportOut, ScopeTotals, TotalLine
from frontoffice.services import folio

PROPERTY = "property"
DESK = "desk"  # posted or taken anywhere but a kiosk: the desk, an OTA, the night audit
CSV_COLUMNS = ("business_date", "property", "scope", "section", "key", "currency", "count", "amount")

_Key = tuple[str, str, str]  # section, key, currency


class _Sums:
    def __init__(self) -> None:
        self.lines: dict[_Key, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, section: str, key: str, currency: str, count: int, amount: int) -> None:
        line = self.lines[(section, key, currency)]
        line[0] += count
        line[1] += amount

    def out(self, scope: str) -> ScopeTotals:
        return ScopeTotals(
            scope=scope,
            lines=[
                TotalLine(section=s, key=k, currency=c, count=n, amount=a)
                for (s, k, c), (n, a) in sorted(self.lines.items())
            ],
        )


def daily(session: Session, prop: Property, day: date, now: datetime) -> DailyReportOut:
    names = dict(session.execute(select(Kiosk.id, Kiosk.name).where(Kiosk.property_id == prop.id)).all())
    # The property's totals are there even on a day without sales.
    scopes: dict[str, _Sums] = defaultdict(_Sums, {PROPERTY: _Sums()})

    def targets(kiosk_id: uuid.UUID | None) -> list[_Sums]:
        return [scopes[PROPERTY], scopes[f"kiosk:{names[kiosk_id]}" if kiosk_id in names else DESK]]

    net = folio.paid_amount()
    for kiosk_id, method, brand, currency, kind, count, amount, paid in session.execute(
        select(
            Payment.kiosk_id,
            Payment.method,
            Payment.card_brand,
            Payment.currency,
            Payment.kind,
            func.count(),
            func.sum(Payment.amount),
            func.sum(net),
        )
        .join(Reservation, Reservation.id == Payment.reservation_id)
        .where(Reservation.property_id == prop.id, Payment.business_date == day)
        .group_by(Payment.kiosk_id, Payment.method, Payment.card_brand, Payment.currency, Payment.kind)
    ):
        for sums in targets(kiosk_id):
            sums.add("payments_by_kind", kind.value, currency, count, int(amount))
            if paid:  # holds take no money: they are left out of the net figures
                sums.add("payments_net_by_method", method, currency, count, int(paid))
                sums.add("payments_net_by_card_brand", brand or "(none)", currency, count, int(paid))
                sums.add("payments_net_by_currency", currency, currency, count, int(paid))

    for kiosk_id, kind, currency, count, amount in session.execute(
        select(Charge.kiosk_id, Charge.type, Charge.currency, func.count(), func.sum(Charge.amount))
        .join(Reservation, Reservation.id == Charge.reservation_id)
        .where(Reservation.property_id == prop.id, Charge.business_date == day)
        .group_by(Charge.kiosk_id, Charge.type, Charge.currency)
    ):
        for sums in targets(kiosk_id):
            sums.add("charges_by_type", kind.value, currency, count, int(amount))
            if kind is ChargeType.TAX:
                sums.add("taxes", "tax", currency, count, int(amount))
            elif kind in (ChargeType.ROOM, ChargeType.SERVICE):  # tax is levied on room + service
                sums.add("taxes", "taxable_base", currency, count, int(amount))

    order = [PROPERTY, *sorted(s for s in scopes if s != PROPERTY)]
    return DailyReportOut(
        property=prop.code,
        business_date=day,
        currency=prop.currency,
        generated_at=now,
        scopes=[scopes[s].out(s) for s in order],
    )


def _cell(text: str) -> str:
    # Card brands come from kiosks: never let a spreadsheet read one as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(report: DailyReportOut) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for scope in report.scopes:
        for line in scope.lines:
            writer.writerow(
                (
                    report.business_date.isoformat(),
                    report.property,
                    _cell(scope.scope),
                    line.section,
                    _cell(line.key),
                    line.currency,
                    line.count,
                    line.amount,
                )
            )
    return out.getvalue()
