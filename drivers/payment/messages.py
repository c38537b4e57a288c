"""What result codes and terminal display codes mean: for technicians and, briefly, for guests.

Codes are ZVT's (the result code of BMP 27 / 06 1E, the intermediate status of 04 FF), which other
terminal protocols map onto. Guest texts are a small table keyed by language until the kiosk's
gettext catalogues take over.
"""

from __future__ import annotations

import enum

RESULT_MEANINGS: dict[int, str] = {
    0x00: "no error, approved",
    0x64: "card not readable (LRC/parity error)",
    0x65: "card data not present",
    0x66: "processing error",
    0x67: "function not permitted for ec and Maestro cards",
    0x68: "function not permitted for credit and tank cards",
    0x6A: "turnover file full",
    0x6B: "function deactivated (terminal not registered)",
    0x6C: "abort via timeout or abort key",
    0x6E: "card in blocked list",
    0x6F: "wrong currency",
    0x71: "credit not sufficient",
    0x72: "chip error",
    0x73: "card data incorrect",
    0x77: "end-of-day batch not possible",
    0x78: "card expired",
    0x79: "card not yet valid",
    0x7A: "card unknown",
    0x7D: "communication error",
    0x83: "function not possible",
    0x85: "key missing",
    0x89: "PIN pad defective",
    0x9A: "ZVT protocol error",
    0x9B: "error from dial-up / communication fault",
    0x9C: "please wait",
    0xA0: "receiver not ready",
    0xA1: "remote station does not respond",
    0xA3: "no connection",
    0xB1: "memory full",
    0xB2: "merchant journal full",
    0xB4: "already reversed",
    0xB5: "reversal not possible",
    0xB7: "pre-authorisation incorrect (amount too high) or amount wrong",
    0xB8: "error pre-authorisation",
    0xBF: "voltage supply too low",
    0xC0: "card locking mechanism defective",
    0xC1: "merchant card locked",
    0xC2: "diagnosis required",
    0xC3: "maximum amount exceeded",
    0xC4: "card profile invalid",
    0xC5: "payment method not supported",
    0xC6: "currency not applicable",
    0xC8: "amount too small",
    0xC9: "max. transaction amount too small",
    0xCB: "function only allowed in EURO",
    0xCC: "printer not ready",
    0xCD: "cashback not possible",
    0xD2: "function not permitted for service cards",
    0xDC: "card inserted",
    0xDD: "error during card eject",
    0xDE: "error during card insertion",
    0xE0: "remote maintenance activated",
    0xE2: "card reader does not answer / card reader defective",
    0xE3: "shutter closed",
    0xE4: "terminal activation required",
    0xF0: "open end-of-day batch present",
    0xF1: "ec-cash/Maestro offline error",
    0xFA: "error transmitting offline transactions",
    0xFB: "turnover data set defective",
    0xFC: "necessary device not present",
    0xFD: "baud rate not supported",
    0xFE: "register unknown",
    0xFF: "system error",
}


def result_meaning(code: int | None) -> str:
    if code is None:
        return "result not known"
    if code in RESULT_MEANINGS:
        return RESULT_MEANINGS[code]
    if 0x01 <= code <= 0x63:
        return f"declined by the authorisation system (host code {code:02d})"
    return f"result code {code:02X}"


# Terminal status codes (completion of the status enquiry 05 01), ZVT spec chapter "Terminal Status
# Codes": 00 is ready, and so are "card inserted" and "card not completely removed", whose recovery
# action the spec gives as "PT ready"; every other code is a locked condition.
TERMINAL_STATUS_MEANINGS: dict[int, str] = {
    0x00: "ready",
    0x51: "initialisation required",
    0x62: "date/time incorrect",
    0x9C: "please wait (e.g. software update still running)",
    0x9D: "partial issue of goods",
    0xB1: "memory full",
    0xB2: "merchant journal full",
    0xBF: "voltage supply too low",
    0xC0: "card locking mechanism defective",
    0xC1: "merchant card locked",
    0xC2: "diagnosis required",
    0xC4: "card profile invalid, new card profiles must be loaded",
    0xCC: "printer not ready",
    0xDC: "ready, card inserted",
    0xDF: "out of order",
    0xE0: "remote maintenance activated",
    0xE1: "ready, card not completely removed",
    0xE2: "card reader does not answer / card reader defective",
    0xE3: "shutter closed",
    0xE4: "terminal activation required",
    0xF0: "reconciliation (end of day) required",
    0xF6: "OPT data not available (OPT personalisation required)",
}
READY_TERMINAL_STATUSES = frozenset({0x00, 0xDC, 0xE1})


def terminal_status_meaning(code: int | None) -> str:
    if code is None:
        return "terminal status not reported"
    return TERMINAL_STATUS_MEANINGS.get(code, f"terminal status {code:02X}")


