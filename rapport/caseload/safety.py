"""Safety flags of one client, open or acknowledged, from every source; acknowledging one.

A flag is derived from its source every time it is read, never stored, so nothing can
delete or hide it: the risk items of the client's questionnaire responses (PHQ-9 item 9
answered above zero, or left blank), of every instrument, whatever a view filters; and the
urgent risk language the risk coder found in the client's analysed sessions (one flag per
turn, keyed by the stored analysis and the turn; only analyses whose stored metrics count
urgent risk are opened, each an audited read).
Acknowledging a flag appends a row (who, when, what was done, a note; audited) through
``rapport.store.safety``; it changes the flag's state from *open* to *acknowledged* and
keeps every earlier acknowledgement. Another source (a transcript's risk coder, keyed by
session and turn) adds its flags to :func:`client_flags` with its own :class:`FlagRef`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from rapport.errors import RapportInputError
from rapport.measures.alerts import Alert
from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import SafetyFlag
from rapport.measures.stored import current_flags
from rapport.store.analyses import list_analyses, read_analysis
from rapport.store.responses import ResponseView, list_entered_in_error, list_responses
from rapport.store.safety import (
    AcknowledgementView,
    FlagRef,
    add_acknowledgement,
    list_acknowledgements,
)
from rapport.store.tx import Tx

#: What was done, as an acknowledgement records it (the note says the rest).
ACTIONS: dict[str, str] = {
    "discussed": "risk discussed with the client",
    "assessed": "risk assessment done",
    "safety_plan": "safety plan made or reviewed",
    "referred": "referred, or crisis service contacted",
    "contact_attempted": "tried to contact the client",
    "other": "something else (see the note)",
    "not_risk": "reviewed: not risk language (a false alarm of the transcript coder)",
}
#: Actions only a flag of a given source kind may take: a transcript's risk language can be
#: a false alarm of the coder (docs/risk.md lists some), a questionnaire answer is the
#: client's own and is never "not risk".
ONLY_FOR_KIND = {"not_risk": "transcript"}

FlagState = Literal["open", "acknowledged"]


@dataclass(frozen=True)
class ClientFlag:
    """One safety flag of a client and its acknowledgements (oldest first)."""

    ref: FlagRef
    instrument: str
    short_name: str
    session: int | None
    rule: str
    message: str
    raised_at: dt.datetime
    acknowledgements: tuple[AcknowledgementView, ...] = ()

    @property
    def state(self) -> FlagState:
        return "acknowledged" if self.acknowledgements else "open"

    @property
    def is_open(self) -> bool:
        return not self.acknowledgements

    @property
    def actions(self) -> dict[str, str]:
        """The actions this flag may be acknowledged with (:data:`ACTIONS`, less those
        for another source kind)."""
        return {a: w for a, w in ACTIONS.items()
                if ONLY_FOR_KIND.get(a, self.ref.kind) == self.ref.kind}

    @property
    def latest(self) -> AcknowledgementView | None:
        return self.acknowledgements[-1] if self.acknowledgements else None

    def alert(self) -> Alert:
        """The flag as an urgent alert (the same rule names as ``rapport.measures``)."""
        return Alert(rule=self.rule, severity="urgent", session=self.session or 0,
                     message=self.message, numbers={})

    def line(self) -> str:
        """One line for the terminal: state first, then the flag, then who acknowledged."""
        where = f"session {self.session}" if self.session is not None else "no session"
        text = f"{where}: {self.message}  [{self.ref}]"
        latest = self.latest
        if latest is None:
            return f"!! OPEN  {text}"
        return (f"   ACKNOWLEDGED  {text}; by {latest.by} on {latest.at:%Y-%m-%d %H:%M} UTC "
                f"({ACTIONS.get(latest.action, latest.action)})")


def _rule(flag: SafetyFlag) -> str:
    return "safety.risk_item_unanswered" if flag.reason == "unanswered" else "safety.risk_item"


def questionnaire_flags(responses: Iterable[ResponseView]
                        ) -> tuple[list[ClientFlag], list[str]]:
    """The flags raised by stored responses (their risk items read every time; a response
    stored under another definition is re-scored with the current one), and
    warnings for responses that could not be read (no client text in them)."""
    flags: list[ClientFlag] = []
    warnings: list[str] = []
    for response in responses:
        try:
            instrument = get_instrument(response.instrument_id)
            found = current_flags(instrument, response)
        except RapportInputError:
            # An unknown instrument's risk items are unknown too: say so, loudly.
            warnings.append(f"response {response.id}: cannot be checked for safety flags "
                            f"(instrument {response.instrument_id!r} not readable)")
            continue
        mark = response.entered_in_error
        # A response marked entered in error keeps its flags (acknowledged before it could
        # be marked), saying so: a safety flag never leaves the record's history.
        marked = ("" if mark is None else
                  f" (the response was marked entered in error by {mark.by} on "
                  f"{mark.at:%Y-%m-%d})")
        flags += [ClientFlag(ref=FlagRef("questionnaire", response.id, flag.item),
                             instrument=instrument.id, short_name=instrument.short_name,
                             session=response.session_number, rule=_rule(flag),
                             message=flag.message + marked, raised_at=response.recorded_at)
                  for flag in found]
    return flags, warnings


#: Plain words for a transcript risk code (the risk box's labels; kept here so the record's
#: rules do not depend on the coder being installed).
_RISK_WORDS = {"risk_suicidal_ideation": "suicidal thoughts",
               "risk_suicide_plan": "a suicide plan, means or preparation",
               "risk_self_harm": "self-harm", "risk_harm_to_others": "harm to others",
               "risk_abuse": "abuse or a safeguarding concern"}
_REPLY_WORDS = {"asked_directly": "the therapist asked about it directly",
                "explored": "the therapist explored it without asking directly",
                "moved_on": "the therapist moved on",
                "none": "no therapist reply before the client spoke again or the session ended"}


def transcript_flags(tx: Tx, code: str) -> list[ClientFlag]:
    """One flag per urgent risk turn of the client's analysed sessions."""
    return document_flags(
        (view.id, view.session_number, view.created_at, read_analysis(tx, view.id))
        for view in list_analyses(tx, code)
        if not view.purged and view.metrics.get("risk.urgent"))


