"""The receipts the kiosk prints, as documents: check-in, the check-out invoice, payment, the day's
totals for staff, and the technician's test page.

Labels are plain English msgids passed through ``translate`` (the kiosk hands in its gettext for
the guest's language); amounts, dates and times are formatted with Babel for ``locale`` (the
guest's language as written where the property is, e.g. ``en_ID``), money by the one formatter the
screens use too.

The check-in receipt is a payment receipt, not a tax invoice: it may be printed offline, so it
carries the card terminal's receipt number and says what each payment was for. The tax invoice
is issued at check-out, under the number the server gives it from the property's series.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_percent
from PIL import Image

from drivers.money import Money, format_money, format_signed
from drivers.printer.document import (
    Barcode,
    Cut,
    Element,
    Feed,
    Logo,
    QRCode,
    Receipt,
    Row,
    Separator,
    Text,
    Title,
)
from drivers.printer.profiles import PrinterProfile

Translate = Callable[[str], str]

# CLDR's currency spacing: a space between a letter symbol and the digits ("Rp 1.250.000,00",
# "IDR 1,250,000.00"); Babel's format_currency leaves it out.
# More than four digits in a row (spaces allowed) could be a card number.
_CARD_DIGITS = re.compile(r"\d(?:[ -]?\d){4,}")


def _identity(msgid: str) -> str:
    return msgid


@dataclass(frozen=True)
class CardPayment:
    """What a receipt may show of a card payment: never more than the last four digits."""

    amount: Money
    card_brand: str
    masked_pan: str
    auth_code: str
    terminal_lines: tuple[str, ...] = ()  # the terminal's own receipt text, printed as it is
    label: str = ""  # what it paid for, in the guest's words ("Deposit held on your card (not charged)")
    receipt_no: str = ""  # the terminal's receipt number: what numbers a payment receipt

    def __post_init__(self) -> None:
        if sum(c.isdigit() for c in self.masked_pan) > 4:
            raise ValueError("masked_pan shows more than the last four digits")
        for line in self.terminal_lines:
            for digits in _CARD_DIGITS.findall(line):
                if sum(c.isdigit() for c in digits) >= 12:
                    raise ValueError("a terminal receipt line looks like a full card number")


def payment_section(
    payment: CardPayment, locale: str = "en", translate: Translate = _identity
) -> list[Element]:
    _ = translate
    elements: list[Element] = [
        Row(payment.label or _("Amount paid"), format_money(payment.amount, locale), bold=True),
        Row(_("Card"), f"{payment.card_brand} {payment.masked_pan}"),
        Row(_("Auth code"), payment.auth_code),
    ]
    if payment.receipt_no:
        elements.append(Row(_("Receipt no."), payment.receipt_no))
    if payment.terminal_lines:
        elements.append(Separator("."))
        elements.extend(Text(line) for line in payment.terminal_lines)
    return elements


def _issued(issued_at: datetime, locale: str, translate: Translate) -> Text:
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be time zone aware")
    when = format_datetime(issued_at, "short", tzinfo=issued_at.tzinfo, locale=locale)
    return Text(translate("Issued {when}").format(when=when), align="center")


def checkin_receipt(
    *,
    hotel_name: str,
    guest_name: str,
    confirmation_code: str,
    room_number: str,
    floor: str,
    arrival: date,
    departure: date,
    wifi_ssid: str,
    wifi_password: str,
    breakfast: tuple[time, time] | None,
    room_access_code: str,
    qr_payload: str,
    issued_at: datetime,
    payments: Sequence[CardPayment] = (),
    locale: str = "en",
    translate: Translate = _identity,
    logo: Image.Image | None = None,
) -> Receipt:
    """The guest's room, keys and Wi-Fi, and for each payment taken here what it was for."""
    _ = translate
    elements: list[Element] = [Logo(logo)] if logo is not None else []
    elements += [
        Title(hotel_name),
        Text(_("Check-in"), align="center"),
        Separator(),
        Row(_("Guest"), guest_name),
        Row(_("Confirmation"), confirmation_code),
        Separator(),
        Text(_("Room"), align="center"),
        Text(room_number, align="center", bold=True, double=True),
        Text(_("Floor {floor}").format(floor=floor), align="center"),
        Separator(),
        Row(_("Arrival"), format_date(arrival, "medium", locale=locale)),
        Row(_("Departure"), format_date(departure, "medium", locale=locale)),
        Row(_("Nights"), str((departure - arrival).days)),
        Separator(),
        Row(_("Wi-Fi network"), wifi_ssid),
        Row(_("Wi-Fi password"), wifi_password),
    ]
    if breakfast is not None:
        start, end = (format_time(t, "short", locale=locale) for t in breakfast)
        elements.append(Row(_("Breakfast"), f"{start} - {end}"))
    elements += [
        # Checked in offline, the server has not issued the code yet: the desk hands it over.
        Row(_("Room access code"), room_access_code, bold=True)
        if room_access_code
        else Text(_("Your room access code is waiting for you at the front desk."), align="center"),
        QRCode(qr_payload),
        Text(_("Show this code at the door or to our staff"), align="center"),
    ]
    if payments:
        elements += [Separator(), Text(_("Payment receipt"), align="center", bold=True)]
    for payment in payments:
        elements.append(Separator("."))
        elements.extend(payment_section(payment, locale, translate))
    if payments:
        elements.append(Text(_("Not a tax invoice: your invoice is issued at check-out."), align="center"))
    elements += [Separator(), _issued(issued_at, locale, translate), Cut()]
    return Receipt(tuple(elements), kind="checkin")


