"""The one registry of coders: which coders exist, which run by default, loaded once.

A coder is a :class:`~rapport.domain.SessionCoder`; its loader imports its box only when
it is first used, so ``rapport --help`` stays light and an import shows the dependency.
Adding a code family: write the coder in its box and add one :class:`CoderSpec` line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import get_args

from rapport.domain import CodeFamily, SessionCoder
from rapport.errors import RapportInputError
from rapport.settings import Preset


def _utterance(preset: str) -> SessionCoder:
    from rapport.coding.utterance import load_coder

    return load_coder(preset)


def _relationship(preset: str) -> SessionCoder:
    from rapport.coding.relationship import load_coder

    return load_coder(preset)


def _risk(preset: str) -> SessionCoder:
    from rapport.risk.coder import load_coder

    return load_coder(preset)


def _empathy(preset: str) -> SessionCoder:
    from rapport.coding.empathy import load_coder

    return load_coder(preset)


def _empathy_families() -> tuple[CodeFamily, ...]:
    from rapport.coding.empathy.codes import families

    return families()


def _risk_families() -> tuple[CodeFamily, ...]:
    from rapport.risk.codes import families

    return families()


def _utterance_families() -> tuple[CodeFamily, ...]:
    from rapport.coding.utterance.families import FAMILIES

    return FAMILIES


def _relationship_families() -> tuple[CodeFamily, ...]:
    from rapport.coding.relationship.codes import families

    return families()


@dataclass(frozen=True)
class CoderSpec:
    """One coder: its name (``--coders``), how to load it for a preset, what it codes."""

    name: str
    load: Callable[[str], SessionCoder]
    #: The families it fills, without loading the model (cheap; the same for all presets).
    families: Callable[[], tuple[CodeFamily, ...]]
    summary: str
    #: Runs when no ``--coders`` are given. Safety and feedback coders (risk, relationship,
    #: empathy) always do, whatever their cost.
    default: bool = True


#: Every coder, in the order their columns appear.
CODERS: tuple[CoderSpec, ...] = (
    CoderSpec("utterance", _utterance, _utterance_families, "therapist behaviour, question, "
              "reflection and input types, client talk"),
    CoderSpec("relationship", _relationship, _relationship_families,
              "trust-building and rupture codes"),
    CoderSpec("risk", _risk, _risk_families, "risk language in client turns (suicidal "
              "ideation and plans, self-harm, harm to others, abuse)"),
    # after relationship: with the `accurate` preset it reads the MiniLM embeddings the
    # relationship coder has already computed (`fast` embeds nothing)
    CoderSpec("empathy", _empathy, _empathy_families, "EPITOME empathy of therapist "
              "turns: emotional reactions, interpretations, explorations (0-2) and their sum"),
)

_cache: dict[tuple[str, str], SessionCoder] = {}


def coder_names(default_only: bool = False) -> tuple[str, ...]:
    return tuple(c.name for c in CODERS if c.default or not default_only)


def select(names: Sequence[str] | None = None) -> tuple[CoderSpec, ...]:
    """The coders named (all default coders when ``names`` is None), in registry order."""
    if names is None:
        return tuple(c for c in CODERS if c.default)
    known = {c.name for c in CODERS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise RapportInputError(f"unknown coder {unknown[0]!r}", where="--coders",
                                fix="use any of: " + ", ".join(sorted(known)),
                                code="bad_coder")
    return tuple(c for c in CODERS if c.name in names)


def load_coders(preset: str = "fast", names: Sequence[str] | None = None
                ) -> list[SessionCoder]:
    """Load (once per process) the selected coders for ``preset``.

    The preset is checked here, once, against the presets every analysis coder has, so a
    wrong one gets the same answer whichever coder would have met it first (the utterance
    coder also has ``live``, for typed practice replies only)."""
    if preset not in get_args(Preset):
        raise RapportInputError(f"unknown preset {preset!r}", where="--preset",
                                fix="use one of: " + ", ".join(get_args(Preset)),
                                code="bad_preset")
    out = []
    for spec in select(names):
        key = (spec.name, preset)
        if key not in _cache:
            _cache[key] = spec.load(preset)
        out.append(_cache[key])
    return out


def all_families(coders: Sequence[SessionCoder]) -> tuple[CodeFamily, ...]:
    return tuple(f for c in coders for f in c.families)


def known_families() -> dict[str, CodeFamily]:
    """Every family any registered coder declares, by name. Used where codes are read
    back without their coder (stored analyses, corrections)."""
    return {f.name: f for spec in CODERS for f in spec.families()}
