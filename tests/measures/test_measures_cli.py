"""``rapport measures`` through Typer's runner (the real CLI, no mocks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rapport.cli import build_app

PHQ9_COPYRIGHT = "Developed by Drs. Robert L. Spitzer"


def run(*args: str | Path, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_app(), [str(a) for a in args], input=stdin,
                              prog_name="rapport")


def test_list_shows_every_instrument_and_the_label() -> None:
    result = run("measures", "list")
    assert result.exit_code == 0
    for name in ("phq9", "gad7", "phq2", "gad2", "who5", "k10", "srs", "ors", "cors", "wai_sr",
                 "arm5", "sai", "checkin"):
        assert f"\n{name} " in "\n" + result.stdout
    checkin = next(line for line in result.stdout.splitlines() if line.startswith("checkin"))
    assert "NOT VALIDATED" in checkin
    srs = next(line for line in result.stdout.splitlines() if line.startswith("srs"))
    assert "text pack needed" in srs


def test_show_free_instrument_verbatim_with_copyright() -> None:
    result = run("measures", "show", "PHQ-9")
    assert result.exit_code == 0
    assert ("Feeling bad about yourself — or that you are a failure or have let yourself or "
            "your family down") in result.stdout
    assert PHQ9_COPYRIGHT in result.stdout
    assert "(risk item)" in result.stdout and "Clinical cut-off: 10" in result.stdout


def test_show_licensed_instrument_asks_for_a_text_pack(tmp_path: Path) -> None:
    result = run("measures", "show", "srs")
    assert result.exit_code == 0 and "text pack" in result.stdout and "[srs_4] -" in result.stdout
    pack = tmp_path / "srs.yaml"
    pack.write_text(yaml.safe_dump({"instrument": "srs", "copyright_line": "(c) placeholder",
                                    "items": {f"srs_{n}": f"placeholder {n}"
                                              for n in range(1, 5)}}), encoding="utf-8")
    shown = run("measures", "show", "srs", "--text-pack", pack)
    assert shown.exit_code == 0
    assert "placeholder 3" in shown.stdout and "(c) placeholder" in shown.stdout
    pack.write_text(yaml.safe_dump({"instrument": "srs", "copyright_line": "c",
                                    "items": {"srs_1": "a", "srs_9": "b"}}), encoding="utf-8")
    bad = run("measures", "show", "srs", "--text-pack", pack)
    assert bad.exit_code == 2 and "'srs_9' is not an item of SRS" in bad.stderr


def test_show_checkin_says_not_validated() -> None:
    result = run("measures", "show", "checkin")
    assert result.exit_code == 0 and "NOT VALIDATED" in result.stdout


def test_score_from_answers() -> None:
    result = run("measures", "score", "phq9", "--answers", "3,3,2,2,2,2,2,1,0")
    assert result.exit_code == 0, result.output
    assert "PHQ-9: 17 (range 0-27)" in result.stdout
    assert "band: Moderately severe depression" in result.stdout
    assert "cut-off 10: clinical range" in result.stdout
    assert "SAFETY" not in result.stdout and PHQ9_COPYRIGHT in result.stdout


def test_score_prints_the_safety_flag_first() -> None:
    result = run("measures", "score", "phq9", "--answers", "0,0,0,0,0,0,0,0,2")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "!! SAFETY: PHQ-9 item 9 (thoughts that you would be better off dead, or of hurting "
        "yourself) answered 2 (More than half the days): urgent")
    assert "phq9_9" not in result.stdout


def test_score_checkin_is_labelled() -> None:
    result = run("measures", "score", "checkin", "-a", "8,9,7,10,9")
    assert "43 (range 0-50)  (NOT VALIDATED)" in result.stdout


@pytest.mark.parametrize(("name", "content"), [
    ("a.json", json.dumps({"gad7_1": 2, "gad7_2": 2, "gad7_3": 2, "gad7_4": 1, "gad7_5": 1,
                           "gad7_6": 1, "gad7_7": 1})),
    ("a.json", json.dumps([2, 2, 2, 1, 1, 1, 1])),
    ("a.json", json.dumps({"answers": {"gad7_1": 2, "gad7_2": 2, "gad7_3": 2, "gad7_4": 1,
                                       "gad7_5": 1, "gad7_6": 1, "gad7_7": 1}})),
    ("a.csv", "gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7\n2,2,2,1,1,1,1\n"),
    ("a.csv", "item,value\n" + "".join(f"gad7_{n},{v}\n" for n, v in
                                       zip(range(1, 8), [2, 2, 2, 1, 1, 1, 1], strict=True))),
])
def test_score_from_file(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run("measures", "score", "gad7", "--file", path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 10 and data["band"] == "moderate anxiety"


def test_score_interactively() -> None:
    result = run("measures", "score", "phq2", "--interactive", stdin="1\n2\n")
    assert result.exit_code == 0, result.output
    assert "Little interest or pleasure in doing things" in result.stdout
    assert "PHQ-2: 3 (range 0-6)" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["phq9", "--answers", "3,3,2,2,2,2,2,1,4"], "answer 4 to phq9_9 is out of range"),
    (["phq9", "--answers", "3,3,2"], "3 answers given, PHQ-9 has 9 items"),
    (["phq9", "--answers", "3,x,2,2,2,2,2,1,0"], "answer 2 is 'x', not a number"),
    (["phq10", "--answers", "1"], "unknown instrument 'phq10'"),
    (["phq9"], "no answers given"),
])
def test_bad_input_exits_2_with_one_message(args: list[str], message: str) -> None:
    result = run("measures", "score", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "fix:" in result.stderr
    assert result.stdout == ""


def test_unknown_item_in_file_rejects_everything(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"gad7_1": 1, "gad7_8": 2}), encoding="utf-8")
    result = run("measures", "score", "gad7", "--file", path)
    assert result.exit_code == 2 and "'gad7_8' is not an item of GAD-7" in result.stderr
    assert result.stdout == ""


def test_help_has_examples() -> None:
    for command in ("list", "show", "score"):
        result = run("measures", command, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout


def test_interactive_out_of_range_is_rejected() -> None:
    result = run("measures", "score", "phq2", "-i", stdin="1\n7\n")
    assert result.exit_code == 2 and "answer 7 to phq2_2 is out of range" in result.stderr
