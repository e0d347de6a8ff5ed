"""Every bad-input case of the issue: one RapportInputError naming the place and the fix."""

from __future__ import annotations

import codecs
import json

import pytest
from ingest_helpers import parse, parse_error, roles

from rapport.settings import get_settings

GOOD = "Therapist: How are you today?\nClient: Tired, honestly.\n"

# (id, input bytes, file name, expected code, text the location must contain)
CASES = [
    ("empty", b"", "s.txt", "empty", "s.txt"),
    ("white space", b" \n\t\n", "s.txt", "empty", "s.txt"),
    ("nul bytes", b"T: hi\nC: o\x00k\n", "s.txt", "binary", "s.txt:2"),
    ("control chars", b"T: hi\x01\nC: ok\n", "s.txt", "binary", "s.txt:1"),
    ("html", b"<!DOCTYPE html>\n<html><body>T: hi</body></html>", "s.txt",
     "not_a_transcript", "s.txt"),
    ("cp1252", b"T: How are you?\nC: Caf\xe9 was closed.\n", "s.txt", "bad_encoding",
     "s.txt:2"),
    ("mixed encodings", "T: Café?\nC: Oui.\n".encode() + b"T: D\xe9j\xe0 vu.\n", "s.txt",
     "bad_encoding", "s.txt:3"),
    ("utf-16 without bom", GOOD.encode("utf-16-le"), "s.txt", "bad_encoding", "s.txt"),
    ("utf-32", codecs.BOM_UTF32_LE + GOOD.encode("utf-32-le"), "s.txt", "bad_encoding",
     "s.txt"),
    ("single speaker", b"T: Hello?\nT: Anyone?\n", "s.txt", "single_speaker", "s.txt"),
    # a name label alone: said at once, not after the user has named its role
    ("single named speaker", b"Dr. Lee: Hello?\nDr. Lee: Anyone?\n", "s.txt",
     "single_speaker", "s.txt"),
    ("no therapist", b"C: Hello?\nClient 2: Hi.\n", "s.txt", "missing_role", "s.txt"),
    ("no labels", b"How are you?\nFine, thanks.\n", "s.txt", "no_labels", "s.txt"),
    ("label without text", b"T: Hello.\nC:\nT: Still there?\nC: Yes.\n", "s.txt",
     "empty_turn", "s.txt:2"),
    ("malformed timestamp", b"[00:61:00] T: Hi.\nC: Hi.\n", "s.txt", "bad_time", "s.txt:1"),
    ("inverted range", b"[00:00:09 - 00:00:02] T: Hi.\nC: Hi.\n", "s.txt", "bad_time",
     "s.txt:1"),
    ("time goes backwards", b"[00:01:00] T: Hi.\n[00:00:30] C: Hi.\n", "s.txt", "bad_time",
     "s.txt:2"),
    ("unknown labels", b"Dr. Lee: Hi.\nMaya: Hi.\n", "s.txt", "unknown_speaker", "s.txt"),
    ("vtt inverted cue", b"WEBVTT\n\n00:05.000 --> 00:01.000\n<v T>Hi\n", "s.vtt",
     "bad_time", "s.vtt:3"),
    ("vtt malformed timing", b"WEBVTT\n\n00:05.000 --> soon\n<v T>Hi\n", "s.vtt",
     "bad_time", "s.vtt:3"),
    ("vtt cues out of order", (b"WEBVTT\n\n00:05.000 --> 00:06.000\n<v T>Hi\n\n"
     b"00:01.000 --> 00:02.000\n<v C>Hi\n"), "s.vtt", "bad_time", "s.vtt:6"),
    ("vtt without speakers", b"WEBVTT\n\n00:01.000 --> 00:02.000\nHello there\n", "s.vtt",
     "no_labels", "cue 1"),
    ("vtt missing header", b"Meeting\n\n00:01.000 --> 00:02.000\n<v T>Hi\n", "s.vtt",
     "bad_format",
     "s.vtt:1"),
    ("vtt speaker without text", b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v T></v>\n",
     "s.vtt", "empty_turn", "cue 1"),
    ("srt without timing", b"1\nT: Hi\n\n2\n00:00:01,000 --> 00:00:02,000\nC: Hi\n",
     "s.srt", "bad_time", "s.srt:1"),
    ("csv missing columns", b"who,said\nT,Hi\n", "s.csv", "missing_columns", "s.csv:1"),
    ("csv broken quoting", b'speaker,text\nT,"Hi, there\nC,"Oh" no\n', "s.csv", "bad_csv",
     "s.csv"),
    ("csv field count", b"speaker,text\nT,Hi\nC,Hi,there\n", "s.csv", "bad_csv", "s.csv:3"),
    ("csv bad role", b"speaker,role,text\nA,boss,Hi\nB,client,Hi\n", "s.csv", "bad_csv",
     "s.csv:2"),
    ("csv bad time", b"speaker,start,text\nT,soon,Hi\nC,1,Hi\n", "s.csv", "bad_time",
     "s.csv:2"),
    ("csv header only", b"speaker,text\n", "s.csv", "empty", "s.csv"),
    ("csv empty text", b"speaker,text\nT,Hi\nC,\n", "s.csv", "empty_turn", "s.csv:3"),
    ("json deep nesting", b"[" * 100_000 + b"]" * 100_000, "s.json", "bad_json", "s.json"),
    ("json syntax", b'{"segments": [}', "s.json", "bad_json", "s.json:1"),
    ("json nan", b'{"segments": [{"start": NaN, "end": 1, "text": "x"}]}', "s.json",
     "bad_json", "s.json"),
    ("whisper segments not a list", b'{"segments": {"a": 1}}', "s.json", "bad_format",
     "s.json"),
    ("whisper text not a string", b'{"segments": [{"start": 0, "end": 1, "text": 5}]}',
     "s.json", "bad_json", "segments[0]"),
    ("whisper time not a number", b'{"segments": [{"start": "0", "end": 1, "text": "x"}]}',
     "s.json", "bad_time", "segments[0]"),
    ("whisper speaker a list", (b'{"segments": [{"start": 0, "end": 1, "text": "x", '
     b'"speaker": ["a"]}]}'), "s.json", "bad_json", "segments[0]"),
    ("whisper not diarised", b'{"segments": [{"start": 0, "end": 1, "text": "Hi"}]}',
     "s.json", "no_labels", "s.json"),
    ("whisper inverted segment", (b'{"segments": [{"start": 5, "end": 1, "text": "x", '
     b'"speaker": "T"}]}'), "s.json", "bad_time", "segments[0]"),
    ("jsonl newer version", (b'{"rapport_format": "session", "version": 2, "id": "x", '
     b'"speakers": []}\n'), "s.jsonl", "bad_version", "s.jsonl:1"),
    ("jsonl bool version", (b'{"rapport_format": "session", "version": true, "id": "x", '
     b'"speakers": []}\n'), "s.jsonl", "bad_format", "s.jsonl:1"),
    ("jsonl undeclared speaker", (b'{"rapport_format": "session", "version": 1, "id": "x", '
     b'"speakers": [{"name": "T", "role": "therapist"}]}\n{"speaker": "C", "text": "hi"}\n'),
     "s.jsonl", "bad_json", "s.jsonl:2"),
    ("jsonl unknown key", (b'{"rapport_format": "session", "version": 1, "id": "x", '
     b'"speakers": [{"name": "T", "role": "therapist"}], "mood": 1}\n'), "s.jsonl", "bad_json",
     "s.jsonl:1"),
    ("jsonl line is not an object", (b'{"rapport_format": "session", "version": 1, "id": "x",'
     b' "speakers": [{"name": "T", "role": "therapist"}]}\n[1, 2]\n'), "s.jsonl", "bad_json",
     "s.jsonl:2"),
    ("jsonl nested metadata", (b'{"rapport_format": "session", "version": 1, "id": "x", '
     b'"speakers": [{"name": "T", "role": "therapist"}], "metadata": {"a": {"b": 1}}}\n'),
     "s.jsonl", "bad_json", "s.jsonl:1"),
    ("jsonl duplicate ids", (b'{"rapport_format": "session", "version": 1, "id": "x", '
     b'"speakers": [{"name": "T", "role": "therapist"}, {"name": "C", "role": "client"}]}\n'
     b'{"speaker": "T", "text": "Hi"}\n{"speaker": "C", "text": "Hi"}\n'
     b'{"rapport_format": "session", "version": 1, "id": "x", '
     b'"speakers": [{"name": "T", "role": "therapist"}, {"name": "C", "role": "client"}]}\n'
     b'{"speaker": "T", "text": "Hi"}\n{"speaker": "C", "text": "Hi"}\n'), "s.jsonl",
     "duplicate_id", "s.jsonl"),
]


