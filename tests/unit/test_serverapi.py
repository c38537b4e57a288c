"""The kiosk's server client turns every failure into a ServerError with a code to branch on."""

import socket

import pytest

from kiosk.config import KioskSettings
from kiosk.serverapi import ServerClient, ServerError


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_is_reported_not_raised_raw(tmp_path):
    settings = KioskSettings(
        server={"url": f"http://127.0.0.1:{_free_port()}", "token_file": str(tmp_path / "t"), "timeout_s": 1}
    )
    client = ServerClient(settings)
    with pytest.raises(ServerError) as err:
        client.whoami()
    assert err.value.code == "unreachable"
    client.close()


def test_timeout_is_reported(tmp_path):
    with socket.socket() as listener:  # accepts, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        settings = KioskSettings(
            server={"url": f"http://127.0.0.1:{port}", "token_file": str(tmp_path / "t"), "timeout_s": 0.3}
        )
        client = ServerClient(settings)
        with pytest.raises(ServerError) as err:
            client.whoami()
        assert err.value.code == "timeout"
        client.close()
