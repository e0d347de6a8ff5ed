"""Rule hits and context cues: the explainable half of the relationship coder.

:func:`rule_hits` runs the patterns of :mod:`~rapport.coding.relationship.lexicon` with
negation and veto handling, plus the context rules of withdrawal, which depend on what the
turn answers. The hits become features of the learned model and, for a positive code, its
first piece of evidence ("matched 'it's up to you'").

>>> [h.rule for h in rule_hits("It's entirely up to you.", "Should I move?", "therapist")]
['emphasize_autonomy.up_to_you']
>>> [h.rule for h in rule_hits("Dunno.", "What went through your mind?", "client")]
['withdrawal.minimal_after_open']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapport.coding.relationship.codes import CLIENT_CODES, THERAPIST_CODES
from rapport.coding.relationship.lexicon import PATTERNS, VETOES

_NEGATORS = re.compile(r"\b(not|never|no|n't|isn't|wasn't|aren't|don't|didn't|nothing)\W*$")
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[a-z0-9']+")
#: Answers that say nothing: whole turns made only of these words are "minimal".
_MINIMAL = frozenset((
    "i", "dunno", "don't", "know", "no", "idea", "nae", "dinnae", "ken", "not", "sure",
    "whatever", "nothing", "much", "really", "fine", "ok", "okay", "alright", "s'alright",
    "same", "as", "always", "meh", "mm", "mmm", "mm-hmm", "hmm", "suppose", "guess", "maybe",
    "yeah", "yep", "nah", "eh", "um", "uh", "erm", "it's", "its", "just", "tired", "could",
    "be", "mate", "honestly", "can't", "remember", "care", "bro", "innit", "sure", "easy",
    "i'm", "im", "empty", "stuff", "so", "anyway", "haven't", "thought", "about", "it",
))
#: Words that make a short answer non-committal; "Yeah." or "Okay." alone only agree.
_NONCOMMITTAL = frozenset((
    "dunno", "idea", "whatever", "nothing", "meh", "suppose", "guess", "maybe", "not",
    "don't", "can't", "care", "remember", "same", "ken", "haven't", "empty", "stuff", "tired",
))
#: A direct open question ("How have things been?"), after which even "Fine." says little.
_WH_OPEN = re.compile(r"^(how|what|why|tell me|describe|can you (tell|say|describe)|could "
                      r"you (tell|say|describe))\b.*\?$")
_OPEN = re.compile(r"^(what|how|why|tell me|describe|can you (tell|say|describe|talk)|could "
                   r"you (tell|say|describe|talk)|say more|i wonder|it sounds|it seems|you "
                   r"seem|you mentioned|would you like to talk)|\b(tell me|say more|more "
                   r"about|how (did|do|does|are|is|was|have)|what (was|is|did|do|does|would|"
                   r"are|went|comes|'s|might|made)|i wonder|it sounds like|it seems)\b")
_FACTUAL = re.compile(r"^(what time|when|where|which|who|how (many|much|old|long|often|"
                      r"far)|what's (the|your) (name|number|address|date)|(do|did|does|is|"
                      r"are|was|were|have|has|will|would|shall)\b(?! you (like|want) to "
                      r"talk))")
_TOPIC_SHIFT = re.compile(r"^(anyway|so,? (anyway|erm|um)|oh,? look|by the way|did you (see|"
                          r"watch|have)|what time do we)")


@dataclass(frozen=True)
class RuleHit:
    """One rule that fired: ``rule`` is ``<code>.<name>``, ``phrase`` the matched words."""

    code: str
    rule: str
    phrase: str


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes and quotes, single spaces."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACES.sub(" ", text.lower()).strip()


@lru_cache(maxsize=1)
def _compiled() -> tuple[dict[str, list[tuple[str, re.Pattern[str], bool]]],
                         dict[str, re.Pattern[str]]]:
    patterns = {code: [(name, re.compile(src), neg) for name, src, neg in rules]
                for code, rules in PATTERNS.items()}
    vetoes = {code: re.compile(src) for code, src in VETOES.items()}
    return patterns, vetoes


def _negated(text: str, start: int) -> bool:
    # a negator in the three words before the match ("you're not brave" is no praise)
    before = " ".join(text[:start].split()[-3:])
    return bool(_NEGATORS.search(before))


def is_minimal(text: str) -> bool:
    """A turn of at most six words, all of them non-committal ("Um, I dunno. Whatever.")."""
    words = _WORDS.findall(normalise(text))
    return 0 < len(words) <= 6 and all(w in _MINIMAL for w in words)


def question_kind(previous: str) -> str:
    """``open`` (an invitation to talk or a reflection), ``factual``, ``other`` or ``none``."""
    prev = normalise(previous)
    if not prev:
        return "none"
    last = re.split(r"(?<=[.!?])\s+", prev)[-1]
    # "so, which...", "and how..." ask the same as "which...", "how..."
    last = re.sub(r"^(so|and|okay|ok|right|well|but|now)\b,? ", "", last)
    if _FACTUAL.search(last) and not last.startswith(("how did", "how do", "how are")):
        return "factual"
    if _OPEN.search(last) or _OPEN.search(prev) or last.endswith("?"):
        return "open"
    return "other"


def _withdrawal_context(text: str, previous: str) -> list[RuleHit]:
    norm = normalise(text)
    kind = question_kind(previous)
    hits = []
    if is_minimal(text) and kind != "factual":
        if any(w in _NONCOMMITTAL for w in _WORDS.findall(norm)):
            name = "minimal_after_open" if kind == "open" else "minimal"
            hits.append(RuleHit("withdrawal", f"withdrawal.{name}", norm))
        elif _WH_OPEN.search(re.split(r"(?<=[.!?])\s+", normalise(previous))[-1]):
            # "Fine." to "How have things been?"; a bare "Yeah." after a reflection or a
            # yes/no question is ordinary agreement, not withdrawal
            hits.append(RuleHit("withdrawal", "withdrawal.bare_after_question", norm))
    if kind == "open" and _TOPIC_SHIFT.search(norm):
        hits.append(RuleHit("withdrawal", "withdrawal.topic_shift", norm))
    return hits


@lru_cache(maxsize=2)
def _any_pattern(role: str) -> re.Pattern[str]:
    # every phrase of the role's codes in one alternation: where it finds nothing, no
    # single phrase can match either, so most turns skip the per-code loop (same hits)
    codes = THERAPIST_CODES if role == "therapist" else CLIENT_CODES
    return re.compile("|".join(f"(?:{src})" for code in codes
                               for _, src, _ in PATTERNS.get(code, ())))


def rule_hits(text: str, previous: str, role: str) -> list[RuleHit]:
    """Every rule of ``role``'s codes that fires on ``text`` (answering ``previous``)."""
    return list(_rule_hits(text, previous, role))


