"""The one place that maps old code and moment names to the current ones.

Stored analyses, corrections and code tables outlive the names they were written with.
Everything that reads them back asks here, so a rename never orphans data: add a line
``old: new`` when a name changes, and never remove one.
"""

from __future__ import annotations

from rapport.coding.relationship.codes import LEGACY_NAMES

#: Code (family or multi-label code) names: ``old -> current``.
CODE_RENAMES: dict[str, str] = {
    # the relationship coder moved to the real-talk codebook's names (issue 22)
    **LEGACY_NAMES,
}

#: Moment kinds of the profile: ``old -> current``.
MOMENT_RENAMES: dict[str, str] = {"advice_without_permission": "persuade"}


def current_code_name(name: str) -> str:
    """The current name of a code that may have been stored under an older one."""
    seen = {name}
    while name in CODE_RENAMES:  # follow chains (a -> b -> c), never loop
        name = CODE_RENAMES[name]
        if name in seen:
            break
        seen.add(name)
    return name


def current_moment_kind(kind: str) -> str:
    return MOMENT_RENAMES.get(kind, kind)


def current_column(column: str) -> str:
    """A code-table column under its current name (``code_affirmation`` ->
    ``code_affirm``, ``..._confidence`` likewise)."""
    suffix = "_confidence" if column.endswith("_confidence") else ""
    base = column.removesuffix(suffix)
    prefix = "code_" if base.startswith("code_") else ""
    return f"{prefix}{current_code_name(base.removeprefix(prefix))}{suffix}"
