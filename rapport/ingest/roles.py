"""Who is therapist and who is client: explicit flags, then role words, never a guess.

Order of precedence for each speaker label: the user's flags (``--therapist "Dr. Lee"``),
then a role the source states (a CSV ``role`` column, a JSONL header), then a recognised
role word (``T``, ``Counsellor``, ``Client 2``). A label matched by none of them stops the
import with a message listing every label and the exact flags that would map them.
Personal names and titles ("Dr. Lee") are never taken as roles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.ingest.api import RoleMap

_THERAPIST = ("t", "th", "ther", "therapist", "counselor", "counsellor", "clinician",
              "interviewer", "psychologist", "psychotherapist", "psychiatrist",
              "practitioner", "provider", "social worker")
_CLIENT = ("c", "cl", "client", "patient", "pt", "p", "interviewee", "counselee",
           "counsellee")
_OTHER = ("interpreter", "translator", "observer", "narrator")
ROLE_WORDS: dict[str, Role] = {
    **dict.fromkeys(_THERAPIST, Role.THERAPIST),
    **dict.fromkeys(_CLIENT, Role.CLIENT),
    **dict.fromkeys(_OTHER, Role.OTHER),
}
#: "Client 2", "C1", "Client-B", "Therapist_1": a role word with a short number or letter.
_SUFFIX = re.compile(r"^(.*?)(?:\s*[-_#]?\s*\d{1,2}|[\s\-_#]+[a-z])$")


def normalise(label: str) -> str:
    """Compare labels ignoring case, spacing and full stops (``Dr. Lee`` = ``dr lee``)."""
    return " ".join(label.casefold().replace(".", " ").split())


def role_word(label: str) -> Role | None:
    """The role a label names by itself (``"Counsellor"``, ``"Client 2"``), else ``None``.

    >>> role_word("Counsellor"), role_word("C2"), role_word("Dr. Lee")
    (<Role.THERAPIST: 'therapist'>, <Role.CLIENT: 'client'>, None)
    """
    key = normalise(label)
    if key in ROLE_WORDS:
        return ROLE_WORDS[key]
    match = _SUFFIX.match(key)
    if match and match.group(1) in ROLE_WORDS:
        return ROLE_WORDS[match.group(1)]
    return None


def _flag_roles(roles: RoleMap, where: str) -> dict[str, Role]:
    mapped: dict[str, Role] = {}
    for role, names in ((Role.THERAPIST, roles.therapist), (Role.CLIENT, roles.client),
                        (Role.OTHER, roles.other)):
        for name in names:
            key = normalise(name)
            if key in mapped and mapped[key] != role:
                raise RapportInputError(
                    f"speaker {name!r} is given two roles ({mapped[key].value} and "
                    f"{role.value})", where=where, fix="pass each speaker to one flag only",
                    code="role_conflict")
            mapped[key] = role
    return mapped


#: The command line's option for each role (a web form words it its own way).
FLAG_OF = {Role.THERAPIST: "--therapist", Role.CLIENT: "--client-speaker",
           Role.OTHER: "--other"}


class UnclearRolesError(RapportInputError):
    """Speakers whose roles could not be told, with what would settle it as data, so that
    each interface can say it in its own words (the CLI's options, a form's fields):
    ``proposal`` maps each unknown label to a suggested role (``from_talk`` when it comes
    from who asks the questions), or ``missing`` names the role no speaker has."""

    def __init__(self, what: str, *, where: str, fix: str, code: str,
                 proposal: dict[str, Role] | None = None, from_talk: bool = False,
                 missing: Role | None = None) -> None:
        self.proposal = dict(proposal or {})
        self.from_talk = from_talk
        self.missing = missing
        super().__init__(what, where=where, fix=fix, code=code)


def _quote(label: str) -> str:
    return f'"{label}"' if re.search(r"[^\w.-]", label) else label


def suggested_roles(value: object) -> dict[str, Role]:
    """``"SPEAKER_1=therapist, SPEAKER_2=client"`` (a transcribed recording's metadata)
    as a mapping; anything unreadable is no suggestion.

    >>> suggested_roles("SPEAKER_1=therapist, SPEAKER_2=client")["SPEAKER_2"]
    <Role.CLIENT: 'client'>
    """
    if not isinstance(value, str):
        return {}
    pairs = [part.strip().rpartition("=") for part in value.split(",")]
    return {name: Role(role) for name, _, role in pairs
            if name and role in {r.value for r in Role}}


def resolve_roles(labels: Sequence[str], stated: dict[str, Role], roles: RoleMap,
                  where: str, *, suggested: dict[str, Role] | None = None
                  ) -> dict[str, Role]:
    """Map every label (in order of first appearance) to a role, or raise saying how to.

    A session needs at least one therapist and one client; several clients (a couple, a
    family) are fine. ``suggested`` (from talk patterns, for a transcribed recording) is
    only offered in the message, never applied: the user confirms it with the flags.
    """
    flags = _flag_roles(roles, where)
    resolved: dict[str, Role] = {}
    unknown: list[str] = []
    for label in labels:
        role = flags.get(normalise(label)) or stated.get(label) or role_word(label)
        if role is None:
            unknown.append(label)
        else:
            resolved[label] = role
    listing = ", ".join(repr(label) for label in labels)
    # before asking who is who: naming the one speaker's role would only lead to this error
    if len(labels) == 1:
        raise RapportInputError(
            f"only one speaker ({labels[0]!r}) in the session", where=where,
            fix="a session needs a therapist and a client; check the speaker labels",
            code="single_speaker")
    if unknown:
        have = set(resolved.values())
        from_talk = bool(suggested) and all(u in (suggested or {}) for u in unknown)
        proposal: dict[str, Role]
        if from_talk and suggested:
            proposal = {u: suggested[u] for u in unknown}
        elif Role.THERAPIST in have:
            proposal = dict.fromkeys(unknown, Role.CLIENT)
        else:  # the first unknown speaker as the therapist, the others as clients
            proposal = {u: Role.THERAPIST if i == 0 else Role.CLIENT
                        for i, u in enumerate(unknown)}
        suggestion = " ".join(f"{FLAG_OF[role]} {_quote(u)}" for u, role in proposal.items())
        if from_talk:
            suggestion += (" (suggested from who asks the questions: check it against the "
                           "recording before using it)")
        raise UnclearRolesError(
            f"cannot tell the role of speaker(s) {', '.join(map(repr, unknown))} "
            f"(speakers found: {listing})", where=where,
            fix=f"say who is who, e.g. {suggestion.strip()} (use --other for anyone "
            "else; for a folder of files, --roles FILE names each file's speakers; "
            "Rapport never guesses roles from names)", code="unknown_speaker",
            proposal=proposal, from_talk=from_talk)
    for needed in (Role.THERAPIST, Role.CLIENT):
        if needed not in resolved.values():
            raise UnclearRolesError(
                f"no {needed.value} among the speakers ({listing})", where=where,
                fix=f"name the {needed.value} with {FLAG_OF[needed]} NAME",
                code="missing_role", missing=needed)
    return resolved


def unmatched_flag_warning(name: str) -> str:
    """The warning for a role label that matches no speaker of a file."""
    return (f"--therapist/--client-speaker/--other {name!r} matches no speaker in this "
            "file")


def unused_flags(roles: RoleMap, labels: Sequence[str]) -> list[str]:
    """Flag values that match no speaker in the input (likely a typo)."""
    seen = {normalise(label) for label in labels}
    return [n for n in (*roles.therapist, *roles.client, *roles.other)
            if normalise(n) not in seen]
