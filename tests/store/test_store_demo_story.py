"""The demo tells one coherent story: each example transcript is its own client's session,
an intake is session 1, a session that refers back has sessions before it, and the report
files, their titles, the terminal and the record all name the same client and session."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rapport.caseload.demo_practice import DEMO_ATTEMPTS, DEMO_TRAINEE
from rapport.demo import EXAMPLES, EXAMPLES_DIR, main
from rapport.ingest import RoleMap, read_sessions
from rapport.nonverbal.synthetic import DEMO_LINES
from rapport.settings import get_settings
from rapport.store.analyses import list_analyses, read_analysis
from rapport.store.database import Store
from rapport.store.demo_story import DEMO_CLIENTS, DEMO_STORY, story_session
from rapport.store.practice import list_attempts

#: Words with which a session refers to an earlier one, or opens a first one.
BACK = re.compile(r"last time|since we last met|welcome back|we talked about|"
                  r"told you about|see you again", re.I)
INTAKE = re.compile(r"what brings you|what brought you|before we begin|first meeting", re.I)


def _read(file: str) -> tuple[str, str, object]:
    """(session id, all turns' text, the file's own date) of one bundled example."""
    (example,) = [e for e in EXAMPLES if e.file == file]
    roles = RoleMap(therapist=example.therapist, client=example.client, other=example.other)
    (item,) = read_sessions([EXAMPLES_DIR / file], roles=roles)
    return item.session.id, " ".join(t.text for t in item.session.turns), item.session.date


@pytest.mark.parametrize("file", [e.file for e in EXAMPLES])
def test_each_example_has_its_place_and_its_number_fits_the_transcript(file: str) -> None:
    session_id, text, own_date = _read(file)
    story = story_session(session_id)
    assert story is not None and story.file == file
    assert [s.file for s in DEMO_STORY].count(file) == 1
    intake, refers_back = bool(INTAKE.search(text)), bool(BACK.search(text))
    assert intake != refers_back, "the transcript should read as one or the other"
    assert (story.number == 1) == intake, (story, "an intake is session 1 and only it")
    assert own_date in (None, story.date)  # a file's own date is the story's


def test_the_generated_session_continues_the_client_with_the_sister() -> None:
    generated = story_session("demo_session")
    assert generated is not None
    spoken = " ".join(text for _, text in DEMO_LINES)
    assert BACK.search(spoken) and generated.number > 1
    (earlier,) = [s for s in DEMO_STORY if s.code == generated.code and s is not generated]
    assert "sister" in spoken and "sister" in _read(earlier.file)[1]
    assert earlier.number < generated.number and earlier.date < generated.date


def test_sessions_follow_in_date_order_and_clients_are_one_each() -> None:
    codes = [c.code for c in DEMO_CLIENTS]
    assert codes == sorted(set(codes)) and {s.code for s in DEMO_STORY} == set(codes)
    for code in codes:
        mine = sorted((s.number, s.date) for s in DEMO_STORY if s.code == code)
        assert [d for _, d in mine] == sorted(d for _, d in mine), code
    names = [s.name for s in DEMO_STORY]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"C-\d{3}-session-\d+", n) for n in names)


def test_make_demo_names_files_titles_terminal_and_record_alike(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(["--out", str(out)]) == 0
    printed = capsys.readouterr().out
    reports = sorted(p.name for p in out.glob("*.html"))
    assert reports == sorted(f"{s.name}.html" for s in DEMO_STORY)
    # the terminal: each report's path, then the client and session it shows
    said = re.findall(r"✓ .+ → (\S+\.html)\n  client (C-\d+), session (\d+) \(([\d-]+)\)",
                      printed)
    assert len(said) == len(DEMO_STORY)
    for path, code, number, date in said:
        story = story_session(Path(path).stem)
        assert story is not None and Path(path).parent == out.resolve()
        assert (code, int(number), date) == (story.code, story.number, str(story.date))
    for story in DEMO_STORY:  # the report's title and document name the same session
        page = (out / f"{story.name}.html").read_text(encoding="utf-8")
        assert f"<title>Rapport report — {story.name}</title>" in page
        assert f"Date {story.date}" in page
        doc = json.loads((out / f"{story.name}.json").read_text(encoding="utf-8"))
        assert (doc["session"]["id"], doc["session"]["date"]) == (story.name,
                                                                  str(story.date))
    key_file = out / "home" / "demo.key"
    store = Store.from_settings(get_settings(home=out / "home", key_file=key_file))
    try:
        with store.transaction("tom") as tx:
            for story in DEMO_STORY:  # the record keeps each analysis under that name
                (view,) = [a for a in list_analyses(tx, story.code)
                           if a.session_number == story.number]
                stored = json.loads(read_analysis(tx, view.id))
                assert stored["session"]["id"] == story.name
        with store.transaction(DEMO_TRAINEE) as tx:  # the trainee's judged practice
            assert len(list_attempts(tx)) == len(DEMO_ATTEMPTS)
        assert f"{len(DEMO_ATTEMPTS)} practice attempts stored for the trainee tia" in printed
        assert "tia, password demo-tia" in printed
    finally:
        store.dispose()


def test_db_demo_of_the_examples_folder_stores_the_same_story(
        _isolated_home: Path) -> None:
    """``rapport db demo examples/`` (its documented form) files each example exactly as
    ``make demo`` does: the stored session is named after its client and session."""
    from cli_runner import Cli

    from rapport.demo import ROOT

    said = Cli(checked=True)("db", "demo", ROOT / "examples", "--roles",
                             ROOT / "examples" / "speakers.yaml")
    assert "tia   trainee     password demo-tia" in said.output
    assert f"{len(DEMO_ATTEMPTS)} practice attempts stored for the trainee tia" in said.output
    store = Store.from_settings(get_settings(key_file=_isolated_home / "demo.key"))
    try:
        with store.transaction("tom") as tx:
            for story in DEMO_STORY:
                views = [a for a in list_analyses(tx, story.code)
                         if a.session_number == story.number]
                if story.example == "demo_session":  # generated by make demo only
                    assert views == []
                    continue
                (view,) = views
                stored = json.loads(read_analysis(tx, view.id))
                assert (stored["session"]["id"], stored["session"]["date"]) == (
                    story.name, str(story.date))
        with store.transaction(DEMO_TRAINEE) as tx:
            assert len(list_attempts(tx)) == len(DEMO_ATTEMPTS)
    finally:
        store.dispose()


def test_the_examples_readme_tells_the_same_story() -> None:
    text = (EXAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (C-\d{3})[^|]*\| (\d+)[^|]*\| ([\d-]+) \| `?([^`|(]+?)`? [|(]",
                      text, re.M)
    assert sorted(rows) == sorted((s.code, str(s.number), str(s.date), s.file)
                                  for s in DEMO_STORY)
