from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs/schema/analysis.schema.json").read_text(encoding="utf-8"))


def test_analyze_writes_json_that_matches_the_schema(cli, transcript: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = cli("analyze", transcript, "--json", out, "--quiet")
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert doc["session"]["id"] == "week3"
    assert [t["role"] for t in doc["turns"]][:2] == ["therapist", "client"]
    assert doc["turns"][4]["backchannel"] is True
    tt = doc["sections"]["turn_taking"]
    assert tt["total_turns"] == 6
    assert doc["metrics"]["turn_taking.therapist_word_share"] == pytest.approx(
        tt["role_word_share"]["therapist"])


def test_analyze_html_is_self_contained_and_escaped(cli, tmp_path: Path) -> None:
    src = tmp_path / "xss.txt"
    src.write_text("Therapist: <script>alert('x')</script> how are you?\n"
                   "Client: <b>fine</b> & you?\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = cli("analyze", src, "--html", out, "--quiet")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "&lt;b&gt;fine&lt;/b&gt; &amp; you?" in html
    # the favicon's SVG namespace is a name, not an address anything fetches
    offline = html.replace("https://json-schema.org", "").replace(
        "http://www.w3.org/2000/svg", "")
    for forbidden in ("http://", "https://", "src=\"//"):
        assert forbidden not in offline


def test_terminal_summary_shows_turn_taking(cli, transcript: Path) -> None:
    result = cli("analyze", transcript)
    assert result.exit_code == 0, result.output
    assert "Turn-taking" in result.output
    assert "week3" in result.output


def test_several_sessions_write_into_a_folder(cli, transcript: Path, tmp_path: Path) -> None:
    second = tmp_path / "week4.txt"
    second.write_text(transcript.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "reports"
    result = cli("analyze", transcript, second, "--json", out, "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["week3.json", "week4.json"]


def test_bad_input_exits_2_and_writes_nothing(cli, transcript: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes without any speakers\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("analyze", transcript, bad, "--json", out, "--html", tmp_path / "h")
    assert result.exit_code == 2
    assert "notes.txt" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not (tmp_path / "h").exists()


def test_missing_file_is_an_input_error(cli, tmp_path: Path) -> None:
    result = cli("analyze", tmp_path / "nope.txt")
    assert result.exit_code == 2
    assert "file not found" in result.output


def test_audio_without_nonverbal_support_or_with_many_sessions(cli, transcript: Path,
                                                                 tmp_path: Path) -> None:
    second = tmp_path / "week4.txt"
    second.write_text(transcript.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("analyze", transcript, second, "--audio", tmp_path / "a.wav")
    assert result.exit_code == 2
    assert "exactly one session" in result.output


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_code_table_formats(cli, transcript: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"codes{suffix}"
    result = cli("code", transcript, "--out", out)
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        frame = pd.read_csv(out)
    elif suffix == ".parquet":
        frame = pd.read_parquet(out)
    else:
        frame = pd.read_json(out, lines=True)
    assert list(frame.columns[:7]) == ["session_id", "turn_index", "role", "speaker", "text",
                                       "start", "end"]
    assert list(frame["turn_index"]) == list(range(6))
    assert set(frame["role"]) == {"therapist", "client"}


def test_code_refuses_unknown_output_type(cli, transcript: Path, tmp_path: Path) -> None:
    result = cli("code", transcript, "--out", tmp_path / "codes.xlsx")
    assert result.exit_code == 2
    assert ".csv" in result.output
    assert not (tmp_path / "codes.xlsx").exists()


def test_version(cli) -> None:
    from rapport import __version__

    result = cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_encoding_option_decodes_with_a_warning(cli, tmp_path: Path) -> None:
    src = tmp_path / "cp.txt"
    src.write_bytes("Therapist: Shall we meet at the café?\nClient: The café is fine.\n"
                    .encode("cp1252"))
    refused = cli("analyze", src, "-q")
    assert refused.exit_code == 2
    assert "--encoding" in refused.output
    out = tmp_path / "cp.json"
    result = cli("analyze", src, "-q", "--encoding", "cp1252", "--json", out)
    assert result.exit_code == 0, result.output
    assert "cp1252" in result.output
    assert "café" in json.loads(out.read_text(encoding="utf-8"))["turns"][0]["text"]


def test_several_html_reports_get_an_index_with_key_figures_in_words(
        cli, transcript: Path, tmp_path: Path) -> None:
    second = tmp_path / "index.txt"  # a session called "index" keeps its own report
    second.write_text("Therapist: <b>Hi</b>, what brings you?\nClient: Sleep, mostly.\n",
                      encoding="utf-8")
    out = tmp_path / "reports"
    result = cli("analyze", transcript, second, "--html", out, "--quiet")
    assert result.exit_code == 0, result.output
    index = out / "index-of-sessions.html"
    assert (out / "index.html").read_text(encoding="utf-8") != index.read_text(
        encoding="utf-8")
    page = index.read_text(encoding="utf-8")
    assert str(index) in result.output
    hrefs = re.findall(r'<a href="([^"]+)">', page)
    assert sorted(hrefs) == ["index.html", "week3.html"]
    assert all((out / href).is_file() for href in hrefs)
    for words in ("Reflection-to-question ratio", "Open questions", "Risk language",
                  "2 sessions"):
        assert words in page
    assert "reflection_to_question" not in page and "profile." not in page
    assert "<script" not in page and "http" not in page.replace(
        "http://www.w3.org/2000/svg", "")
    assert '<link rel="icon" href="data:image/svg+xml' in page


def test_one_html_report_gets_no_index(cli, transcript: Path, tmp_path: Path) -> None:
    cli("analyze", transcript, "--html", tmp_path / "r.html", "--quiet")
    assert not (tmp_path / "index.html").exists()


def test_counts_read_in_the_singular_for_one(cli, transcript: Path, tmp_path: Path) -> None:
    result = cli("code", transcript, "--out", tmp_path / "c.csv")
    assert result.exit_code == 0, result.output
    assert "from 1 session ->" in result.output
    html = tmp_path / "r.html"
    cli("analyze", transcript, "--html", html, "--quiet")
    assert "2 speakers" in html.read_text(encoding="utf-8")
    assert "1 sessions" not in result.output


@pytest.mark.parametrize("preset", ["turbo", "live"])
def test_an_unknown_preset_gets_one_answer_before_any_coder_loads(cli, transcript: Path,
                                                                  tmp_path: Path,
                                                                  preset: str) -> None:
    # `live` is the utterance coder's preset for typed practice replies, not an analysis
    # preset: it used to be listed as valid by one coder and refused by the next
    out = tmp_path / "codes.csv"
    for args in (("analyze",), ("code", "--out", out)):
        result = cli(*args, transcript, "--preset", preset)
        assert result.exit_code == 2
        assert not out.exists()
        assert f"unknown preset {preset!r}" in result.output
        assert "use one of: fast, accurate" in result.output
        assert "live" not in result.output.replace(f"{preset!r}", "")


def test_several_sessions_and_a_file_name_is_an_error(cli, transcript: Path,
                                                      tmp_path: Path) -> None:
    second = tmp_path / "week4.txt"
    second.write_text(transcript.read_text(encoding="utf-8"), encoding="utf-8")
    for flag, name in (("--json", "one.json"), ("--html", "one.html")):
        result = cli("analyze", transcript, second, flag, tmp_path / name, "-q")
        assert result.exit_code == 2
        assert f"2 sessions to write but {name} names one" in result.output
        assert not (tmp_path / name).exists()
