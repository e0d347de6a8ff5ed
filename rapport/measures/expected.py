"""Expected-change curves fitted on the clinic's own data (docs/measures.md section 2.3).

A simple stand-in for the OQ system's mixed model: ordinary least squares on

    score = b0 + b1 * intake + (b2 + b3 * intake) * log(session)

over every administration after intake, with the residual SD as the spread. The residual
SD pools within- and between-client variation, so the band is wider (more conservative)
than a mixed model's tolerance interval. A client is flagged when a score lies more than
``z`` residual SDs on the worse side of the curve (z = 0.84 ~ one-sided 80 %,
z = 1.28 ~ 90 %). The model refuses to fit until ``min_clients`` clients have at least
two administrations each: curves from a handful of clients would flag at random.

The estimator follows the scikit-learn contract: keyword-only constructor, ``fit``
returns ``self``, learned state ends in ``_``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from rapport.errors import RapportInputError


def _design(intake: np.ndarray, session: np.ndarray) -> np.ndarray:
    log_s = np.log(session)
    return np.column_stack([np.ones_like(intake), intake, log_s, intake * log_s])


class ExpectedChangeModel:
    """Expected score by session given the intake score, with a residual-SD band."""

    def __init__(self, *, min_clients: int = 30, z: float = 1.28) -> None:
        self.min_clients = min_clients
        self.z = z

    def fit(self, trajectories: Mapping[str, Sequence[tuple[int, float]]]
            ) -> ExpectedChangeModel:
        """Fit on ``client -> [(session number, total), ...]``; the first point is intake."""
        intake_col: list[float] = []
        session_col: list[float] = []
        score_col: list[float] = []
        clients = 0
        for points in trajectories.values():
            ordered = sorted(points)
            if len(ordered) < 2:
                continue
            clients += 1
            first_session, intake = ordered[0]
            for session, total in ordered[1:]:
                # Sessions are counted from intake = 1, whatever the numbering.
                intake_col.append(intake)
                session_col.append(session - first_session + 1)
                score_col.append(total)
        if clients < self.min_clients:
            raise RapportInputError(
                f"only {clients} clients with two or more scores; the expected-change curve "
                f"needs {self.min_clients}", where="expected-change model",
                fix="use the fixed not-on-track rules until more clients have been seen",
                code="not_enough_data")
        x = _design(np.asarray(intake_col), np.asarray(session_col, dtype=float))
        y = np.asarray(score_col)
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        residuals = y - x @ coef
        dof = max(len(y) - x.shape[1], 1)
        self.coef_ = coef
        self.resid_sd_ = float(math.sqrt(float(residuals @ residuals) / dof))
        self.n_clients_ = clients
        self.n_scores_ = len(y)
        return self

    def predict(self, intake: float, session: int) -> float:
        """Expected total at ``session`` (intake = session 1) for a client with ``intake``."""
        x = _design(np.asarray([float(intake)]), np.asarray([float(session)]))
        return float((x @ self.coef_)[0])

    def band(self, intake: float, session: int) -> tuple[float, float]:
        """Expected total +/- z residual SDs."""
        centre = self.predict(intake, session)
        return centre - self.z * self.resid_sd_, centre + self.z * self.resid_sd_

    def off_track(self, intake: float, session: int, total: float, *,
                  higher_is_worse: bool = True) -> bool:
        """Whether ``total`` lies beyond the band on the worse side."""
        low, high = self.band(intake, session)
        return total > high if higher_is_worse else total < low