@dataclass(frozen=True)
class InvoiceLine:
    """One line of the bill, already in the guest's words: a night's room, an extra, a payment."""

    label: str
    amount: Money
    credit: bool = False  # a payment: it counts against the bill


@dataclass(frozen=True)
class Levy:
    """A charge levied at a rate on the lines above it: the service charge, a tax."""

    label: str  # already translated ("Tax")
    rate_bp: int  # basis points: 1000 is 10 %
    amount: Money


@dataclass(frozen=True)
class Invoice:
    """What the server numbered, and the property's tax id that goes with it."""

    number: str
    tax_id: str = ""


def _percent(rate_bp: int, locale: str) -> str:
    return format_percent(Decimal(rate_bp).scaleb(-4), "#,##0.##%", locale=locale)


def checkout_invoice(
    *,
    hotel_name: str,
    hotel_address: str,
    invoice: Invoice,
    guest_name: str,
    confirmation_code: str,
    room_number: str,
    arrival: date,
    departure: date,
    lines: Sequence[InvoiceLine],
    levies: Sequence[Levy],
    total: Money,
    settled: Sequence[InvoiceLine],
    balance: Money,
    issued_at: datetime,
    payments: Sequence[CardPayment] = (),
    locale: str = "en",
    translate: Translate = _identity,
) -> Receipt:
    """The tax invoice at check-out: its number and the property's tax id, the charges, their
    subtotal, each levy at its rate and the total; then what was paid and the balance."""
    _ = translate
    elements: list[Element] = [Title(hotel_name)]
    if hotel_address:
        elements.append(Text(hotel_address, align="center"))
    if invoice.tax_id:
        elements.append(Text(_("Tax ID {tax_id}").format(tax_id=invoice.tax_id), align="center"))
    elements += [
        Text(_("Invoice"), align="center", bold=True),
        Row(_("Invoice no."), invoice.number, bold=True),
        Row(_("Date"), format_date(issued_at, "medium", locale=locale)),
        Separator(),
        Row(_("Guest"), guest_name),
        Row(_("Confirmation"), confirmation_code),
        Row(_("Room"), room_number),
        Row(_("Arrival"), format_date(arrival, "medium", locale=locale)),
        Row(_("Departure"), format_date(departure, "medium", locale=locale)),
        Separator(),
    ]
    elements += [Row(line.label, format_money(line.amount, locale)) for line in lines]
    subtotal = sum(line.amount.minor for line in lines)
    elements += [Separator(), Row(_("Subtotal"), format_signed(subtotal, total.currency, locale))]
    elements += [
        Row(f"{levy.label} {_percent(levy.rate_bp, locale)}", format_money(levy.amount, locale))
        for levy in levies
    ]
    elements += [Row(_("Total"), format_money(total, locale), bold=True), Separator()]
    elements += [
        Row(line.label, format_signed(-line.amount.minor if line.credit else line.amount.minor,
                                      line.amount.currency, locale))
        for line in settled
    ]  # fmt: skip
    elements.append(Row(_("Balance"), format_money(balance, locale), bold=True))
    for payment in payments:
        elements.append(Separator("."))
        elements.extend(payment_section(payment, locale, translate))
    elements += [
        Separator(),
        Text(_("Thank you for staying with us"), align="center"),
        _issued(issued_at, locale, translate),
        Cut(),
    ]
    return Receipt(tuple(elements), kind="invoice")


