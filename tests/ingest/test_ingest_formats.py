"""Every documented input format, read from small inputs and from the example sessions."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES, parse, parse_error, roles

from rapport.domain import Role
from rapport.ingest import RoleMap, load_sessions
from rapport.ingest.jsonl import dump_sessions

EXAMPLE_ROLES = {
    "rupture_repair.txt": RoleMap(),
    "poor_listening.vtt": roles(("Dr. Lee",), ("Jordan",)),
    "good_listening.srt": roles(client=("Maya",)),
    "couple_session.json": roles(("SPEAKER_00",), ("SPEAKER_01", "SPEAKER_02")),
    "first_session.csv": RoleMap(),
    "check_in.jsonl": RoleMap(),
}
EXAMPLE_FORMATS = {"rupture_repair.txt": "text", "poor_listening.vtt": "vtt",
                   "good_listening.srt": "srt", "couple_session.json": "whisper",
                   "first_session.csv": "csv", "check_in.jsonl": "jsonl"}


def test_plain_text_labels_timestamps_and_multiline_turns() -> None:
    result = parse("[00:00:05] Therapist: How has the week been?\n"
                   "[00:00:09] Client: Long. I didn't sleep much,\n"
                   "and work was a lot.\n\n"
                   "T: (00:01:02.5) Mm-hmm.\n"
                   "C: And my sister called.\n"
                   "C: Twice.\n", name="week3.txt")
    session = result.sessions[0]
    assert result.format == "text"
    assert session.id == "week3"
    assert [(t.speaker, t.role) for t in session.turns] == [
        ("Therapist", Role.THERAPIST), ("Client", Role.CLIENT), ("T", Role.THERAPIST),
        ("C", Role.CLIENT), ("C", Role.CLIENT)]  # turns kept as written, never merged
    assert session.turns[1].text == "Long. I didn't sleep much, and work was a lot."
    assert [t.start for t in session.turns] == [5.0, 9.0, 62.5, None, None]
    assert session.turns[2].backchannel
    assert session.metadata == {"source_format": "text", "source_file": "week3.txt"}


def test_plain_text_names_need_flags_and_titles_are_skipped_with_a_warning() -> None:
    text = "Intake notes\nDr. Lee: What brings you here?\nMary van Dyke: My sleep.\n"
    err = parse_error(text)
    assert err.code == "unknown_speaker"
    assert "'Dr. Lee', 'Mary van Dyke'" in err.what
    assert '--therapist "Dr. Lee" --client-speaker "Mary van Dyke"' in (err.fix or "")
    result = parse(text, roles=roles(("dr lee",), ("Mary van Dyke",)))
    assert [s.role for s in result.sessions[0].speakers] == [Role.THERAPIST, Role.CLIENT]
    assert any("skipped 1 line" in w for w in result.warnings)


def test_timestamp_on_its_own_line_and_ranges() -> None:
    result = parse("[00:00:01 - 00:00:04]\nT: Hello there.\n[00:00:05-00:00:06] C: Hi.\n")
    turns = result.sessions[0].turns
    assert [(t.start, t.end) for t in turns] == [(1.0, 4.0), (5.0, 6.0)]


def test_windows_and_old_mac_line_endings() -> None:
    for newline in ("\r\n", "\r"):
        text = newline.join(["T: How are you?", "C: Tired,", "very tired.", ""])
        turns = parse(text).sessions[0].turns
        assert [t.text for t in turns] == ["How are you?", "Tired, very tired."]
    err = parse_error("T: Hi.\u2028still T\r\nC: Hi.\r\nC:\r\n")
    assert err.where == "s.txt:3"  # U+2028 inside a turn is not a line break


def test_sentence_with_colon_is_not_a_speaker() -> None:
    result = parse("T: What did she say?\nC: She said\nand then she said: no way.\n")
    assert result.sessions[0].turns[1].text == "She said and then she said: no way."


def test_webvtt_voice_tags_zoom_prefixes_and_merging() -> None:
    text = ("WEBVTT\n\nNOTE exported\n\n1\n00:00:01.000 --> 00:00:03.000 align:start\n"
            "<v Dr. Lee>How was</v>\n\n2\n00:00:03.000 --> 00:00:05.500\n"
            "<v.loud Dr. Lee>the week?</v>\n\n00:06.000 --> 00:07.000\n"
            "Sam: Fine &amp; quiet.\n\n4\n00:00:07.500 --> 00:00:08.000\n<i>Really.</i>\n")
    result = parse(text, name="zoom.vtt", roles=roles(("Dr. Lee",), ("Sam",)))
    turns = result.sessions[0].turns
    assert result.format == "vtt"
    assert [(t.speaker, t.text, t.start, t.end) for t in turns] == [
        ("Dr. Lee", "How was the week?", 1.0, 5.5), ("Sam", "Fine & quiet. Really.", 6.0, 8.0)]


def test_webvtt_two_voices_in_one_cue() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Therapist>Okay?\n<v Client>Okay.\n"
    turns = parse(text, name="t.vtt").sessions[0].turns
    assert [t.speaker for t in turns] == ["Therapist", "Client"]


def test_srt_with_name_prefixes() -> None:
    text = ("1\n00:00:01,000 --> 00:00:02,000\nCounselor: What brings\n\n"
            "2\n00:00:02,000 --> 00:00:04,000\nyou here today?\n\n"
            "3\n00:00:05,000 --> 00:00:06,500\nClient: Work.\n")
    result = parse(text, name="s.srt")
    assert result.format == "srt"
    assert [(t.text, t.start, t.end) for t in result.sessions[0].turns] == [
        ("What brings you here today?", 1.0, 4.0), ("Work.", 5.0, 6.5)]


def test_whisperx_json_diarised() -> None:
    doc = {"language": "en", "segments": [
        {"start": 0.0, "end": 1.5, "text": " Hi, how are you?", "speaker": "SPEAKER_00"},
        {"start": 1.5, "end": 2.0, "text": " Sit down.", "speaker": "SPEAKER_00"},
        {"start": 2.4, "end": 3.0, "text": " ", "speaker": "SPEAKER_01"},
        {"start": 2.6, "end": 3.5, "text": " Tired.", "speaker": "SPEAKER_01"},
        {"start": 3.6, "end": 4.0, "text": " Very."}]}
    result = parse(json.dumps(doc), name="s.json",
                   roles=roles(("SPEAKER_00",), ("SPEAKER_01",)))
    turns = result.sessions[0].turns
    assert result.format == "whisper"
    assert [(t.speaker, t.text, t.start, t.end) for t in turns] == [
        ("SPEAKER_00", "Hi, how are you? Sit down.", 0.0, 2.0),
        ("SPEAKER_01", "Tired. Very.", 2.6, 4.0)]


def test_bare_segment_list_is_read_as_whisper_output() -> None:
    segments = [{"start": 0, "end": 1, "text": "Hello.", "speaker": "T"},
                {"start": 1, "end": 2, "text": "Hi.", "speaker": "C"}]
    result = parse(json.dumps(segments), name="s.json")
    assert (result.format, len(result.sessions[0].turns)) == ("whisper", 2)


def test_generic_csv_with_several_sessions_and_roles() -> None:
    text = ("Session_ID;Speaker;Role;Start;End;Text\n"
            "a;Dr. Lee;therapist;0;2;Hello.\nb;Ann;therapist;00:00:01;3;Hi.\n"
            "a;Sam;client;2.5;4;Hi.\nb;Bo;client;4;5;\"Well, hello\"\n")
    result = parse(text, name="corpus.csv")
    assert result.format == "csv"
    assert [s.id for s in result.sessions] == ["a", "b"]
    b = result.sessions[1]
    assert [(t.speaker, t.role, t.text, t.start) for t in b.turns] == [
        ("Ann", Role.THERAPIST, "Hi.", 1.0), ("Bo", Role.CLIENT, "Well, hello", 4.0)]


def test_generic_csv_without_session_id_uses_the_file_name() -> None:
    result = parse("speaker,text\nT,Hello.\nC,Hi.\n", name="intake.csv")
    assert [s.id for s in result.sessions] == ["intake"]


def test_sessions_without_their_own_id_are_numbered_after_the_file() -> None:
    text = "session_id,speaker,text\n,T,Hi.\n,C,Hello.\nb,T,Hey.\nb,C,Hi.\n"
    assert [s.id for s in parse(text, name="group.csv").sessions] == ["group-1", "b"]


def test_annomi_transcripts_become_sessions_with_metadata() -> None:
    path = FIXTURES / "annomi_two_transcripts.csv"
    result = load_sessions(path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ids = list(dict.fromkeys(r["transcript_id"] for r in rows))
    assert [s.id for s in result.sessions] == [f"annomi-{i}" for i in ids]
    for session in result.sessions:
        mine = [r for r in rows if f"annomi-{r['transcript_id']}" == session.id]
        assert [t.text for t in session.turns] == [r["utterance_text"].strip() for r in mine]
        assert [t.role.value for t in session.turns] == [r["interlocutor"] for r in mine]
        assert session.metadata["mi_quality"] == mine[0]["mi_quality"]
        assert session.metadata["video_url"] == mine[0]["video_url"]
        assert session.metadata["topic"] == mine[0]["topic"]
        assert session.language == "en"
    assert {s.metadata["mi_quality"] for s in result.sessions} == {"high", "low"}


def test_annomi_broken_and_backward_timestamps_are_dropped_with_a_warning() -> None:
    head = "transcript_id,interlocutor,timestamp,utterance_text\n"
    result = parse(head + "7,therapist,00:00:10,Hi.\n7,client,00:00:09,Hello.\n"
                   "7,therapist,00:09:025,How are you?\n", name="annomi.csv")
    assert [t.start for t in result.sessions[0].turns] == [10.0, None, None]
    assert result.warnings == [("session annomi-7: 2 unreadable or backward timestamp(s) "
                               "were left empty")]


def test_jsonl_corpus_reads_declared_roles_and_round_trips() -> None:
    first = parse("T: Hello.\nC: Hi.\n", name="one.txt").sessions[0]
    second = parse("Counsellor: Welcome.\nPatient: Thanks.\nPatient: Mm-hmm.\n",
                   name="two.txt").sessions[0]
    result = parse(dump_sessions([first, second]), name="corpus.jsonl")
    assert result.format == "jsonl"
    assert result.sessions == [first, second]


@pytest.mark.parametrize("name", sorted(EXAMPLE_ROLES))
def test_every_example_parses_in_its_format(examples: Path, name: str) -> None:
    result = load_sessions(examples / name, roles=EXAMPLE_ROLES[name])
    assert result.format == EXAMPLE_FORMATS[name]
    assert result.warnings == []
    (session,) = result.sessions
    assert session.language == "en"
    assert {Role.THERAPIST, Role.CLIENT} <= {s.role for s in session.speakers}
    assert (10 if name == "check_in.jsonl" else 25) <= len(session.turns) <= 45
    roles_in_order = [t.role for t in session.turns]
    if name != "couple_session.json":  # two clients may follow each other
        assert all(a != b for a, b in itertools.pairwise(roles_in_order))


def test_examples_cover_what_the_issue_asks_for(examples: Path) -> None:
    rupture = load_sessions(examples / "rupture_repair.txt").sessions[0]
    assert rupture.turns[0].start is not None  # the one with timestamps
    assert any("this isn't helping" in t.text for t in rupture.turns)
    couple = load_sessions(examples / "couple_session.json",
                           roles=EXAMPLE_ROLES["couple_session.json"]).sessions[0]
    assert len(couple.speakers_with(Role.CLIENT)) == 2
