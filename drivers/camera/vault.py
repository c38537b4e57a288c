"""ID images at rest, only where a property has chosen to keep them (``store_id_images = true``).

Each image is encrypted (Fernet: AES-128-CBC with an HMAC-SHA256) under a key kept in its own file,
named by time and a random id (never by document number), and deleted once older than the
retention period. A key on the same disk stops a copied image folder from being read, not an
attacker who owns the machine; a deployment that needs more keeps the key file on other storage.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

_STAMP = "%Y%m%dT%H%M%SZ"
_SUFFIX = ".idimg"


class ImageVault:
    def __init__(self, directory: Path, key_file: Path, retention_days: int) -> None:
        self.directory, self.key_file = directory, key_file
        self.retention = timedelta(days=retention_days)
        self._fernet: Fernet | None = None

    def _cipher(self) -> Fernet:
        if self._fernet is None:
            if not self.key_file.exists():
                self.key_file.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(Fernet.generate_key())
            self._fernet = Fernet(self.key_file.read_bytes().strip())
        return self._fernet

    def store(self, image: bytes, now: datetime | None = None) -> Path:
        """Encrypt and write one image; returns its path. Written whole or not at all."""
        now = now or datetime.now(UTC)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.directory / f"{now.astimezone(UTC).strftime(_STAMP)}-{uuid.uuid4().hex}{_SUFFIX}"
        token = self._cipher().encrypt_at_time(image, int(now.timestamp()))
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(token)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        return path

    def load(self, path: Path) -> bytes:
        """The image, for staff; raises cryptography's InvalidToken if the file was altered."""
        return self._cipher().decrypt(path.read_bytes())

    def purge(self, now: datetime | None = None) -> int:
        """Delete images past the retention period (and half-written leftovers); returns how many."""
        if not self.directory.is_dir():
            return 0
        cutoff = (now or datetime.now(UTC)) - self.retention
        removed = 0
        for path in self.directory.iterdir():
            if path.suffix == ".tmp":
                expired = True
            elif path.suffix == _SUFFIX:
                try:
                    taken = datetime.strptime(path.name.split("-", 1)[0], _STAMP).replace(tzinfo=UTC)
                except ValueError:
                    continue  # not ours: leave it alone
                expired = taken < cutoff
            else:
                continue
            if expired:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