def payment_receipt(
    *,
    hotel_name: str,
    payment: CardPayment,
    issued_at: datetime,
    locale: str = "en",
    translate: Translate = _identity,
) -> Receipt:
    elements: list[Element] = [Title(hotel_name), Text(translate("Payment"), align="center"), Separator()]
    elements += payment_section(payment, locale, translate)
    elements += [Separator(), _issued(issued_at, locale, translate), Cut()]
    return Receipt(tuple(elements), kind="payment")


@dataclass(frozen=True)
class DayTotal:
    """One line of the end-of-day report: card payments of one method in one currency."""

    method: str  # the card brand as the terminal named it ("VISA"), or "card" when it did not
    currency: str
    count: int
    sales_minor: int  # sales and captures
    refunds_count: int
    refunds_minor: int  # refunds and reversals

    @property
    def net_minor(self) -> int:
        return self.sales_minor - self.refunds_minor


def end_of_day_receipt(
    *,
    hotel_name: str,
    kiosk_name: str,
    business_date: date,
    totals: Sequence[DayTotal],
    terminal_outcome: str,
    issued_at: datetime,
    locale: str = "en",
    translate: Translate = _identity,
) -> Receipt:
    """The day's card payments per method and currency, like a cash register's daily report."""
    _ = translate
    elements: list[Element] = [
        Title(hotel_name),
        Text(_("End of day"), align="center"),
        Row(_("Kiosk"), kiosk_name),
        Row(_("Business date"), format_date(business_date, "medium", locale=locale)),
        Row(_("Card terminal"), terminal_outcome),
        Separator(),
    ]
    for total in totals:
        elements += [
            Text(f"{total.method} ({total.currency})", bold=True),
            Row(
                _("Payments: {count}").format(count=total.count),
                format_signed(total.sales_minor, total.currency, locale),
            ),
            Row(
                _("Refunds: {count}").format(count=total.refunds_count),
                format_signed(-total.refunds_minor, total.currency, locale),
            ),
            Row(_("Net"), format_signed(total.net_minor, total.currency, locale), bold=True),
            Separator("."),
        ]
    if not totals:
        elements.append(Text(_("No card payments"), align="center"))
    elements += [Separator(), _issued(issued_at, locale, translate), Cut()]
    return Receipt(tuple(elements), kind="end_of_day")


def build_test_page(device_name: str, driver: str, profile: PrinterProfile) -> Receipt:
    """For technicians: shows the profile, the code pages at work, a ruler, a QR and a barcode."""
    # The ruler spans the text between the margins: what a receipt line can hold.
    ruler = "".join(str(i % 10) for i in range(1, profile.chars_per_line - 2 * profile.margin_chars + 1))
    return Receipt(
        (
            Title("Sambut test page"),
            Row("Device", device_name),
            Row("Driver", driver),
            Row("Profile", f"{profile.name}, {profile.dots_per_line} dots"),
            Row("QR", "native" if profile.native_qr else "raster"),
            Separator(),
            Text(ruler),
            Text("Nguyễn Thị Ánh - O'Brien - Zoë - Straße - Čapek - Ελένη - Пётр"),
            Text("Bold", bold=True),
            Text("Underline", underline=True),
            Text("Double", double=True),
            Text("right", align="right"),
            Separator(),
            QRCode("SAMBUT-TEST-PAGE"),
            Barcode("SAMBUT"),
            Feed(1),
            Cut(),
        ),
        kind="test",
    )
