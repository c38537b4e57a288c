"""The mailer: hands the outbox's e-mails (``models/mail.py``) to the property's mail server over
SMTP, in a thread of its own, so no API call ever waits on it.

Each due mail is claimed by moving its next attempt past a lease before it is sent (a second
server process skips it), then marked sent, or failed for good, or given its next attempt:
``retry_s`` after the first failure, doubling, at most an hour apart, until ``max_attempts``. A
mail server away, slow or refusing the login is worth waiting for; one that refuses the address
or the message (a 5xx) will refuse it again, so that mail fails at once. Failed mails, and mails
still being retried, are listed for staff on the dashboard's E-mail page. The Message-ID is the
mail's own id, so a copy sent twice after a crash mid-send is recognisably the same mail.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from sqlalchemy import select, update

from frontoffice.db import Database
from frontoffice.models import MailStatus, OutgoingMail
from frontoffice.models.base import utcnow
from frontoffice.settings import SmtpSection

log = logging.getLogger(__name__)

MAX_DELAY_S = 3600.0


class Refused(Exception):
    """The mail server refused this mail itself (a 5xx): sending it again cannot help."""


class Mailer:
    def __init__(
        self,
        db: Database,
        smtp: SmtpSection,
        *,
        clock: Callable[[], datetime] = utcnow,
        poll_s: float = 5.0,
        batch: int = 20,
    ) -> None:
        self.db = db
        self.smtp = smtp
        self.clock = clock
        self.poll_s = poll_s
        self.batch = batch
        self.lease = timedelta(seconds=max(60.0, smtp.timeout_s * 3))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the thread ------------------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="mailer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.smtp.timeout_s + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the database away: the next round tries again
                log.exception("mailer round failed")
            self._stop.wait(self.poll_s)

    # -- one round --------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Send what is due now; returns how many the mail server accepted."""
        now = self.clock()
        with self.db.session() as session:
            due = session.scalars(
                select(OutgoingMail.id)
                .where(OutgoingMail.status == MailStatus.PENDING, OutgoingMail.next_attempt_at <= now)
                .order_by(OutgoingMail.created_at)
                .limit(self.batch)
            ).all()
        return sum(self._attempt(mail_id, now) for mail_id in due)

    def _claim(self, mail_id: object, now: datetime) -> OutgoingMail | None:
        with self.db.session(write=True) as session:
            claimed = session.execute(
                update(OutgoingMail)
                .where(
                    OutgoingMail.id == mail_id,
                    OutgoingMail.status == MailStatus.PENDING,
                    OutgoingMail.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + self.lease, attempts=OutgoingMail.attempts + 1)
            ).rowcount
            return session.get(OutgoingMail, mail_id) if claimed == 1 else None

    def _attempt(self, mail_id: object, now: datetime) -> bool:
        mail = self._claim(mail_id, now)
        if mail is None:
            return False  # another worker has it
        try:
            self.send(mail)
        except Refused as exc:
            self._record(mail, MailStatus.FAILED, str(exc))
            log.warning("mail %s refused by the mail server: %s", mail.id, _code(exc))
            return False
        except (smtplib.SMTPException, OSError) as exc:
            last = mail.attempts >= self.smtp.max_attempts
            delay = min(self.smtp.retry_s * 2 ** (mail.attempts - 1), MAX_DELAY_S)
            self._record(
                mail,
                MailStatus.FAILED if last else MailStatus.PENDING,
                _describe(exc),
                now + timedelta(seconds=delay),
            )
            log.warning("mail %s not sent (attempt %d): %s", mail.id, mail.attempts, type(exc).__name__)
            return False
        self._record(mail, MailStatus.SENT, "", sent_at=self.clock())
        log.info("mail %s sent (attempt %d)", mail.id, mail.attempts)
        return True

    def _record(
        self,
        mail: OutgoingMail,
        status: MailStatus,
        error: str,
        next_at: datetime | None = None,
        sent_at: datetime | None = None,
    ) -> None:
        values: dict[str, object] = {"status": status, "last_error": error[:500], "sent_at": sent_at}
        if next_at is not None:
            values["next_attempt_at"] = next_at
        with self.db.session(write=True) as session:
            session.execute(update(OutgoingMail).where(OutgoingMail.id == mail.id).values(**values))

    # -- SMTP -------------------------------------------------------------------------------------

    def message(self, mail: OutgoingMail) -> EmailMessage:
        cfg = self.smtp
        msg = EmailMessage()
        msg["From"] = formataddr((cfg.from_name, cfg.from_address))
        msg["To"] = mail.recipient
        msg["Subject"] = mail.subject
        msg["Date"] = format_datetime(mail.created_at)
        msg["Message-ID"] = f"<{mail.id}@{cfg.from_address.rsplit('@', 1)[1]}>"
        msg["Content-Language"] = mail.language
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(mail.text_body)
        msg.add_alternative(mail.html_body, subtype="html")
        return msg

    def send(self, mail: OutgoingMail) -> None:
        cfg = self.smtp
        context = ssl.create_default_context(cafile=str(cfg.ca_file) if cfg.ca_file else None)
        client: smtplib.SMTP = (
            smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=context)
            if cfg.security == "ssl"
            else smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        )
        with client:
            if cfg.security == "starttls":
                client.starttls(context=context)
            if cfg.user:
                client.login(cfg.user, cfg.password.get_secret_value())
            try:
                client.send_message(self.message(mail))
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                if code >= 500:
                    raise Refused(f"{code} {_text(text)} (the address was refused)") from exc
                raise
            except smtplib.SMTPDataError as exc:
                if exc.smtp_code >= 500:
                    raise Refused(
                        f"{exc.smtp_code} {_text(exc.smtp_error)} (the message was refused)"
                    ) from exc
                raise


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def _code(exc: Refused) -> str:
    return str(exc).split(" ", 1)[0]


def _describe(exc: BaseException) -> str:
    """What staff read on the dashboard: the server's answer, or why it could not be reached."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"the mail server refused the login ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"{code} {_text(text)}"
    if isinstance(exc, TimeoutError):
        return "the mail server did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "the mail server refused the connection (is it running?)"
    return f"the mail server could not be reached: {exc}"