def document_flags(documents: Iterable[tuple[int, int, dt.datetime, str]]
                   ) -> list[ClientFlag]:
    """One flag per urgent risk turn of stored analysis documents, given as (analysis
    id, session number, stored at, JSON document) of analyses that count urgent risk."""
    flags: list[ClientFlag] = []
    for analysis_id, session_number, created_at, document in documents:
        doc = json.loads(document)
        for turn in (doc.get("risk") or {}).get("turns", []):
            if turn.get("state") != "urgent":
                continue
            what = ", ".join(_RISK_WORDS.get(c["name"], c["name"]) for c in turn["codes"])
            reply = _REPLY_WORDS.get(turn.get("response", {}).get("kind", ""), "")
            flags.append(ClientFlag(
                ref=FlagRef("transcript", analysis_id, str(turn["turn_index"])),
                instrument="transcript", short_name="Session transcript",
                session=session_number, rule="safety.transcript_risk",
                message=f"risk language at turn {turn['turn_index']}: {what}"
                        + (f"; {reply}" if reply else ""),
                raised_at=created_at))
    return flags


def with_acknowledgements(flags: Sequence[ClientFlag],
                           acks: Sequence[AcknowledgementView]) -> list[ClientFlag]:
    by_ref: dict[FlagRef, list[AcknowledgementView]] = {}
    for ack in acks:
        by_ref.setdefault(ack.ref, []).append(ack)
    joined = [replace(flag, acknowledgements=tuple(by_ref.get(flag.ref, ()))) for flag in flags]
    # Open first, then the most recent session first.
    return sorted(joined, key=lambda f: (not f.is_open, -(f.session or 0), f.ref))


def client_flags(tx: Tx, code: str, *, responses: Sequence[ResponseView] | None = None
                 ) -> tuple[list[ClientFlag], list[str]]:
    """Every safety flag of ``code`` with its acknowledgements, open ones first (audited
    reads), those of responses marked entered in error included; pass ``responses`` (every
    one of the client's, those marked entered in error too) when they were read already
    in this transaction."""
    found, warnings = questionnaire_flags(
        responses if responses is not None
        else [*list_responses(tx, code), *list_entered_in_error(tx, code)])
    found += transcript_flags(tx, code)
    return with_acknowledgements(found, list_acknowledgements(tx, code)), warnings


def acknowledge(tx: Tx, code: str, flag: str | FlagRef, *, action: str,
                note: str) -> AcknowledgementView:
    """Record that ``flag`` of client ``code`` was acted on. The flag must be one of the
    client's flags (open or already acknowledged: a later acknowledgement adds to the
    history). Checks everything before writing."""
    ref = flag if isinstance(flag, FlagRef) else FlagRef.parse(flag)
    if action not in ACTIONS:
        raise RapportInputError(f"unknown action {action[:40]!r}", where="action",
                                fix="use one of: " + ", ".join(ACTIONS), code="bad_input")
    flags, _ = client_flags(tx, code)
    found = next((f for f in flags if f.ref == ref), None)
    if found is None:
        raise RapportInputError(f"client {code} has no safety flag {ref}", where="flag",
                                fix=f"list the client's flags: rapport flags list {code}",
                                code="not_found")
    if action not in found.actions:
        raise RapportInputError(
            f"{action!r} is only for risk language found in a transcript; a questionnaire "
            "answer is the client's own", where="action",
            fix="use one of: " + ", ".join(found.actions), code="bad_input")
    return add_acknowledgement(tx, code, ref, action=action, note=note)


def render_flags(flags: Sequence[ClientFlag]) -> str:
    """The terminal's safety section: open flags first, each acknowledged one with who
    acknowledged it and when (the notes are shown by ``rapport flags list``)."""
    if not flags:
        return "Safety flags: none"
    n_open = sum(f.is_open for f in flags)
    lines = [f"Safety flags: {n_open} open, {len(flags) - n_open} acknowledged"]
    lines += [f.line() for f in flags]
    return "\n".join(lines)
