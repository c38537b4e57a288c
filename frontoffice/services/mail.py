"""E-mails to guests, written from the server's own records when the stay changes: the check-in
receipt (room, Wi-Fi, breakfast, what was paid) and the check-out invoice (the bill line by line,
payments, balance), as plain text and HTML, in the guest's language (English otherwise).

``queue_check_in``/``queue_check_out`` only add a row to the outbox in the caller's transaction,
so the check-in or check-out is never held up by the mail server; ``services/mailer.py`` sends
it. Nothing is queued unless the server's [smtp] is on (``Database.mail_enabled``, handed to
every session as ``session.info["mail_enabled"]``), and only for a guest with an address.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from frontoffice.models import (
    Charge,
    MailKind,
    MailStatus,
    OutgoingMail,
    Payment,
    PaymentKind,
    Property,
    Reservation,
)
from frontoffice.models.base import utcnow
from frontoffice.services import audit, folio
from frontoffice.services.errors import NotFound
from frontoffice.services.money import exponent

LANGUAGES = ("en", "id")
LOCALES = {"en": "en_GB", "id": "id_ID"}
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "subject_check_in": "Your stay at {hotel}: room {room}",
        "subject_check_out": "Your invoice from {hotel}",
        "greeting": "Dear {name},",
        "intro_check_in": "You are checked in. Here are the details of your stay.",
        "intro_check_out": "Thank you for staying with us. Here is your invoice.",
        "booking": "Booking",
        "room": "Room",
        "floor": "Floor",
        "way": "How to get there",
        "stay": "Stay",
        "stay_value": "{arrival} to {departure}",
        "check_out": "Check-out",
        "check_out_value": "by {time} on {date}",
        "wifi": "Wi-Fi",
        "wifi_password": "Wi-Fi password",
        "breakfast": "Breakfast",
        "bill": "Your bill",
        "night": "Night of {date}",
        "room_charge": "Room",
        "service": "Service charge",
        "tax": "Tax",
        "total": "Total",
        "payments": "Payments",
        "sale": "Card payment",
        "capture": "Taken from your deposit",
        "refund": "Refund",
        "preauth": "Deposit held on your card (not charged)",
        "card": "{brand} ending {last4}",
        "nothing_paid": "Nothing has been paid yet.",
        "balance": "Balance to pay",
        "balance_check_in": "Still to pay, at check-out",
        "settled": "Your bill is settled.",
        "footer": "You receive this e-mail because you gave this address when you checked in at {hotel}.",
    },
    "id": {
        "subject_check_in": "Menginap di {hotel}: kamar {room}",
        "subject_check_out": "Faktur Anda dari {hotel}",
        "greeting": "Yth. {name},",
        "intro_check_in": "Anda sudah check-in. Berikut rincian masa menginap Anda.",
        "intro_check_out": "Terima kasih telah menginap bersama kami. Berikut faktur Anda.",
        "booking": "Pemesanan",
        "room": "Kamar",
        "floor": "Lantai",
        "way": "Cara menuju kamar",
        "stay": "Menginap",
        "stay_value": "{arrival} sampai {departure}",
        "check_out": "Check-out",
        "check_out_value": "paling lambat pukul {time} pada {date}",
        "wifi": "Wi-Fi",
        "wifi_password": "Kata sandi Wi-Fi",
        "breakfast": "Sarapan",
        "bill": "Tagihan Anda",
        "night": "Malam {date}",
        "room_charge": "Kamar",
        "service": "Biaya layanan",
        "tax": "Pajak",
        "total": "Total",
        "payments": "Pembayaran",
        "sale": "Pembayaran kartu",
        "capture": "Diambil dari deposit Anda",
        "refund": "Pengembalian dana",
        "preauth": "Deposit ditahan pada kartu Anda (tidak ditagih)",
        "card": "{brand} berakhiran {last4}",
        "nothing_paid": "Belum ada pembayaran.",
        "balance": "Sisa tagihan",
        "balance_check_in": "Masih harus dibayar saat check-out",
        "settled": "Tagihan Anda sudah lunas.",
        "footer": "Anda menerima e-mail ini karena memberikan alamat ini saat check-in di {hotel}.",
    },
}


@dataclass
class Letter:
    """What both templates render: facts, the bill's lines, payments, the bottom line."""

    subject: str
    greeting: str
    intro: str
    hotel: str
    address: str
    footer: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    bill_title: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)
    total: tuple[str, str] | None = None
    payments_title: str = ""
    payments: list[tuple[str, str]] = field(default_factory=list)
    closing: tuple[str, str] | str = ""

    def render(self) -> tuple[str, str]:
        context: dict[str, Any] = {"m": self}
        return (
            _TEMPLATES.get_template("guest_mail.txt").render(context),
            _TEMPLATES.get_template("guest_mail.html").render(context),
        )


