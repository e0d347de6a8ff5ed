"""The examples in docstrings are true (modules whose docstrings show one)."""

from __future__ import annotations

import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.wording import plural


@pytest.mark.parametrize("module", [
    "rapport.wording", "rapport.report.pdf", "rapport.profile.lexicon",
    "rapport.ingest.roles"])
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


@given(st.integers(min_value=0, max_value=10**9))
def test_only_one_is_singular(n: int) -> None:
    text = plural(n, "turn")
    assert text.startswith(f"{n} ") and text.endswith("turn" if n == 1 else "turns")
