"""Utterance-family gold coded by hand, and training the utterance coder on it.

The coding workbench's ``rapport-utterance`` codebook gives each turn one code that names
its whole path through the five families (docs/codebook.md): a therapist turn
``question_open`` is ``therapist_behaviour=question, question_type=open``; a client turn
``change`` is ``client_talk=change``. A gold JSONL file exported by the workbench
(``rapport coding export --format gold``, the ``adjudicated`` pass) becomes the training
frames of :class:`UtteranceCoder`; ``rapport train utterance --gold FILE`` calls
:func:`train_cli`. A turn left without a code keeps its place as context and teaches no
family.

>>> GOLD_CODES["reflection_complex"]
{'therapist_behaviour': 'reflection', 'reflection_type': 'complex'}
>>> code_of({"therapist_behaviour": "question", "question_type": "closed"})
'question_closed'
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rapport.errors import RapportInputError

if TYPE_CHECKING:
    import pandas as pd

#: code -> (speaker, definition, the family labels it stands for).
CODES: dict[str, tuple[str, str, dict[str, str]]] = {
    "question_open": ("therapist", ("an open question: invites the client to say more in "
                      "their own words"), {"therapist_behaviour": "question",
                                          "question_type": "open"}),
    "question_closed": ("therapist", "a closed question: answerable with yes, no or a fact",
                        {"therapist_behaviour": "question", "question_type": "closed"}),
    "reflection_simple": ("therapist", ("a simple reflection: says back what the client said, "
                          "adding little or nothing"), {"therapist_behaviour": "reflection",
                                                       "reflection_type": "simple"}),
    "reflection_complex": ("therapist", ("a complex reflection: adds meaning, feeling or "
                           "emphasis to what the client said"),
                           {"therapist_behaviour": "reflection",
                            "reflection_type": "complex"}),
    "input_information": ("therapist", "gives information", {
        "therapist_behaviour": "input", "input_type": "information"}),
    "input_advice": ("therapist", "gives advice or a suggestion", {
        "therapist_behaviour": "input", "input_type": "advice"}),
    "input_options": ("therapist", "offers options to choose from", {
        "therapist_behaviour": "input", "input_type": "options"}),
    "input_negotiation": ("therapist", "negotiates goals or a plan", {
        "therapist_behaviour": "input", "input_type": "negotiation"}),
    "other": ("therapist", ("any other therapist turn (greetings, affirmations, "
              "structuring)"), {"therapist_behaviour": "other"}),
    "change": ("client", "change talk: speaks for changing", {"client_talk": "change"}),
    "neutral": ("client", "neutral talk: neither for nor against change",
                {"client_talk": "neutral"}),
    "sustain": ("client", "sustain talk: speaks for staying as things are",
                {"client_talk": "sustain"}),
}
GOLD_CODES: dict[str, dict[str, str]] = {name: labels for name, (_, _, labels) in
                                         CODES.items()}
_BY_LABELS = {tuple(sorted(labels.items())): name for name, labels in GOLD_CODES.items()}
_FAMILY_NAMES = frozenset(f for labels in GOLD_CODES.values() for f in labels)
_ROLES = {"T": "therapist", "C": "client", "therapist": "therapist", "client": "client"}


def code_of(families: Mapping[str, str | None]) -> str | None:
    """The workbench code for a turn's family labels (None when no code names them)."""
    given = {k: v for k, v in families.items() if k in _FAMILY_NAMES and v is not None}
    return _BY_LABELS.get(tuple(sorted(given.items())))



def _fail(path: Path, line: int, what: str, fix: str) -> RapportInputError:
    return RapportInputError(what, where=f"{path}:{line}", fix=fix, code="bad_gold")


def gold_frames(path: Path, *, which: str = "adjudicated"
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The turn frame ``X`` (session, role, text, group) and label frame ``y`` (one column
    per family, None where it does not apply) of ``path``'s ``which`` pass."""
    import pandas as pd

    from rapport.coding.utterance.data import LABEL_COLUMNS

    if not path.is_file():
        raise RapportInputError("no such file", where=str(path), fix="check the path",
                                code="not_found")
    rows: list[tuple[str, int, dict[str, object]]] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if rec.get("pass") != which:
                continue
            session, turn, text = str(rec["session"]), int(rec["turn"]), str(rec["text"])
            role = _ROLES[str(rec["speaker"])]
            codes = list(rec.get("codes") or [])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise _fail(path, number, "is not a gold record with session, turn, speaker "
                        "(T or C), codes and text", "export it with `rapport coding export "
                        "PROJECT --format gold`") from None
        unknown = [c for c in codes if c not in GOLD_CODES or CODES[c][0] != role]
        if unknown or len(codes) > 1:
            raise _fail(path, number, f"{(unknown or codes)[0][:40]!r} is not one "
                        f"rapport-utterance code of a {role} turn",
                        "code the project with the rapport-utterance codebook (one code "
                        "per turn: " + ", ".join(GOLD_CODES) + ")")
        labels: dict[str, object] = dict.fromkeys(LABEL_COLUMNS)
        labels.update(GOLD_CODES[codes[0]] if codes else {})
        rows.append((session, turn, {"session": session, "role": role, "text": text,
                                     "group": str(rec.get("video") or session), **labels}))
    if not rows:
        raise RapportInputError(f"no {which!r} records", where=str(path),
                                fix="export a project whose sessions are adjudicated",
                                code="bad_gold")
    rows.sort(key=lambda r: (r[0], r[1]))
    frame = pd.DataFrame.from_records([r for _, _, r in rows])
    return (frame[["session", "role", "text", "group"]].reset_index(drop=True),
            frame[list(LABEL_COLUMNS)].reset_index(drop=True))


def train_cli(preset: str, out_dir: Path | None, *, gold: Path) -> str:
    """``rapport train utterance --gold FILE``: fit and save each preset on the file."""
    from rapport.coding.utterance.families import PRESETS
    from rapport.coding.utterance.model import UtteranceCoder
    from rapport.coding.utterance.persist import MODELS_DIR, save_coder
    from rapport.coding.utterance.punctuation import preset_label

    x, y = gold_frames(gold)
    digest = hashlib.sha256(gold.read_bytes()).hexdigest()
    lines = [f"{len(x)} turns of {x['session'].nunique()} sessions in {gold.name}"]
    # each preset with its punctuation-free companion, from the same gold (an older
    # companion left beside a new model would code unpunctuated sessions by other data)
    for name, bare in itertools.product(PRESETS if preset == "all" else (preset,),
                                        (False, True)):
        coder = UtteranceCoder(preset=name, bare_copy=bare).fit(x, y)
        if not coder.heads_:
            raise RapportInputError("no code family has two different codes in the gold",
                                    where=str(gold), fix="code more turns (each family "
                                    "needs at least two of its labels)", code="bad_gold")
        label = f"utterance-{preset_label(name, bare=bare)}"
        path = (out_dir or MODELS_DIR) / f"{label}.joblib"
        save_coder(coder, path, data_sha256=digest, companion=bare, metrics={
            "gold": gold.name,
            "families": {fam: head.inner_f1 for fam, head in coder.heads_.items()}})
        lines.append(f"{label}: {path if not bare else path.with_suffix('.npz')} "
                     f"(families: {', '.join(coder.heads_)})")
    return "\n".join(lines)