def language_of(requested: str | None) -> str:
    base = (requested or "").split("-")[0].lower()
    return base if base in LANGUAGES else LANGUAGES[0]


def _money(amount: int, currency: str, lang: str) -> str:
    value = Decimal(amount).scaleb(-exponent(currency))
    return format_currency(value, currency, locale=LOCALES[lang])


def _day(day: date, lang: str) -> str:
    return format_date(day, format="long", locale=LOCALES[lang])


def _stay(reservation: Reservation, t: dict[str, str], lang: str) -> tuple[str, str]:
    dates = {"arrival": _day(reservation.arrival, lang), "departure": _day(reservation.departure, lang)}
    return t["stay"], t["stay_value"].format(**dates)


def _payments(
    session: Session, reservation: Reservation, t: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    rows = session.scalars(
        select(Payment).where(Payment.reservation_id == reservation.id).order_by(Payment.created_at)
    )
    out = []
    for p in rows:
        label = t[p.kind.value]
        last4 = "".join(c for c in p.masked_pan if c.isdigit())[-4:]
        if p.card_brand and last4:
            label += " · " + t["card"].format(brand=p.card_brand, last4=last4)
        sign = "-" if p.kind in (PaymentKind.SALE, PaymentKind.CAPTURE) else ""
        out.append((label, sign + _money(p.amount, p.currency, lang)))
    return out


def _letter(prop: Property, reservation: Reservation, kind: MailKind, lang: str) -> Letter:
    t = TEXTS[lang]
    guest = reservation.guest
    room = reservation.room
    subject = t[f"subject_{kind.value}"].format(hotel=prop.name, room=room.number if room else "")
    return Letter(
        subject=subject,
        greeting=t["greeting"].format(name=f"{guest.given_names} {guest.surname}".strip()),
        intro=t[f"intro_{kind.value}"],
        hotel=prop.name,
        address=prop.address,
        footer=t["footer"].format(hotel=prop.name),
    )


def check_in_letter(session: Session, prop: Property, reservation: Reservation, lang: str) -> Letter:
    t = TEXTS[lang]
    letter = _letter(prop, reservation, MailKind.CHECK_IN, lang)
    room = reservation.room
    facts = [(t["booking"], reservation.confirmation_code)]
    if room is not None:
        facts += [(t["room"], room.number), (t["floor"], str(room.floor))]
        if room.directions:
            facts.append((t["way"], room.directions))
    out_time = prop.check_out_time.strftime("%H:%M")
    facts += [
        _stay(reservation, t, lang),
        (t["check_out"], t["check_out_value"].format(time=out_time, date=_day(reservation.departure, lang))),
    ]
    if prop.wifi_ssid:
        facts += [(t["wifi"], prop.wifi_ssid), (t["wifi_password"], prop.wifi_password)]
    if prop.breakfast_hours:
        facts.append((t["breakfast"], prop.breakfast_hours))
    letter.facts = facts
    letter.payments_title = t["payments"]
    letter.payments = _payments(session, reservation, t, lang) or [(t["nothing_paid"], "")]
    balance = folio.totals(session, [reservation.id])[reservation.id].balance
    letter.closing = (
        (t["balance_check_in"], _money(balance, prop.currency, lang)) if balance > 0 else t["settled"]
    )
    return letter


def check_out_letter(session: Session, prop: Property, reservation: Reservation, lang: str) -> Letter:
    t = TEXTS[lang]
    letter = _letter(prop, reservation, MailKind.CHECK_OUT, lang)
    room = reservation.room
    letter.facts = [(t["booking"], reservation.confirmation_code)]
    if room is not None:
        letter.facts.append((t["room"], room.number))
    letter.facts.append(_stay(reservation, t, lang))
    charges = session.scalars(
        select(Charge)
        .where(Charge.reservation_id == reservation.id)
        .order_by(Charge.night, Charge.created_at)
    )
    labels = {"room": t["room_charge"], "service": t["service"], "tax": t["tax"]}
    for c in charges:
        what = labels.get(c.type.value, c.description) if c.type.value != "extra" else c.description
        label = f"{t['night'].format(date=_day(c.night, lang))} · {what}" if c.night else what
        letter.lines.append((label, _money(c.amount, c.currency, lang)))
    sums = folio.totals(session, [reservation.id])[reservation.id]
    letter.bill_title = t["bill"]
    letter.total = (t["total"], _money(sums.total, prop.currency, lang))
    letter.payments_title = t["payments"]
    letter.payments = _payments(session, reservation, t, lang)
    letter.closing = (
        (t["balance"], _money(sums.balance, prop.currency, lang)) if sums.balance > 0 else t["settled"]
    )
    return letter


def _queue(session: Session, prop: Property, reservation: Reservation, kind: MailKind, lang: str) -> None:
    if not session.info.get("mail_enabled") or not reservation.guest.email:
        return
    exists = select(OutgoingMail.id).where(
        OutgoingMail.reservation_id == reservation.id, OutgoingMail.kind == kind
    )
    if session.scalar(exists) is not None:
        return  # written once per stay and kind
    build = check_in_letter if kind is MailKind.CHECK_IN else check_out_letter
    letter = build(session, prop, reservation, lang)
    text, html = letter.render()
    session.add(
        OutgoingMail(
            property_id=prop.id,
            reservation_id=reservation.id,
            kind=kind,
            recipient=reservation.guest.email,
            language=lang,
            subject=letter.subject[:300],
            text_body=text,
            html_body=html,
        )
    )


def queue_check_in(session: Session, prop: Property, reservation: Reservation, language: str | None) -> None:
    _queue(session, prop, reservation, MailKind.CHECK_IN, language_of(language))


def queue_check_out(session: Session, prop: Property, reservation: Reservation) -> None:
    """In the language the guest checked in with (their check-in receipt's), else English."""
    lang = session.scalar(
        select(OutgoingMail.language).where(
            OutgoingMail.reservation_id == reservation.id, OutgoingMail.kind == MailKind.CHECK_IN
        )
    )
    _queue(session, prop, reservation, MailKind.CHECK_OUT, language_of(lang))


# --- for staff: what did not go out ----------------------------------------------------------


def troubled_filter(prop: Property) -> ColumnElement[bool]:
    """Failed for good, or still being retried after a failure."""
    return (OutgoingMail.property_id == prop.id) & (
        (OutgoingMail.status == MailStatus.FAILED)
        | ((OutgoingMail.status == MailStatus.PENDING) & (OutgoingMail.attempts > 0))
    )


def troubled(session: Session, prop: Property) -> list[tuple[OutgoingMail, Reservation]]:
    rows = session.execute(
        select(OutgoingMail, Reservation)
        .join(Reservation, Reservation.id == OutgoingMail.reservation_id)
        .where(troubled_filter(prop))
        .order_by(OutgoingMail.created_at.desc())
    )
    return [(m, r) for m, r in rows]


def send_again(session: Session, prop: Property, mail_id: uuid.UUID, actor: str) -> None:
    """A failed mail goes back in the queue (the address corrected with the guest, the mail
    server fixed): the next round sends it."""
    mail = session.scalars(
        select(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.property_id == prop.id)
    ).first()
    if mail is None:
        raise NotFound("no such e-mail")
    if mail.status is MailStatus.FAILED:
        mail.status, mail.attempts, mail.next_attempt_at = MailStatus.PENDING, 0, utcnow()
        audit.record(session, prop.id, actor, "mail_send_again", "outgoing_mail", mail.id)
