"""What the guest confirms before anything that cannot be undone at the kiosk: a charge (or a
deposit hold) on their card, with its breakdown, and a check-out before the booked departure.

Plain Python: the journey builds a ``Confirmation`` and the confirmation screen renders it. The
figures are the server's (the folio, or the walk-in's quote); the kiosk only sums them by kind.
Labels are msgids with ``params`` (numbers, dates and ``Money``, formatted by the screen in the
guest's language); an extra keeps the desk's own description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from drivers.money import Money
from drivers.payment.model import Operation
from kiosk.frontdesk import Booking, Folio, Offer
from kiosk.i18n import N_


@dataclass(frozen=True)
class Row:
    """One line of a breakdown. ``kind``: item (part of the total), total, paid (counts against
    it), charge (what the card terminal is about to take or hold), note (not part of the sum)."""

    kind: str
    label: str
    amount: Money
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Confirmation:
    kind: str  # charge | early_check_out
    title: str
    body: str
    rows: tuple[Row, ...]
    confirm: str  # the confirming button's msgid, with ``params``
    params: dict[str, Any] = field(default_factory=dict)


def _room(amount: Money, nights: int) -> Row:
    label = N_("Room, 1 night") if nights == 1 else N_("Room, {nights} nights")
    return Row("item", label, amount, {"nights": nights})


def folio_items(folio: Folio) -> list[Row]:
    """The bill by kind: the room's nights, service charge, tax, then each extra as the desk named it."""
    cur = folio.currency
    room_nights = {c.night for c in folio.charges if c.type == "room"}
    sums = {
        kind: sum(c.amount for c in folio.charges if c.type == kind) for kind in ("room", "service", "tax")
    }
    rows = [_room(Money(sums["room"], cur), len(room_nights))] if sums["room"] else []
    if sums["service"]:
        rows.append(Row("item", N_("Service charge"), Money(sums["service"], cur)))
    if sums["tax"]:
        rows.append(Row("item", N_("Tax"), Money(sums["tax"], cur)))
    rows += [Row("item", c.description, Money(c.amount, cur)) for c in folio.charges if c.type == "extra"]
    return rows


def offer_items(offer: Offer, nights: int) -> list[Row]:
    """A walk-in's price as the server quoted it: the room's nights, service charge, tax."""
    cur = offer.currency
    rows = [_room(Money(offer.room, cur), nights)]
    if offer.service:
        rows.append(Row("item", N_("Service charge"), Money(offer.service, cur)))
    if offer.tax:
        rows.append(Row("item", N_("Tax"), Money(offer.tax, cur)))
    return rows


def booking_items(booking: Booking) -> list[Row]:
    """Without the bill (the front office out of reach): the stay's total as the booking has it."""
    label = N_("Your stay, 1 night") if booking.nights == 1 else N_("Your stay, {nights} nights")
    return [Row("item", label, Money(booking.total, booking.currency), {"nights": booking.nights})]


CHARGE_LABELS = {
    Operation.SALE: N_("To pay now by card"),
    Operation.CAPTURE: N_("Taken from the deposit held on your card"),
    Operation.PREAUTH: N_("Deposit held on your card (not charged)"),
}
CHARGE_BODIES = {
    Operation.SALE: N_("Check the amount, then pay on the card terminal beside the screen."),
    Operation.CAPTURE: N_("Your bill, taken from the deposit held on your card."),
    Operation.PREAUTH: N_("A deposit is held on your card for your stay. It is not charged."),
}


def charge(
    items: list[Row],
    *,
    total: Money,
    paid: int,
    operation: Operation,
    due: Money,
    hold: int = 0,
) -> Confirmation:
    """The breakdown before the terminal is asked: what the stay costs, what is paid already, and
    what happens on the card now (``hold``: the deposit already held, when a capture takes from it
    or a sale leaves it alone)."""
    cur = total.currency
    rows = [*items, Row("total", N_("Total"), total)]
    if paid:
        rows.append(Row("paid", N_("Already paid"), Money(paid, cur)))
    rows.append(Row("charge", CHARGE_LABELS[operation], due))
    if operation is Operation.CAPTURE and hold > due.minor:
        rows.append(Row("note", N_("Rest of the deposit, not charged"), Money(hold - due.minor, cur)))
    elif operation is Operation.SALE and hold:
        rows.append(Row("note", N_("Deposit held on your card, released by our staff"), Money(hold, cur)))
    button = N_("Hold {amount} on my card") if operation is Operation.PREAUTH else N_("Pay {amount}")
    return Confirmation(
        "charge", N_("Please check before you pay"), CHARGE_BODIES[operation], tuple(rows), button,
        {"amount": due},
    )  # fmt: skip


def early_check_out(folio: Folio, departure: date, today: date) -> Confirmation:
    """Leaving before the booked departure: the nights not used, as the bill has them. The server
    gives the room up from today on; their charges stay on the bill, and the kiosk refunds nothing."""
    cur = folio.currency
    unused: dict[date, int] = {}
    for c in folio.charges:
        if c.night is not None and c.night >= today and c.type != "extra":
            unused[c.night] = unused.get(c.night, 0) + c.amount
    rows = tuple(
        Row("item", N_("Night of {date}"), Money(a, cur), {"date": n}) for n, a in sorted(unused.items())
    )
    nights = (departure - today).days
    body = (
        N_(
            "Your booking runs until {departure}. If you check out now, your room is given up for "
            "the night you do not use. That night stays on your bill as "
            "booked: the kiosk does not refund it. Our staff at the front desk can talk with you "
            "about it before you go."
        )
        if nights == 1
        else N_(
            "Your booking runs until {departure}. If you check out now, your room is given up for "
            "the {nights} nights you do not use. Those nights stay on "
            "your bill as booked: the kiosk does not refund them. Our staff at the front desk can "
            "talk with you about it before you go."
        )
    )
    return Confirmation(
        "early_check_out", N_("You are leaving before your departure date"), body, rows, N_("Check out now"),
        {"departure": departure, "nights": nights},
    )  # fmt: skip
