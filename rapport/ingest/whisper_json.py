"""Whisper and WhisperX JSON output (``whisper audio.wav --output_format json``).

::

    {"language": "en",
     "segments": [{"start": 0.0, "end": 3.2, "text": " How was the week?",
                   "speaker": "SPEAKER_00"}, ...]}

A bare list of segments (as some tools write) is read the same way. Speakers come from
diarisation (WhisperX's ``speaker``); plain Whisper output has none
and is refused with a way forward. A diarised segment without a speaker continues the
previous speaker (WhisperX leaves a few unassigned). Consecutive segments of one speaker
are merged into one turn; empty segments are dropped.
"""

from __future__ import annotations

import re

from rapport.ingest.json_input import load_json, type_name
from rapport.ingest.raw import Context, RawSession, RawTurn, seconds

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_DIARISE_FIX = ("Rapport needs to know who spoke: diarise with WhisperX "
                "(`whisperx audio.wav --diarize`), or convert the transcript to text with "
                "speaker labels")


def _checked_segment(seg: dict[str, object], place: str, ctx: Context
                     ) -> tuple[str, float, float]:
    seg_text, start, end = seg.get("text"), seconds(seg.get("start")), seconds(seg.get("end"))
    if not isinstance(seg_text, str):
        raise ctx.error(f"'text' is {type_name(seg_text)}, expected a string", place,
                        fix="each segment needs a text string", code="bad_json")
    if start is None or end is None:
        raise ctx.error("'start' and 'end' must be non-negative numbers of seconds",
                        place, fix="correct the segment times", code="bad_time")
    if end < start:
        raise ctx.error("segment ends before it starts", place,
                        fix="correct the segment times", code="bad_time")
    if len(seg_text) > ctx.settings.max_line_chars:
        raise ctx.error(f"segment text over {ctx.settings.max_line_chars:,} characters",
                        place, fix="raise RAPPORT_MAX_LINE_CHARS", code="too_large")
    return seg_text, start, end


def parse_whisper(text: str, ctx: Context) -> list[RawSession]:
    """Read Whisper/WhisperX JSON into one raw session."""
    data = load_json(text, ctx)
    if isinstance(data, list):  # some tools write the segment list on its own
        data = {"segments": data}
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise ctx.error("JSON without a 'segments' list: not Whisper output",
                        fix="pass Whisper/WhisperX JSON output, or Rapport JSONL",
                        code="bad_format")
    segments = data["segments"]
    session = RawSession()
    speaker: str | None = None
    labelled = 0
    for i, seg in enumerate(segments):
        place = f"segments[{i}]"
        if not isinstance(seg, dict):
            raise ctx.error(f"segment is a JSON {type_name(seg)}, expected an object", place,
                            fix="each segment needs start, end, text (and speaker)",
                            code="bad_json")
        seg_text, start, end = _checked_segment(seg, place, ctx)
        named = seg.get("speaker")
        if named is not None:
            if not isinstance(named, str | int) or isinstance(named, bool) or \
                    not str(named).strip():
                raise ctx.error(f"'speaker' is {type_name(named)}, expected a name", place,
                                fix="speakers are strings such as SPEAKER_00",
                                code="bad_json")
            speaker = " ".join(str(named).split())
            labelled += 1
        if not seg_text.strip():
            continue
        if speaker is None:
            if labelled == 0 and not any(isinstance(s, dict) and "speaker" in s
                                         for s in segments):
                raise ctx.error("Whisper output without speakers (not diarised)",
                                fix=_DIARISE_FIX, code="no_labels")
            raise ctx.error("segment has no speaker and none precedes it", place,
                            fix="add a 'speaker' to the first segment", code="no_labels")
        session.add(RawTurn(speaker, seg_text.strip(), place, start, end), ctx, merge=True)
    if not session.turns:
        raise ctx.error("no segments with text", fix="pass a non-empty Whisper transcript",
                        code="empty")
    language = data.get("language")
    if isinstance(language, str) and _LANGUAGE_CODE.match(language):
        session.language = language
    return [session]
