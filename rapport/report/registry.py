"""The one place where report sections are registered, in report order.

To add a section, write a :class:`~rapport.report.section.ReportSection` subclass in your
own box and add one line here. Sections are imported lazily, so a section whose extra is
not installed (nonverbal, say) is skipped with a note instead of breaking the report.
"""

from __future__ import annotations

import importlib
import logging

from rapport.report.section import ReportSection

log = logging.getLogger(__name__)

#: ``"module:Class"`` of every section, in the order they are computed and shown.
SECTIONS: tuple[str, ...] = (
    "rapport.profile.turn_taking:TurnTakingSection",
    "rapport.nonverbal.section:NonverbalSection",
    "rapport.profile.section:ProfileSection",
)


def load_sections() -> list[ReportSection]:
    """Instantiate every registered section whose dependencies are installed."""
    sections = []
    for target in SECTIONS:
        module_name, class_name = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # an optional extra is missing
            log.info("report section %s skipped: %s", target, exc)
            continue
        sections.append(getattr(module, class_name)())
    return sections
