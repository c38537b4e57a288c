"""Guests' receipts and invoices by e-mail, against a real SMTP server (aiosmtpd on a free port), on
SQLite and PostgreSQL: queued with the check-in and check-out, sent once by the mailer, retried
while the mail server is away, failed at once when it refuses the address, and shown to staff."""

from __future__ import annotations

import email
import email.policy
import socket
import time
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import select

from frontoffice.api.app import create_app
from frontoffice.db import Database
from frontoffice.models import MailKind, MailStatus, OutgoingMail, Property
from frontoffice.models.base import utcnow
from frontoffice.services import staff
from frontoffice.services.mailer import Mailer
from frontoffice.settings import ServerSettings, SmtpSection
from tests.server.conftest import idem
from tests.server.helpers import arrival, card_payment

FROM = "frontdesk@hotel-sambut.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it was given, or refuses one recipient with a 550."""

    def __init__(self, refuse: str = "") -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self, port: int, refuse: str = "") -> None:
        self.inbox = Inbox(refuse)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def smtp(port: int) -> SmtpSection:
    return SmtpSection(
        enabled=True, host="127.0.0.1", port=port, security="none", from_address=FROM,
        from_name="Hotel Sambut Jakarta", retry_s=60, max_attempts=3, timeout_s=5,
    )  # fmt: skip


@pytest.fixture
def api(db: Database, token: str, smtp: SmtpSection) -> TestClient:
    """The API with [smtp] on, without its own mailer thread (each test runs a Mailer by hand)."""
    c = TestClient(create_app(db, smtp=smtp))
    c.headers["Authorization"] = f"Bearer {token}"
    return c


def check_in(client: TestClient, surname: str, address: str, language: str | None = "id") -> dict:
    r = arrival(client, surname)
    pay = client.post(
        f"/api/v1/reservations/{r['id']}/payments", json=card_payment(r["total"]), headers=idem()
    )
    assert pay.status_code == 201, pay.text
    registration = {"email": address, "phone": "+62 812 3456 789", "terms_version": "2026-01"}
    if language:
        registration["language"] = language
    res = client.post(
        f"/api/v1/reservations/{r['id']}/check-in", json={"registration": registration}, headers=idem()
    )
    assert res.status_code == 200, res.text
    return res.json()


def mails(db: Database) -> list[OutgoingMail]:
    with db.session() as session:
        return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.created_at)))


