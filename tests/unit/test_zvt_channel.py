"""The serial line protocol on a real pty pair: ACK/NAK, retries, T1/T2, repeated frames."""

import os
import select
import time
import tty

import pytest

from drivers.base import DeviceFailureError, DeviceTimeoutError
from drivers.payment.zvt.channel import FdLink, FramedChannel
from drivers.payment.zvt.codec import Apdu
from drivers.payment.zvt.framing import ACK_BYTE, NAK_BYTE, encode_frame

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
def line():
    """(channel on the master side, raw slave fd we play the peer with)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    yield FramedChannel(FdLink(master), ack_timeout=0.2, char_timeout=0.2, retries=2), slave
    os.close(master)
    os.close(slave)


def read_exactly(fd, n, timeout=2.0):
    data = b""
    deadline = time.monotonic() + timeout
    while len(data) < n and select.select([fd], [], [], max(0, deadline - time.monotonic()))[0]:
        data += os.read(fd, n - len(data))
    return data


def test_frame_is_acked_and_a_repeat_after_a_lost_ack_is_dropped(line):
    ch, peer = line
    frame = encode_frame(Apdu(0x04, 0xFF, b"\x0a\x00").encode())
    os.write(peer, frame + frame)  # the peer missed our ACK and sent the frame again
    assert ch.receive(1.0) == Apdu(0x04, 0xFF, b"\x0a\x00")
    assert ch.receive(0.1) is None
    assert read_exactly(peer, 2) == bytes([ACK_BYTE, ACK_BYTE])


def test_bad_crc_is_nakked(line):
    ch, peer = line
    os.write(peer, encode_frame(b"\x06\x0f\x00", corrupt_crc=True))
    assert ch.receive(0.3) is None
    assert read_exactly(peer, 1) == bytes([NAK_BYTE])


def test_stalled_frame_is_dropped_after_t2(line):
    ch, peer = line
    os.write(peer, encode_frame(b"\x06\x0f\x00")[:4])
    assert ch.receive(0.5) is None
    assert read_exactly(peer, 1) == bytes([NAK_BYTE])


def test_sender_retries_on_nak_and_gives_up(line):
    ch, peer = line
    os.write(peer, bytes([NAK_BYTE, NAK_BYTE, NAK_BYTE]))
    with pytest.raises(DeviceFailureError, match="NAK"):
        ch.send(Apdu(0x06, 0x01))
    assert read_exactly(peer, 3 * 7).count(b"\x10\x02") == 3  # first try + 2 retries


def test_sender_times_out_without_ack(line):
    ch, _peer = line
    with pytest.raises(DeviceTimeoutError):
        ch.send(Apdu(0x06, 0x01))
