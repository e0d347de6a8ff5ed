"""Small AnnoMI slices and a tiny trained coder shared by the coding tests (fit once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from rapport.coding.utterance.data import load_annomi
from rapport.coding.utterance.model import UtteranceCoder
from rapport.coding.utterance.training import training_frames

if TYPE_CHECKING:
    import pandas as pd


@pytest.fixture(scope="session")
def annomi() -> pd.DataFrame:
    return load_annomi()


@pytest.fixture(scope="session")
def small_frames(annomi: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About 900 utterances from 15 transcripts: enough for every family's labels."""
    ids = sorted(annomi["transcript_id"].unique())[:15]
    return training_frames(annomi[annomi["transcript_id"].isin(ids)])


def _tiny() -> UtteranceCoder:
    return UtteranceCoder(preset="fast", c_text=(0.1,), inner_folds=2)


@pytest.fixture(scope="session")
def tiny_coder() -> Callable[[], UtteranceCoder]:
    """A factory of small, quick coders (one C, two inner folds)."""
    return _tiny


@pytest.fixture(scope="session")
def fitted(small_frames: tuple[pd.DataFrame, pd.DataFrame]) -> UtteranceCoder:
    x, y = small_frames
    return _tiny().fit(x, y)
