"""Vocal entrainment between therapist and client, turn by turn.

Following Levitan & Hirschberg (2011), as implemented by Weise & Levitan, each exchange
pairs a turn ``u`` with the partner's turn ``p`` just before it. Features are z-scored per
speaker (a low and a high voice can then be compared). For each feature:

* **synchrony** — Pearson r of f(u) with f(p) over the exchanges, with a permutation p
  (pairings shuffled);
* **proximity** — how much closer u is to the partner's previous turn than to the
  partner's other turns: ``mean(-|f(u)-f(p)|)`` vs ``mean(-|f(u)-f(x)|)``, paired
  permutation (sign-flip) test;
* **convergence** — Pearson r of the adjacent similarity ``-|f(u)-f(p)|``, in the
  feature's own units, with time (r > 0: the two become more alike over the session).

The names are neutral on purpose: studies disagree on whether more vocal synchrony goes
with a better or a worse relationship (Imel 2014; a failed replication 2019; Reich 2014).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from rapport.domain import Role
from rapport.nonverbal.prosody import TurnProsody

#: Features compared between speakers: (name, attribute of TurnProsody).
FEATURES = (("pitch", "f0_median_st"), ("intensity", "intensity_db"),
            ("rate", "articulation_rate"))
#: Fewer exchanges than this give no estimate (r is meaningless on a handful of pairs).
MIN_EXCHANGES = 8


class FeatureEntrainment(BaseModel):
    feature: str
    exchanges: int
    synchrony_r: float | None = Field(description="r of each turn with the partner's "
                                      "previous turn (speaker z-scores).")
    synchrony_p: float | None = Field(description="Two-sided permutation p of synchrony_r.")
    proximity_adjacent: float | None = Field(description="Mean -|difference| to the "
                                             "partner's previous turn (z units).")
    proximity_other: float | None = Field(description="Mean -|difference| to the partner's "
                                          "other turns (z units).")
    proximity_p: float | None = Field(description="Paired sign-flip permutation p, "
                                      "adjacent vs other.")
    convergence_r: float | None = Field(description="r of adjacent similarity (feature "
                                        "units) with time; > 0: becoming more alike.")
    distance_first_half: float | None = Field(
        default=None, description="|therapist mean - client mean| in the first half of the "
        "session (feature units): global convergence, compare with the second half.")
    distance_second_half: float | None = None
    convergence_p: float | None = Field(description="Two-sided permutation p of "
                                        "convergence_r (time order shuffled).")


def _zscore_by_speaker(turns: Sequence[TurnProsody], attr: str) -> dict[int, float]:
    """Position in ``turns`` -> feature z-scored within its speaker."""
    out: dict[int, float] = {}
    for speaker in {t.speaker for t in turns}:
        idx = [i for i, t in enumerate(turns)
               if t.speaker == speaker and getattr(t, attr) is not None]
        vals = np.array([getattr(turns[i], attr) for i in idx], dtype=float)
        if len(vals) < 3 or vals.std() == 0:
            continue
        z = (vals - vals.mean()) / vals.std(ddof=1)
        out.update(zip(idx, z.tolist(), strict=True))
    return out


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return math.nan
    return float(np.corrcoef(x, y)[0, 1])


def _permuted_r(x: np.ndarray, y: np.ndarray, n: int, rng: np.random.Generator
                ) -> np.ndarray:
    """Pearson r of x with ``n`` random re-pairings of y, all at once: shuffling y keeps
    its mean and SD, so r is the mean product of standardised values."""
    xs = (x - x.mean()) / x.std()
    ys = (y - y.mean()) / y.std()
    order = np.argsort(rng.random((n, len(y))), axis=1)
    return np.asarray(ys[order] @ xs / len(x))


def _two_sided(value: float, null: np.ndarray) -> float:
    return (1 + int(np.sum(np.abs(null) >= abs(value) - 1e-12))) / (1 + len(null))


def _sign_flip_p(diff: np.ndarray, n: int, rng: np.random.Generator) -> float:
    """Paired permutation test of mean(diff) = 0 by random sign flips."""
    signs = rng.choice((-1.0, 1.0), size=(n, len(diff)))
    return _two_sided(float(diff.mean()), signs @ diff / len(diff))


def entrainment(turns: Sequence[TurnProsody], *, permutations: int = 2000,
                seed: int = 0) -> list[FeatureEntrainment]:
    """Entrainment measures per feature between therapist and client turns (time order)."""
    floor = sorted((t for t in turns if t.role in (Role.THERAPIST, Role.CLIENT)),
                   key=lambda t: t.start)
    rng = np.random.default_rng(seed)
    out = []
    for name, attr in FEATURES:
        z = _zscore_by_speaker(floor, attr)
        pairs = [(i - 1, i) for i in range(1, len(floor))
                 if floor[i].speaker != floor[i - 1].speaker and i in z and i - 1 in z]
        res = FeatureEntrainment(feature=name, exchanges=len(pairs), synchrony_r=None,
                                 synchrony_p=None, proximity_adjacent=None,
                                 proximity_other=None, proximity_p=None, convergence_r=None,
                                 convergence_p=None)
        if len(pairs) < MIN_EXCHANGES:
            out.append(res)
            continue
        fp = np.array([z[p] for p, _ in pairs])
        fu = np.array([z[u] for _, u in pairs])
        r = _pearson(fu, fp)
        if not math.isnan(r):
            res.synchrony_r = r
            res.synchrony_p = _two_sided(r, _permuted_r(fu, fp, permutations, rng))
        sim_adj = -np.abs(fu - fp)
        sim_other = np.array([
            np.mean([-abs(z[u] - z[x]) for x in z
                     if floor[x].speaker != floor[u].speaker and x != p] or [np.nan])
            for p, u in pairs])
        ok = ~np.isnan(sim_other)
        if ok.sum() >= 3:
            res.proximity_adjacent = float(sim_adj[ok].mean())
            res.proximity_other = float(sim_other[ok].mean())
            res.proximity_p = _sign_flip_p(sim_adj[ok] - sim_other[ok], permutations, rng)
        # convergence in the feature's own units: z-scores would hide a drift in level
        raw_sim = -np.abs(np.array([getattr(floor[u], attr) - getattr(floor[p], attr)
                                    for p, u in pairs], dtype=float))
        starts = np.array([floor[u].start for _, u in pairs])
        conv = _pearson(raw_sim, starts)
        if not math.isnan(conv):
            res.convergence_r = conv
            res.convergence_p = _two_sided(conv, _permuted_r(raw_sim, starts, permutations, rng))
        res.distance_first_half, res.distance_second_half = _half_distances(floor, attr)
        out.append(res)
    return out


def _half_distances(floor: Sequence[TurnProsody], attr: str
                    ) -> tuple[float | None, float | None]:
    """|mean(therapist) - mean(client)| of a feature in each half of the session."""
    if not floor:
        return None, None
    middle = (floor[0].start + max(t.end for t in floor)) / 2
    out: list[float | None] = []
    for first in (True, False):
        means = []
        for role in (Role.THERAPIST, Role.CLIENT):
            vals = [getattr(t, attr) for t in floor if t.role == role
                    and getattr(t, attr) is not None and (t.start < middle) == first]
            means.append(float(np.mean(vals)) if vals else None)
        out.append(None if None in means else abs(means[0] - means[1]))  # type: ignore[operator]
    return out[0], out[1]
