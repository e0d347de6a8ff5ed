"""Raw sessions to validated :class:`~rapport.domain.Session` objects, the same for all formats.

Here, once for every format: session ids, roles, empty turns, time order, speaker-name
limits, the language guess and the source metadata. Nothing is returned unless every
session of the input is valid, so a bad file never yields half its sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from rapport.domain import Session, Speaker, Turn, codes_language, is_backchannel
from rapport.ingest.language import guess_language, language_name
from rapport.ingest.raw import Context, RawSession, RawTurn
from rapport.ingest.roles import (
    resolve_roles,
    suggested_roles,
    unmatched_flag_warning,
    unused_flags,
)

MAX_SPEAKER_CHARS = 200
MAX_ID_CHARS = 300


def session_ids(raws: list[RawSession], ctx: Context) -> list[str]:
    """The input's own ids, else the file name, numbered when a file holds several."""
    seen: set[str] = set()
    return [session_id(raw, k, len(raws), ctx, seen) for k, raw in enumerate(raws, 1)]


def session_id(raw: RawSession, k: int, total: int, ctx: Context, seen: set[str]) -> str:
    """The id of the ``k``-th of ``total`` sessions of an input (``seen``: the ids given so
    far, updated); the same rule whether the input is read whole or streamed."""
    stem = Path(ctx.name).stem.strip() or "session"
    sid = raw.own_id or (stem if total == 1 else f"{stem}-{k}")
    if len(sid) > MAX_ID_CHARS:
        raise ctx.error(f"session id longer than {MAX_ID_CHARS} characters",
                        fix="shorten the session id", code="bad_id")
    if sid in seen:
        raise ctx.error(f"session id {sid!r} is used by two sessions",
                        fix="give each session its own id", code="duplicate_id")
    seen.add(sid)
    return sid


def _check_turn(turn: RawTurn, previous_start: float | None, ctx: Context) -> None:
    if not turn.speaker.strip():
        raise ctx.error("a turn has no speaker name", turn.place,
                        fix="fill in the speaker", code="no_labels")
    if len(turn.speaker) > MAX_SPEAKER_CHARS:
        raise ctx.error(f"speaker name longer than {MAX_SPEAKER_CHARS} characters",
                        turn.place, fix="shorten the speaker name", code="bad_speaker")
    if not turn.text.strip():
        raise ctx.error(f"speaker {turn.speaker!r} has a label but no text", turn.place,
                        fix="add what was said, or remove the empty label",
                        code="empty_turn")
    if turn.start is not None and turn.end is not None and turn.end < turn.start:
        raise ctx.error("turn ends before it starts", turn.place,
                        fix="correct the start and end times", code="bad_time")
    if turn.start is not None and previous_start is not None and turn.start < previous_start:
        raise ctx.error("time goes backwards: this turn starts before the one above it",
                        turn.place, fix="correct the timestamp, or sort the turns by time",
                        code="bad_time")


def _build(raw: RawSession, sid: str, fmt: str, ctx: Context) -> tuple[Session, list[str]]:
    if not raw.turns:
        raise ctx.error(f"session {sid!r} has no turns", fix="add its turns",
                        code="empty")
    labels = list(dict.fromkeys([*raw.declared, *(t.speaker for t in raw.turns)]))
    stated = {**{k: v for k, v in raw.declared.items() if v is not None},
              **{t.speaker: t.role for t in raw.turns if t.role}}
    roles = resolve_roles(labels, stated, ctx.roles, ctx.where,
                          suggested=suggested_roles(raw.metadata.get("suggested_roles")))
    turns: list[Turn] = []
    previous_start: float | None = None
    for index, raw_turn in enumerate(raw.turns):
        if raw.lenient_times and raw_turn.start is not None and previous_start is not None \
                and raw_turn.start < previous_start:
            raw_turn = replace(raw_turn, start=None)  # noqa: PLW2901  (documented leniency)
            raw.dropped_times += 1
        _check_turn(raw_turn, previous_start, ctx)
        previous_start = raw_turn.start if raw_turn.start is not None else previous_start
        flag = raw_turn.backchannel
        turns.append(Turn(index=index, speaker=raw_turn.speaker, role=roles[raw_turn.speaker],
                          text=raw_turn.text, start=raw_turn.start, end=raw_turn.end,
                          backchannel=is_backchannel(raw_turn.text) if flag is None
                          else flag))
    language = raw.language or guess_language(" ".join(t.text for t in raw.turns))
    warnings = []
    if raw.dropped_times:
        warnings.append(f"session {sid}: {raw.dropped_times} unreadable or backward "
                        "timestamp(s) were left empty")
    if not codes_language(language):
        warnings.append(
            f"session {sid}: the language looks {language_name(language)} ({language}), "
            "not English; utterance codes are English-only and are skipped, only "
            "language-independent measures (turn-taking, talk time) are reported")
    # JSONL carries its own metadata verbatim (so it round-trips); other formats say where
    # the session came from.
    metadata = dict(raw.metadata)
    if fmt != "jsonl":
        metadata = {"source_format": fmt, "source_file": ctx.name, **metadata}
    session = Session(id=sid, speakers=tuple(Speaker(name=n, role=roles[n]) for n in labels),
                      turns=tuple(turns), date=raw.date, language=language,
                      metadata=metadata)
    return session, warnings


def build_session(raw: RawSession, sid: str, fmt: str, ctx: Context
                  ) -> tuple[Session, list[str]]:
    """One validated session and the warnings about it, or raise for its first error."""
    try:
        return _build(raw, sid, fmt, ctx)
    except ValidationError as exc:
        # every rule of the domain model is checked in _build first; this is a backstop
        first = exc.errors()[0]
        raise ctx.error(f"session {sid!r} is invalid: {first['msg']}",
                        fix="see docs/formats.md", code="invalid_session") from None


@dataclass(frozen=True)
class Assembled:
    """Validated sessions, the warnings about each one (by id) and about the whole input."""

    sessions: list[Session]
    per_session: dict[str, list[str]]
    general: list[str]
    unmatched_flags: list[str]

    @property
    def warnings(self) -> list[str]:
        """Every warning: each session's in order, then the input's."""
        return [*(w for s in self.sessions for w in self.per_session[s.id]), *self.general]


def assemble(raws: list[RawSession], fmt: str, ctx: Context) -> Assembled:
    """Validate every raw session, or raise for the first error."""
    ids = session_ids(raws, ctx)
    sessions: list[Session] = []
    per_session: dict[str, list[str]] = {}
    for raw, sid in zip(raws, ids, strict=True):
        session, notes = build_session(raw, sid, fmt, ctx)
        sessions.append(session)
        per_session[sid] = notes
    labels = [s.name for session in sessions for s in session.speakers]
    unmatched = unused_flags(ctx.roles, labels)
    return Assembled(sessions, per_session, [unmatched_flag_warning(n) for n in unmatched],
                     unmatched)