@pytest.mark.parametrize(("data", "name", "code", "where"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_error(data: bytes, name: str, code: str, where: str) -> None:
    err = parse_error(data, name)
    assert err.code == code, err.render()
    assert err.where is not None
    assert err.where.startswith(name)
    assert where in err.render().splitlines()[0]
    assert err.fix
    assert len(err.render().splitlines()) <= 4


@pytest.mark.parametrize(("header", "kind"), [
    (b"RIFF\x24\x08\x00\x00WAVEfmt ", "WAV audio"), (b"fLaC\x00\x00\x00\x22", "FLAC audio"),
    (b"ID3\x04\x00\x00\x00\x00", "MP3"), (b"\xff\xfb\x90\x64\x00", "MP3"),
    (b"OggS\x00\x02\x00\x00", "Ogg"), (b"\x00\x00\x00\x18ftypmp42", "MP4"),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", "WebM"), (b"RIFF\x00\x00\x00\x00AVI LIST", "AVI"),
])
def test_audio_or_video_as_a_transcript_says_how_to_transcribe_it(header: bytes,
                                                                    kind: str) -> None:
    err = parse_error(header + bytes(range(256)) * 4, "session.txt")
    assert err.code == "not_a_transcript"
    assert kind in err.what
    assert "rapport transcribe session.m4a --out session.jsonl" in (err.fix or "")
    assert "rapport analyze session.m4a" in (err.fix or "")
    assert "--audio session.wav" in (err.fix or "")


@pytest.mark.parametrize(("header", "kind"), [
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff\xe0", "JPEG"), (b"GIF89a", "GIF"),
    (b"%PDF-1.7\n", "PDF"), (b"PK\x03\x04\x14\x00", "zip"), (b"\x1f\x8b\x08\x00", "gzip"),
])
def test_images_documents_and_archives_are_named(header: bytes, kind: str) -> None:
    err = parse_error(header + b"\x00\x01\x02" * 50, "renamed.txt")
    assert err.code == "not_a_transcript"
    assert kind in err.what


def test_undecodable_text_names_byte_and_line_and_suggests_the_encoding() -> None:
    err = parse_error(b"T: Hello.\nC: Caf\xe9.\n")
    assert "byte 16 (0xe9) is not UTF-8" in err.what
    assert "--encoding cp1252" in (err.fix or "")


def test_explicit_encoding_decodes_with_a_warning() -> None:
    result = parse(b"T: Hello.\nC: Caf\xe9 au lait.\n", encoding="cp1252")
    assert result.sessions[0].turns[1].text == "Café au lait."
    assert any("cp1252" in w for w in result.warnings)
    assert parse_error(b"T: Hi\nC: Hi\n", encoding="klingon").code == "bad_encoding"


def test_text_garbled_before_it_reached_us_is_flagged() -> None:
    result = parse("T: How was the café?\nC: I donâ€™t know.\n")
    assert len(result.warnings) == 1
    assert "line 2" in result.warnings[0]
    assert "mojibake" in result.warnings[0]
    wrong = parse("T: Café?\nC: Oui.\n".encode(), encoding="latin-1")
    assert any("mojibake" in w for w in wrong.warnings)


@pytest.mark.parametrize("encoded", [
    codecs.BOM_UTF8 + GOOD.encode(), GOOD.encode(), GOOD.encode("utf-16"),
    codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be"),
], ids=["utf-8 bom", "utf-8", "utf-16 le bom", "utf-16 be bom"])
def test_utf8_and_utf16_are_accepted(encoded: bytes) -> None:
    result = parse(encoded)
    assert [t.text for t in result.sessions[0].turns] == ["How are you today?",
                                                          "Tired, honestly."]
    assert result.warnings == []


def test_limits_fail_fast_and_name_the_setting() -> None:
    err = parse_error(GOOD * 3, settings=get_settings(max_turns=4))
    assert err.code == "too_large"
    assert err.where == "s.txt:5"
    assert "RAPPORT_MAX_TURNS" in (err.fix or "")
    err = parse_error("T: " + "word " * 50 + "\nC: ok\n", settings=get_settings(
        max_line_chars=100))
    assert (err.code, err.where) == ("too_large", "s.txt:1")
    err = parse_error(GOOD * 100, settings=get_settings(max_file_bytes=1000))
    assert err.code == "too_large"
    assert "RAPPORT_MAX_FILE_BYTES" in (err.fix or "")


def test_limits_apply_to_every_format() -> None:
    doc = {"segments": [{"start": i, "end": i + 1, "text": "x",
                         "speaker": "T" if i % 2 else "C"} for i in range(10)]}
    err = parse_error(json.dumps(doc), "s.json", settings=get_settings(max_turns=5))
    assert (err.code, err.where) == ("too_large", "s.json (segments[5])")
    rows = "speaker,text\n" + "T,hi\nC,hi\n" * 5
    assert parse_error(rows, "s.csv", settings=get_settings(max_turns=5)).code == "too_large"


def test_role_flags_conflict_and_typos() -> None:
    err = parse_error("A: Hi.\nB: Hi.\n", roles=roles(("A",), ("a",)))
    assert err.code == "role_conflict"
    result = parse(GOOD, roles=roles(("Dr Lee",)))
    assert result.warnings == [("--therapist/--client-speaker/--other 'Dr Lee' matches no "
                               "speaker in this file")]


def test_unknown_format_is_refused() -> None:
    err = parse_error(GOOD, fmt="docx")
    assert (err.code, err.where) == ("bad_format", "--format")


@pytest.mark.parametrize(("text", "code"), [
    (("Ciao, come stai oggi? Non lo so, sono molto stanco e ho avuto una settimana difficile "
     "con il lavoro e anche con la mia famiglia, perché mio fratello non mi parla."), "it"),
    (("Olá, como você está hoje? Não sei, estou muito cansado e tive uma semana difícil com o "
     "trabalho e também com a minha família, porque o meu irmão não fala comigo."), "pt"),
    (("Hoi, hoe gaat het vandaag met je? Ik weet het niet, ik ben erg moe en ik heb een "
     "moeilijke week gehad met mijn werk en ook met mijn familie."), "nl"),
    (("Bonjour, comment ça va aujourd'hui? Je ne sais pas, je suis très fatigué et la semaine "
     "a été difficile avec mon travail et avec ma famille, mais ça va aller."), "fr"),
    (("Wie geht es dir heute? Ich bin sehr müde und ich weiß nicht, was ich mit meiner Arbeit "
     "machen soll. Das ist schon schwer für mich, aber es geht."), "de"),
    (("こんにちは、今日はどうですか？あまりよくないです。"
     "仕事がとても大変で、家族ともうまくいっていません。"), "ja"),
    ("Привет, как ты сегодня? Не знаю, я очень устал, и у меня была тяжелая неделя.", "und"),
])
def test_language_guess(text: str, code: str) -> None:
    half = len(text) // 2
    result = parse(f"T: {text[:half]}\nC: {text[half:]}\n")
    assert result.sessions[0].language == code
    assert len(result.warnings) == 1


def test_other_role_word_and_flag() -> None:
    result = parse("T: Hello.\nInterpreter: Hola.\nC: Hi.\nAunt May: Hello all.\n",
                   roles=roles(other=("aunt may",)))
    assert [s.role.value for s in result.sessions[0].speakers] == [
        "therapist", "other", "client", "other"]


def test_non_english_is_read_with_a_warning() -> None:
    text = ("T: Hola, ¿cómo estás hoy? ¿Qué tal la semana con tu familia?\n"
            "C: No muy bien. Mi hermana y yo no nos hablamos desde el domingo, y eso me "
            "pone muy triste porque es la única familia que tengo aquí en la ciudad.\n")
    result = parse(text)
    assert result.sessions[0].language == "es"
    assert any("Spanish (es)" in w and "skipped" in w for w in result.warnings)
