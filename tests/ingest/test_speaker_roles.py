"""A roles file (``--roles FILE``): each file of a folder says who is who."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.ingest import RoleMap, read_sessions, role_map
from rapport.ingest.speaker_roles import parse_speaker_roles

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SPEAKERS = EXAMPLES / "speakers.yaml"


def test_the_examples_roles_file_reads_every_example_folder() -> None:
    read = read_sessions([EXAMPLES], roles=role_map(roles_file=SPEAKERS))
    couple = next(r.session for r in read if r.path.name == "couple_session.json")
    assert sorted(s.role.value for s in couple.speakers) == ["client", "client", "therapist"]
    assert len(read) == 7
    assert not [w for r in read for w in r.warnings if "matches no speaker" in w]


def test_an_entry_applies_to_its_own_file_only(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Dr. Lee: Hello.\nSam: Hi.\n", encoding="utf-8")
    roles = parse_speaker_roles("a.txt: {therapist: Dr. Lee, client: Sam}", where="r.yaml")
    with pytest.raises(RapportInputError) as caught:
        read_sessions([tmp_path], roles=RoleMap(files=roles))
    assert str(caught.value.where).endswith("b.txt") and "--roles FILE" in str(caught.value.fix)
    nested = tmp_path / "week1"
    nested.mkdir()
    shutil.move(tmp_path / "b.txt", nested / "b.txt")
    roles += parse_speaker_roles("week1/b.txt: {therapist: Sam, client: Dr. Lee}",
                                 where="r.yaml")
    read = {r.path.name: r.session for r in read_sessions([tmp_path],
                                                          roles=RoleMap(files=roles))}
    assert read["a.txt"].speakers[0].role.value == "therapist"
    assert read["b.txt"].speakers[0].role.value == "client"  # Dr. Lee, as week1/b.txt says


def test_a_flag_and_an_entry_that_disagree_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Dr. Lee: Hello.\nSam: Hi.\n", encoding="utf-8")
    roles = RoleMap(client=("Dr. Lee",), files=parse_speaker_roles(
        "a.txt: {therapist: Dr. Lee, client: Sam}", where="r.yaml"))
    with pytest.raises(RapportInputError, match="two roles"):
        read_sessions([tmp_path], roles=roles)


def test_a_flag_is_reported_once_and_only_when_no_file_has_that_speaker(
        tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T: Hello.\nMaya: Hi.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("T: Hello.\nC: Hi.\n", encoding="utf-8")
    read = read_sessions([tmp_path], roles=RoleMap(client=("Maya", "Mayaa")))
    warnings = [w for r in read for w in r.warnings]
    assert warnings == [("--therapist/--client-speaker/--other 'Mayaa' matches no speaker "
                         "in any of the 2 files")]
    alone = read_sessions([tmp_path / "b.txt"], roles=RoleMap(client=("Maya",)))
    assert any("'Maya' matches no speaker in this file" in w for w in alone[0].warnings)


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"),
    ("- a.txt\n- b.txt\n", "must map file names"),
    ("a.txt: [T, C]\n", "expected roles"),
    ("a.txt: {counsellor: Dr. Lee}\n", "unknown role 'counsellor'"),
    ("a.txt: {therapist: 1}\n", "expected a speaker label"),
    ("a.txt: {client: []}\n", "expected a speaker label"),
    ("a.txt: {therapist: [Dr. Lee\n", "not valid YAML"),
    ("1: {therapist: T}\n", "not a file name"),
])
def test_a_bad_roles_file_says_what_and_where(text: str, problem: str) -> None:
    with pytest.raises(RapportInputError, match=problem) as caught:
        parse_speaker_roles(text, where="speakers.yaml")
    assert str(caught.value.where).startswith("speakers.yaml")


_labels = st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=1,
                  max_size=12).filter(lambda s: s and s == s.strip())
_entries = st.dictionaries(
    st.sampled_from(["therapist", "client", "other"]),
    st.one_of(_labels, st.lists(_labels, min_size=1, max_size=3)), min_size=1)


@given(st.dictionaries(_labels, _entries, max_size=4))
def test_any_well_formed_roles_file_reads_back(data: dict[str, dict[str, object]]) -> None:
    entries = dict(parse_speaker_roles(yaml.safe_dump(data), where="r.yaml"))
    for name, roles in data.items():
        got = entries[name]
        for role, labels in roles.items():
            assert getattr(got, role) == tuple(labels if isinstance(labels, list)
                                               else [labels])


@given(st.text(max_size=200))
def test_any_text_is_a_roles_file_or_one_input_error(text: str) -> None:
    try:
        entries = parse_speaker_roles(text, where="r.yaml")
    except RapportInputError as exc:
        assert str(exc.where).startswith("r.yaml")
    else:  # whatever reads is a file name with at least one label
        assert all(name and any((m.therapist, m.client, m.other)) for name, m in entries)


def test_code_a_folder_through_the_cli_with_a_roles_file(tmp_path: Path) -> None:
    out = tmp_path / "codes.csv"
    missing = Cli()("code", EXAMPLES, "--out", out)
    assert missing.exit_code == 2 and "--roles FILE" in missing.output
    assert not out.exists()
    done = Cli()("code", EXAMPLES, "--roles", SPEAKERS, "--out", out)
    assert done.exit_code == 0, done.output
    assert "warning" not in done.output and "from 7 sessions" in done.output
    bad = tmp_path / "roles.yaml"
    bad.write_text("poor_listening.vtt: {therapist: [Dr. Lee\n", encoding="utf-8")
    refused = Cli()("code", EXAMPLES, "--roles", bad, "--out", tmp_path / "x.csv")
    assert refused.exit_code == 2 and f"{bad}:2: is not valid YAML" in refused.output
