"""Every table of the front-office database; importing this module registers them all."""

from frontoffice.models.backoffice import NightAudit, StaffUser
from frontoffice.models.base import Base
from frontoffice.models.folio import Charge, ChargeType, Invoice, InvoiceSeries, Payment, PaymentKind
from frontoffice.models.kiosk import AssistanceRequest, AuditEvent, Kiosk, KioskHeartbeat
from frontoffice.models.mail import MailKind, MailStatus, OutgoingMail
from frontoffice.models.property import READY_STATES, Housekeeping, Occupancy, Property, Rate, Room, RoomType
from frontoffice.models.reservation import (
    Guest,
    ImageKind,
    RegistrationImage,
    Reservation,
    ReservationStatus,
    RoomNight,
)
from frontoffice.models.sync import ChangeLog, DeadLetter, ProcessedOp

__all__ = [
    "READY_STATES",
    "AssistanceRequest",
    "AuditEvent",
    "Base",
    "ChangeLog",
    "Charge",
    "ChargeType",
    "DeadLetter",
    "Guest",
    "Housekeeping",
    "ImageKind",
    "Invoice",
    "InvoiceSeries",
    "Kiosk",
    "KioskHeartbeat",
    "MailKind",
    "MailStatus",
    "NightAudit",
    "Occupancy",
    "OutgoingMail",
    "Payment",
    "PaymentKind",
    "ProcessedOp",
    "Property",
    "Rate",
    "RegistrationImage",
    "Reservation",
    "ReservationStatus",
    "Room",
    "RoomNight",
    "RoomType",
    "StaffUser",
]
