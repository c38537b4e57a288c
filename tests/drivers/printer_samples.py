"""Sample receipts shared by the printer tests and the printer benchmark."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from drivers.money import Money
from drivers.printer.receipts import CardPayment, checkin_receipt, payment_receipt

QR_PAYLOAD = "https://sambut.example/k/SMB-7K2Q9X?t=7f3a9c2e5b1d"

PAYMENT = CardPayment(
    amount=Money(125_000_000, "IDR"),
    card_brand="VISA",
    masked_pan="**** **** **** 1234",
    auth_code="A1B2C3",
    terminal_lines=("Terminal-ID 52000123", "SALE / DEBIT", "Trace 000417", "APPROVED"),
)
ISSUED_AT = datetime(2026, 11, 26, 14, 3, tzinfo=ZoneInfo("Asia/Makassar"))


def sample_checkin(
    locale: str = "en", guest_name: str = "Nguyễn Thị Ánh", translate=None, room_access_code: str = "482913"
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


def sample_payment(locale: str = "en"):
    return payment_receipt(
        hotel_name="Hotel Sambut Bali", payment=PAYMENT, issued_at=ISSUED_AT, locale=locale
    )
