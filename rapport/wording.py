"""Small pieces of English every face shares: counts with the right plural.

>>> plural(1, "session"), plural(3, "session"), plural(2, "analysis", "analyses")
('1 session', '3 sessions', '2 analyses')
"""

from __future__ import annotations


def plural(n: int | float, one: str, many: str | None = None) -> str:
    """``n`` and the noun, singular only for exactly one."""
    shown = str(n) if isinstance(n, int) else f"{n:g}"
    return f"{shown} {one if n == 1 else many or one + 's'}"
