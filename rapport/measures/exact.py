"""Exact arithmetic for scores: every total is compared with a cut-off as a fraction.

Answers are whole numbers or, on visual-analogue lines (ORS, SRS), multiples of 0.1.
Summed as binary floats they are not exact: ``0 + 6.6 + 9.7 + 8.7`` is
``24.999999999999996``, which is "below 25". So scoring adds answers as
:class:`fractions.Fraction` and every comparison with a cut-off, threshold or earlier score
goes through :func:`exact`.

A float that came from such a computation (a stored total, a mean over a few items) is
turned back into its fraction with ``limit_denominator``: totals have denominators of at
most 10 x the number of items, and two different fractions with denominators up to
``10**6`` differ by at least ``10**-12``, far more than a float's error on a score, so the
closest such fraction is the true value.

>>> exact(0.1 + 0.2) == exact(0.3)
True
>>> sum(exact(v) for v in (0, 6.6, 9.7, 8.7))
Fraction(25, 1)
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

#: The largest denominator a score can have (see the module docstring).
MAX_DENOMINATOR = 10**6


def exact(value: float | Fraction) -> Fraction:
    """The exact value behind a score, answer or published threshold."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return _of_float(value)


@lru_cache(maxsize=8192)
def _of_float(value: float) -> Fraction:
    # Scores repeat (a caseload compares the same totals with the same cut-offs many
    # times), and limit_denominator is the costly step: remember recent ones.
    return Fraction(value).limit_denominator(MAX_DENOMINATOR)
