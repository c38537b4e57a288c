"""Sample receipts shared by the printer tests and the printer benchmark."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from drivers.money import Money
from drivers.printer.receipts import (
    CardPayment,
    Invoice,
    InvoiceLine,
    Levy,
    checkin_receipt,
    checkout_invoice,
    payment_receipt,
)

QR_PAYLOAD = "https://sambut.example/k/SMB-7K2Q9X?t=7f3a9c2e5b1d"

PAYMENT = CardPayment(
    amount=Money(125_000_000, "IDR"),
    card_brand="VISA",
    masked_pan="**** **** **** 1234",
    auth_code="A1B2C3",
    terminal_lines=("Terminal-ID 52000123", "SALE / DEBIT", "Trace 000417", "APPROVED"),
    label="Your stay, 3 nights",
    receipt_no="52000123-0417",
)
ISSUED_AT = datetime(2026, 11, 26, 14, 3, tzinfo=ZoneInfo("Asia/Makassar"))


def _idr(minor: int) -> Money:
    return Money(minor, "IDR")


def sample_checkin(
    locale: str = "en_ID",
    guest_name: str = "Nguyễn Thị Ánh",
    translate=None,
    room_access_code: str = "482913",
):
    kwargs = {} if translate is None else {"translate": translate}
    return checkin_receipt(
        hotel_name="Hotel Sambut Bali",
        guest_name=guest_name,
        confirmation_code="SMB-7K2Q9X",
        room_number="1204",
        floor="12",
        arrival=date(2026, 11, 26),
        departure=date(2026, 11, 29),
        wifi_ssid="Sambut-Guest",
        wifi_password="selamat-datang-42",
        breakfast=(time(6, 30), time(10, 30)),
        room_access_code=room_access_code,
        qr_payload=QR_PAYLOAD,
        issued_at=ISSUED_AT,
        payments=[PAYMENT],
        locale=locale,
        **kwargs,
    )


def sample_payment(locale: str = "en_ID"):
    return payment_receipt(
        hotel_name="Hotel Sambut Bali", payment=PAYMENT, issued_at=ISSUED_AT, locale=locale
    )


def sample_invoice(locale: str = "en_ID"):
    """Three nights at IDR 1,000,000 with 10 % service, then 10 % tax on room and service."""
    return checkout_invoice(
        hotel_name="Hotel Sambut Bali",
        hotel_address="Jl. Raya Kuta 88, Badung, Bali 80361",
        invoice=Invoice("INV-SMB-2026-000042", tax_id="01.234.567.8-901.000"),
        guest_name="Nguyễn Thị Ánh",
        confirmation_code="SMB-7K2Q9X",
        room_number="1204",
        arrival=date(2026, 11, 26),
        departure=date(2026, 11, 29),
        lines=[
            InvoiceLine("Room, night of 26 Nov 2026", _idr(100_000_000)),
            InvoiceLine("Room, night of 27 Nov 2026", _idr(100_000_000)),
            InvoiceLine("Room, night of 28 Nov 2026", _idr(100_000_000)),
            InvoiceLine("Minibar", _idr(7_500_000)),
        ],
        levies=[Levy("Service charge", 1000, _idr(30_000_000)), Levy("Tax", 1000, _idr(33_000_000))],
        total=_idr(370_500_000),
        settled=[
            InvoiceLine("Card payment", _idr(363_000_000), credit=True),
            InvoiceLine("Card payment", _idr(7_500_000), credit=True),  # the minibar, at check-out
        ],
        balance=_idr(0),
        issued_at=datetime(2026, 11, 29, 11, 42, tzinfo=ZoneInfo("Asia/Makassar")),
        payments=[
            CardPayment(_idr(7_500_000), "VISA", "**** **** **** 1234", "D4E5F6", receipt_no="52000123-0502")
        ],
        locale=locale,
    )
