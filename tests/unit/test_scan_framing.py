"""Cutting a scanner's byte stream into scans: terminators, MRZ assembly, licences with CR/LF inside."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idscan import encode_aamva
from drivers.idscan.framing import MAX_SCAN, ScanAssembler
from tests.idscan_samples import MODERN, TD1, TD3

CRLF = [b"\r\n", b"\r", b"\n"]


def assembler(terminators=CRLF):
    return ScanAssembler(terminators, mrz_timeout=0.5, aamva_timeout=1.0)


def test_lines_split_on_any_terminator_crlf_preferred():
    a = assembler()
    assert a.feed(b"ONE\r\nTWO\rTHREE\nFOUR", 0.0) == [b"ONE", b"TWO", b"THREE"]
    assert a.feed(b"\r", 0.1) == [b"FOUR"]
    assert a.feed(b"\n", 0.2) == []  # the LF of a split CR LF is not an empty scan


def test_custom_terminator():
    a = assembler([b"\x03"])
    assert a.feed(b"A\r\nB\x03C\x03", 0.0) == [b"A\r\nB", b"C"]


def test_mrz_lines_are_assembled_across_chunks():
    a = assembler()
    l1, l2, l3 = TD1.encode().split(b"\n")
    assert a.feed(l1 + b"\r\n" + l2[:10], 0.0) == []
    assert a.feed(l2[10:] + b"\r\n", 0.1) == []
    assert a.feed(l3 + b"\r\n", 0.2) == [TD1.encode()]


def test_incomplete_mrz_is_flushed_after_timeout():
    a = assembler()
    line = TD3.encode().split(b"\n")[0]
    assert a.feed(line + b"\r", 0.0) == []
    assert a.poll(0.4) == []
    assert a.poll(0.5) == [line]


def test_mrz_interrupted_by_other_scan_is_flushed_first():
    a = assembler()
    l1 = TD3.encode().split(b"\n")[0]
    assert a.feed(l1 + b"\nSBT1.X\n", 0.0) == [l1, b"SBT1.X"]


def test_licence_with_cr_and_lf_inside_is_one_scan():
    data = encode_aamva(MODERN, extra_subfiles={"ZV": {"ZVA": "01"}})
    assert b"\r" in data[30:] and b"\n" in data[30:]
    a = assembler()
    out = []
    for i in range(0, len(data), 17):  # arrives in small chunks, as over 9600 baud
        out += a.feed(data[i : i + 17], i / 1000)
    out += a.feed(b"\r\nNEXT\r\n", 1.0)
    assert out == [data, b"NEXT"]


def test_truncated_licence_is_flushed_after_timeout():
    data = encode_aamva(MODERN)[:100]
    a = assembler()
    assert a.feed(data, 0.0) == []
    assert a.poll(1.0) == [data]


def test_endless_garbage_is_cut():
    a = assembler()
    assert a.feed(b"x" * (MAX_SCAN + 1), 0.0) == [b"x" * (MAX_SCAN + 1)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=20))
def test_any_byte_stream_never_raises_and_loses_nothing_but_terminators(chunks):
    a = assembler()
    out = []
    for i, chunk in enumerate(chunks):
        out += a.feed(chunk, i * 0.1)
    out += a.poll(1e9)
    joined = b"".join(chunks)
    assert sum(len(s) for s in out) <= len(joined)


@pytest.mark.parametrize("term", [b"\r", b"\n", b"\r\n"])
def test_scans_round_trip_with_each_terminator(term):
    a = assembler([term])
    scans = [b"SBT1.A", TD3.encode().replace(b"\n", term), b"CODE128"]
    out = a.feed(term.join(scans) + term, 0.0)
    assert out == [b"SBT1.A", TD3.encode(), b"CODE128"]
