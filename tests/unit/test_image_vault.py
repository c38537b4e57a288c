"""ID images at rest: encrypted under a separate key, deleted after the retention period."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import InvalidToken

from drivers.camera.vault import ImageVault

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def vault(tmp_path):
    return ImageVault(tmp_path / "images", tmp_path / "keys" / "vault.key", retention_days=7)


def test_round_trip_encrypted_on_disk_with_private_files(vault):
    path = vault.store(b"\x89PNG picture of a licence", NOW)
    assert b"licence" not in path.read_bytes()
    assert vault.load(path) == b"\x89PNG picture of a licence"
    assert path.stat().st_mode & 0o777 == 0o600
    assert vault.key_file.stat().st_mode & 0o777 == 0o600
    assert vault.directory.stat().st_mode & 0o777 == 0o700


def test_a_second_vault_reads_with_the_same_key_file(vault):
    path = vault.store(b"image", NOW)
    assert ImageVault(vault.directory, vault.key_file, 7).load(path) == b"image"


def test_tampered_file_is_refused(vault):
    path = vault.store(b"image", NOW)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(InvalidToken):
        vault.load(path)


def test_purge_deletes_only_what_is_past_retention(vault):
    old = vault.store(b"old", NOW - timedelta(days=8))
    recent = vault.store(b"recent", NOW - timedelta(days=6))
    leftover = vault.directory / "20261126T000000Z-abc.tmp"
    leftover.write_bytes(b"half")
    stranger = vault.directory / "notes.txt"
    stranger.write_text("not ours")
    assert vault.purge(NOW) == 2
    assert not old.exists() and not leftover.exists()
    assert recent.exists() and stranger.exists()


def test_purge_of_a_missing_folder_is_nothing(tmp_path):
    assert ImageVault(tmp_path / "none", tmp_path / "key", 7).purge(NOW) == 0