@lru_cache(maxsize=4096)
def _rule_hits(text: str, previous: str, role: str) -> tuple[RuleHit, ...]:
    # cached: a coded turn's hits are read again for its evidence
    norm = normalise(text)
    hits = phrase_hits(norm, role) if _any_pattern(role).search(norm) else []
    if role == "client":
        hits.extend(_withdrawal_context(text, previous))
    return tuple(hits)


def phrase_hits(norm: str, role: str) -> list[RuleHit]:
    """The phrase rules of ``role``'s codes that fire on the normalised turn ``norm``."""
    codes = THERAPIST_CODES if role == "therapist" else CLIENT_CODES
    patterns, vetoes = _compiled()
    hits: list[RuleHit] = []
    for code in codes:
        veto = vetoes.get(code)
        if veto is not None and veto.search(norm):
            continue
        for name, pattern, negatable in patterns.get(code, ()):
            for match in pattern.finditer(norm):
                if negatable and _negated(norm, match.start()):
                    continue
                hits.append(RuleHit(code, f"{code}.{name}", match.group(0).strip(" .,")))
                break
    return hits


def rule_names(role: str) -> tuple[str, ...]:
    """All rule names of ``role``, in a fixed order (the rule feature columns)."""
    codes = THERAPIST_CODES if role == "therapist" else CLIENT_CODES
    names = [f"{code}.{name}" for code in codes for name, _, _ in PATTERNS.get(code, ())]
    if role == "client":
        names += ["withdrawal.minimal_after_open", "withdrawal.minimal",
                  "withdrawal.bare_after_question", "withdrawal.topic_shift"]
    return tuple(names)
