"""The technician commands, and the import rules of the ID-scanning packages."""

import json
import subprocess
import sys

import main
from drivers.idscan import encode_aamva
from tests.idscan_samples import MODERN, TD3


def test_parse_command_masks_the_number(tmp_path, capsys):
    scan = tmp_path / "scan.txt"
    scan.write_text(TD3 + "\r\n", encoding="ascii")
    assert main.main(["idscan", "parse", str(scan)]) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith("td3: valid")
        and "******2C3" in out
        and "L898902C3" not in out
        and "ERIKSSON" not in out
    )


def test_parse_command_reads_raw_licence_bytes(tmp_path, capsys):
    scan = tmp_path / "licence.bin"
    scan.write_bytes(encode_aamva(MODERN))
    assert main.main(["idscan", "parse", str(scan)]) == 0
    assert capsys.readouterr().out.startswith("aamva_dl: valid")


def test_parse_command_fails_on_rubbish(tmp_path, capsys):
    scan = tmp_path / "junk.txt"
    scan.write_bytes(b"\x00\xffhello")
    assert main.main(["idscan", "parse", str(scan)]) == 1
    assert "NOT VALID" in capsys.readouterr().out


def loaded_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_parsers_and_driver_registration_load_no_opencv_and_no_kiosk():
    loaded = loaded_after("import drivers.idscan, drivers.registry as r; r.load_builtin_drivers()")
    assert not {"cv2", "zxingcpp", "numpy", "kiosk", "frontoffice", "kivy"} & loaded


def test_command_line_loads_opencv_only_when_a_command_runs():
    assert not {"cv2", "zxingcpp", "kivy"} & loaded_after("import main; main.build_parser()")
