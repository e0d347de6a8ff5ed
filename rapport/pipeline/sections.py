"""The one registry of report sections, in the order they are computed and shown.

Each box writes its section (a :class:`~rapport.report.section.ReportSection`) and adds
one line here; a loader imports its box only when the report is built, so a section whose
extra is not installed (nonverbal, say) is left out with a note instead of breaking the
report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapport.report.section import ReportSection

log = logging.getLogger(__name__)


def _risk() -> ReportSection[Any]:
    from rapport.risk.section import RiskSection

    return RiskSection()


def _turn_taking() -> ReportSection[Any]:
    from rapport.profile.turn_taking import TurnTakingSection

    return TurnTakingSection()


def _nonverbal() -> ReportSection[Any]:
    from rapport.nonverbal.section import NonverbalSection

    return NonverbalSection()


def _profile() -> ReportSection[Any]:
    from rapport.profile.section import ProfileSection

    return ProfileSection()


@dataclass(frozen=True)
class SectionSpec:
    name: str
    load: Callable[[], ReportSection[Any]]


#: Every section, in report order.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("risk", _risk),  # first in every view: safety before everything else
    SectionSpec("turn_taking", _turn_taking),
    SectionSpec("nonverbal", _nonverbal),
    SectionSpec("profile", _profile),
)


def load_sections() -> list[ReportSection[Any]]:
    """Every registered section whose dependencies are installed."""
    sections = []
    for spec in SECTIONS:
        try:
            sections.append(spec.load())
        except ImportError as exc:  # an optional extra is missing
            log.info("report section %s skipped: %s", spec.name, exc)
    return sections