class GuestMessage(enum.StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    CARD_UNREADABLE = "card_unreadable"
    CARD_EXPIRED = "card_expired"
    ABORTED = "aborted"
    TERMINAL_PROBLEM = "terminal_problem"
    UNKNOWN = "unknown"


_CARD_UNREADABLE = {0x64, 0x65, 0x72, 0x73, 0xDD, 0xDE}
_CARD_DECLINED = {0x6E, 0x6F, 0x71, 0x79, 0x7A, 0xC3, 0xC4, 0xC5, 0xC6, 0xC8}


def guest_message_for(code: int | None) -> GuestMessage:
    if code is None:
        return GuestMessage.UNKNOWN
    if code == 0x00:
        return GuestMessage.APPROVED
    if code == 0x6C:
        return GuestMessage.ABORTED
    if code == 0x78:
        return GuestMessage.CARD_EXPIRED
    if code in _CARD_UNREADABLE:
        return GuestMessage.CARD_UNREADABLE
    if 0x01 <= code <= 0x63 or code in _CARD_DECLINED:
        return GuestMessage.DECLINED
    return GuestMessage.TERMINAL_PROBLEM


GUEST_TEXTS: dict[str, dict[GuestMessage, str]] = {
    "en": {
        GuestMessage.APPROVED: "Payment approved. Thank you!",
        GuestMessage.DECLINED: "Payment declined. Please try another card.",
        GuestMessage.CARD_UNREADABLE: "Your card could not be read. Please try again.",
        GuestMessage.CARD_EXPIRED: "This card has expired. Please use another card.",
        GuestMessage.ABORTED: "Payment cancelled. You have not been charged.",
        GuestMessage.TERMINAL_PROBLEM: "The card terminal has a problem. Please ask our staff.",
        GuestMessage.UNKNOWN: (
            "We could not confirm your payment. Our staff will check it; you will not be charged twice."
        ),
    },
    "id": {
        GuestMessage.APPROVED: "Pembayaran berhasil. Terima kasih!",
        GuestMessage.DECLINED: "Pembayaran ditolak. Silakan gunakan kartu lain.",
        GuestMessage.CARD_UNREADABLE: "Kartu Anda tidak dapat dibaca. Silakan coba lagi.",
        GuestMessage.CARD_EXPIRED: "Kartu ini sudah kedaluwarsa. Silakan gunakan kartu lain.",
        GuestMessage.ABORTED: "Pembayaran dibatalkan. Anda tidak dikenai biaya.",
        GuestMessage.TERMINAL_PROBLEM: "Terminal kartu sedang bermasalah. Silakan hubungi staf kami.",
        GuestMessage.UNKNOWN: (
            "Pembayaran Anda belum dapat dipastikan. Staf kami akan memeriksanya; "
            "Anda tidak akan ditagih dua kali."
        ),
    },
}


def guest_text(message: GuestMessage, language: str) -> str:
    return GUEST_TEXTS.get(language, GUEST_TEXTS["en"])[message]


# Intermediate status (04 FF): what the terminal shows the guest while a transaction runs.
DISPLAY_TEXTS: dict[str, dict[int, str]] = {
    "en": {
        0x00: "Waiting for amount confirmation",
        0x01: "Please watch the PIN pad",
        0x02: "Please watch the PIN pad",
        0x03: "Not accepted",
        0x04: "Waiting for the bank",
        0x05: "Sending auto-reversal",
        0x07: "Card not admitted",
        0x08: "Card unknown",
        0x09: "Card expired",
        0x0A: "Insert card",
        0x0B: "Please remove card",
        0x0C: "Card not readable",
        0x0D: "Processing error",
        0x0E: "Please wait",
        0x10: "Invalid card",
        0x12: "System malfunction",
        0x13: "Payment not possible",
        0x14: "Credit not sufficient",
        0x15: "Incorrect PIN",
        0x17: "Please wait",
        0x18: "PIN try limit exceeded",
        0x1D: "Declined",
    },
    "id": {
        0x00: "Menunggu konfirmasi jumlah",
        0x01: "Silakan lihat PIN pad",
        0x02: "Silakan lihat PIN pad",
        0x03: "Tidak diterima",
        0x04: "Menunggu bank",
        0x05: "Mengirim pembatalan otomatis",
        0x07: "Kartu tidak diterima",
        0x08: "Kartu tidak dikenal",
        0x09: "Kartu kedaluwarsa",
        0x0A: "Masukkan kartu",
        0x0B: "Silakan cabut kartu",
        0x0C: "Kartu tidak terbaca",
        0x0D: "Kesalahan pemrosesan",
        0x0E: "Mohon tunggu",
        0x10: "Kartu tidak valid",
        0x12: "Gangguan sistem",
        0x13: "Pembayaran tidak dapat dilakukan",
        0x14: "Saldo tidak mencukupi",
        0x15: "PIN salah",
        0x17: "Mohon tunggu",
        0x18: "Batas percobaan PIN terlampaui",
        0x1D: "Ditolak",
    },
}


def display_text(code: int, language: str = "en") -> str:
    texts = DISPLAY_TEXTS.get(language, DISPLAY_TEXTS["en"])
    return texts.get(code, DISPLAY_TEXTS["en"].get(code, f"Terminal status {code:02X}"))
