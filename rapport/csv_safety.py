"""CSV cells a spreadsheet will not run as formulas (OWASP's CSV-injection rule).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run
as a formula when the file is opened in a spreadsheet, so every CSV Rapport writes (the
``rapport code`` table, ``rapport export table``, every download) prefixes such a cell
with an apostrophe, which spreadsheets show as text. Plain numbers (``-0.5``, ``+3``,
``-1e-3``) are left alone: they are data, not formulas.

The rule is exactly reversible, so Rapport's own readers give back the original text: an
apostrophe is added only before a cell that, after its leading apostrophes, starts like a
formula, and one is removed from such a cell on reading.

>>> neutralise_cell("=HYPERLINK(\\"http://evil\\")")
'\\'=HYPERLINK("http://evil")'
>>> neutralise_cell("-0.5"), neutralise_cell("'=1")
('-0.5', "''=1")
>>> restore_cell(neutralise_cell("''@x"))
"''@x"
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _formula_like(text: str) -> bool:
    """Whether ``text``, past its leading apostrophes, starts like a formula."""
    rest = text.lstrip("'")
    return rest[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(rest)


def neutralise_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it as text (an apostrophe before a formula)."""
    return "'" + value if _formula_like(value) else value


def restore_cell(value: str) -> str:
    """The text :func:`neutralise_cell` was given."""
    return value[1:] if value[:1] == "'" and _formula_like(value) else value


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype)
            in ("string", "str")]


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised (numbers are untouched)."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(lambda v: neutralise_cell(v) if isinstance(v, str)
                                      else v)
    return out


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a frame read from a neutralised CSV, with the original text."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(lambda v: restore_cell(v) if isinstance(v, str) else v)
    return out