def parts(message: Message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    html = message.get_body(("html",)).get_content()  # type: ignore[attr-defined]
    return text, html


def test_check_in_receipt_and_check_out_invoice_are_sent_once_in_the_guests_language(db, api, smtp, port):
    stay = check_in(api, "Santoso", "budi@example.org", language="id")
    [queued] = mails(db)
    assert (queued.kind, queued.status, queued.language) == (MailKind.CHECK_IN, MailStatus.PENDING, "id")
    mailer = Mailer(db, smtp)
    with SmtpServer(port) as inbox:
        assert mailer.run_once() == 1
        assert mailer.run_once() == 0  # sent once
        [(to, message)] = inbox.messages
        assert to == ["budi@example.org"] and message["To"] == "budi@example.org"
        assert "Hotel Sambut Jakarta" in message["From"] and FROM in message["From"]
        assert message["Subject"] == f"Menginap di Hotel Sambut Jakarta: kamar {stay['room']['number']}"
        assert message["Message-ID"] == f"<{queued.id}@hotel-sambut.example>"
        text, html = parts(message)
        assert "Anda sudah check-in" in text and stay["room"]["number"] in text
        assert "Wi-Fi" in text and "Sarapan" in text and "Pembayaran kartu · VISA berakhiran 4242" in text
        assert "Rp" in text and "Tagihan Anda sudah lunas" in text
        assert "<table" in html and stay["room"]["number"] in html
        assert stay["access_code"] not in text  # the room's code stays on paper

        res = api.post(f"/api/v1/reservations/{stay['id']}/check-out", headers=idem())
        assert res.status_code == 200, res.text
        assert mailer.run_once() == 1
        _, invoice = inbox.messages[1]
        assert invoice["Subject"] == "Faktur Anda dari Hotel Sambut Jakarta"
        text, _ = parts(invoice)
        assert "Malam" in text and "Kamar" in text and "Pajak" in text and "Total" in text
    assert [m.status for m in mails(db)] == [MailStatus.SENT, MailStatus.SENT]


def test_mail_server_down_then_up_loses_nothing_and_sends_once(db, api, smtp, port):
    started = time.perf_counter()
    check_in(api, "Santoso", "budi@example.org", language=None)
    assert time.perf_counter() - started < 5  # the check-in never waits for the mail server
    clock = Clock()
    mailer = Mailer(db, smtp, clock=clock)
    assert mailer.run_once() == 0  # nothing listens on the port
    [mail] = mails(db)
    assert mail.status is MailStatus.PENDING and mail.attempts == 1 and mail.language == "en"
    assert "refused the connection" in mail.last_error
    assert mail.next_attempt_at >= clock.now + timedelta(seconds=59)
    with SmtpServer(port) as inbox:
        assert mailer.run_once() == 0  # not due yet: backing off
        clock.now += timedelta(seconds=61)
        assert mailer.run_once() == 1
        clock.now += timedelta(hours=2)
        assert mailer.run_once() == 0
        assert len(inbox.messages) == 1
        assert inbox.messages[0][1]["Subject"].startswith("Your stay at Hotel Sambut Jakarta")
    [mail] = mails(db)
    assert mail.status is MailStatus.SENT and mail.attempts == 2 and mail.last_error == ""


def test_out_of_attempts_it_fails_and_is_shown_to_staff(db, api, smtp, hotel):
    check_in(api, "Santoso", "budi@example.org")
    clock = Clock()
    mailer = Mailer(db, smtp, clock=clock)
    for _ in range(smtp.max_attempts + 2):
        mailer.run_once()
        clock.now += timedelta(hours=2)
    [mail] = mails(db)
    assert mail.status is MailStatus.FAILED and mail.attempts == smtp.max_attempts


def test_a_refused_address_fails_at_once_is_not_retried_and_staff_see_it(db, api, smtp, port, hotel):
    check_in(api, "Santoso", "nobody@example.org")
    clock = Clock()
    mailer = Mailer(db, smtp, clock=clock)
    with SmtpServer(port, refuse="nobody@example.org") as inbox:
        assert mailer.run_once() == 0
        clock.now += timedelta(days=1)
        assert mailer.run_once() == 0
        assert inbox.messages == []
    [mail] = mails(db)
    assert mail.status is MailStatus.FAILED and mail.attempts == 1
    assert mail.last_error.startswith("550") and "address was refused" in mail.last_error

    with db.session(write=True) as session:
        staff.set_password(session, session.get_one(Property, hotel.id), "frida", "correct horse battery")
    web = TestClient(create_app(db), base_url="https://testserver")
    csrf = web.get("/dashboard/login").text.split('name="csrf" value="')[1].split('"')[0]
    assert web.post(
        "/dashboard/login", data={"name": "frida", "password": "correct horse battery", "csrf": csrf}
    ).status_code in (200, 303)
    today = web.get("/dashboard").text
    assert 'href="/dashboard/mail"' in today and '<span class="badge">1</span>' in today
    page = web.get("/dashboard/mail").text
    assert "nobody@example.org" in page and "550" in page and "address was refused" in page


def test_off_by_default_nothing_is_queued_and_the_kiosk_promises_nothing(db, client):
    assert client.get("/api/v1/kiosk").json()["property"]["email_receipts"] is False
    check_in(client, "Santoso", "budi@example.org")
    assert mails(db) == []


def test_on_the_kiosk_is_told_and_the_apps_own_mailer_sends(db, token, smtp, port):
    with SmtpServer(port) as inbox, TestClient(create_app(db, smtp=smtp)) as c:
        c.headers["Authorization"] = f"Bearer {token}"
        assert c.get("/api/v1/kiosk").json()["property"]["email_receipts"] is True
        check_in(c, "Santoso", "budi@example.org")
        deadline = time.monotonic() + 20
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(inbox.messages) == 1


def test_the_password_is_never_shown():
    settings = ServerSettings(
        smtp={"enabled": True, "host": "mail", "from_address": FROM, "password": "hunter2"}
    )
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.model_dump())
    assert settings.smtp.password.get_secret_value() == "hunter2"


def test_an_enabled_smtp_without_a_host_is_refused():
    with pytest.raises(ValueError, match="host and from_address"):
        SmtpSection(enabled=True)


def self_signed(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, as a mail relay with a private CA would have."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "relay.pem", folder / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_path), str(key_path)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_login_as_a_real_mail_server_asks(db, api, smtp, port, tmp_path, security):
    import ssl

    from aiosmtpd.smtp import AuthResult

    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        ok = auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 235 or 535

    inbox = Inbox()
    tls = (
        {"tls_context": context, "require_starttls": True}
        if security == "starttls"
        else {"ssl_context": context}
    )
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=authenticator, auth_required=True,
        # aiosmtpd offers AUTH over implicit TLS only when not told to wait for STARTTLS.
        auth_require_tls=security == "starttls", **tls,
    )  # fmt: skip
    check_in(api, "Santoso", "budi@example.org")

    def settings(password: str) -> SmtpSection:
        changes = {"security": security, "ca_file": cert, "user": "kiosk", "password": password}
        return SmtpSection.model_validate({**smtp.model_dump(), **changes})

    clock = Clock()
    controller.start()
    try:
        assert (
            Mailer(db, settings("wrong"), clock=clock).run_once() == 0
        )  # a refused login is retried, not lost
        [mail] = mails(db)
        assert mail.status is MailStatus.PENDING and "refused the login" in mail.last_error
        clock.now += timedelta(hours=2)
        assert Mailer(db, settings("s3cret"), clock=clock).run_once() == 1
    finally:
        controller.stop()
    # smtplib tries each mechanism offered with the wrong password, then logs in with the right one.
    assert {p for _, p in logins[:-1]} == {b"wrong"} and logins[-1] == (b"kiosk", b"s3cret")
    assert len(inbox.messages) == 1
