"""Movement synchrony of one session: MEA -> smoothing -> WCC -> surrogate test.

s1 is the client and s2 the therapist (rMEA's convention), so a positive best lag means
the therapist follows the client and a negative one that the client follows the therapist.
Synchrony is a descriptive process measure: studies link both high and low values to good
and poor outcomes (see docs/nonverbal.md), so nothing here calls it good or bad.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from rapport.errors import RapportInputError
from rapport.nonverbal.motion import (
    MotionEnergy,
    Roi,
    default_rois,
    motion_energy,
    open_video,
    smooth_rmea,
)
from rapport.nonverbal.motion import smooth as smooth_series
from rapport.nonverbal.surrogates import Method, SurrogateTest, surrogate_test
from rapport.nonverbal.susy import SusyResult, susy
from rapport.nonverbal.wcc import WccSummary, wcc


class MovementParams(BaseModel):
    """Analysis settings, stored with every result. Defaults: rMEA README preset."""

    lag_s: float = Field(default=5.0, gt=0)
    window_s: float = Field(default=30.0, gt=0)
    increment_s: float = Field(default=10.0, gt=0)
    fisher_z: bool = True
    absolute: bool = True
    smooth_s: float = Field(default=0.5, ge=0)
    smooth_mode: Literal["centred", "rmea"] = Field(
        default="centred", description="'rmea' reproduces MEAsmooth's quirks (for parity).")
    threshold: int | None = Field(default=None, description="None: estimated from noise.")
    surrogates: int = Field(default=200, ge=0)
    segment_s: float = Field(default=30.0, gt=0)
    surrogate_method: Method = "segment_shuffle"
    seed: int = 0
    client_side: str = "left"
    downscale: float = Field(default=1.0, gt=0, le=1)


class WindowSynchrony(BaseModel):
    start_s: float
    end_s: float
    synchrony: float | None = Field(description="Mean over lags (rMEA all_lags).")
    best_lag_s: float | None
    client_leads: float | None = Field(description="Mean over positive lags (s1_lead).")
    therapist_leads: float | None = Field(description="Mean over negative lags (s2_lead).")


class MovementResult(BaseModel):
    fps: float
    frames: int
    duration_s: float
    threshold: int
    artefact_frames: int
    client_moving_share: float = Field(description="Frames with any changed pixel (rMEA "
                                       "s1Perc; includes sensor noise).")
    therapist_moving_share: float
    client_active_share: float = Field(description="Frames where > 0.1 % of the region "
                                       "changed: visible movement.")
    therapist_active_share: float
    params: MovementParams
    client_motion: list[float | None] = Field(
        default_factory=list, description="Mean share of the client's region that changed, "
        "per second of video (motion energy, even when synchrony cannot be computed).")
    therapist_motion: list[float | None] = Field(default_factory=list)
    summary: WccSummary | None = None
    lag_profile: list[tuple[float, float | None]] = Field(default_factory=list)
    windows: list[WindowSynchrony] = Field(default_factory=list)
    test: SurrogateTest | None = None
    susy: SusyResult | None = Field(default=None, description="SUSY-style effect size "
                                    "(segments of segment_s, lags up to lag_s).")
    warnings: list[str] = Field(default_factory=list)


def _opt(v: float) -> float | None:
    return None if math.isnan(v) else float(v)


def per_second(me: MotionEnergy, name: str) -> list[float | None]:
    """Mean changed share of a region per second of video (missing frames skipped)."""
    frac = me.frac(name)
    second = np.floor((np.arange(me.n) + 1) / me.fps).astype(int)
    ok = ~np.isnan(frac)
    total = np.bincount(second[ok], weights=frac[ok], minlength=second.max(initial=0) + 1)
    count = np.bincount(second[ok], minlength=len(total))
    return [round(float(t / c), 6) if c else None for t, c in zip(total, count, strict=True)]


def drop_outliers(a: np.ndarray, b: np.ndarray, k: float = 10.0
                  ) -> tuple[np.ndarray, np.ndarray, int]:
    """rMEA's outlier rule: values above ``k`` SDs of both series pooled become missing."""
    pooled = np.concatenate((a, b))
    pooled = pooled[~np.isnan(pooled)]
    if len(pooled) < 2:
        return a, b, 0
    limit = k * float(np.std(pooled, ddof=1))
    bad_a, bad_b = a > limit, b > limit
    if limit <= 0 or not (bad_a.any() or bad_b.any()):
        return a, b, 0
    return (np.where(bad_a, np.nan, a), np.where(bad_b, np.nan, b),
            int(bad_a.sum() + bad_b.sum()))


def movement_synchrony(me: MotionEnergy, params: MovementParams) -> MovementResult:
    """WCC and surrogate test on motion energy that has a client and a therapist series."""
    result = MovementResult(
        fps=me.fps, frames=me.n + 1, duration_s=me.n / me.fps, threshold=me.threshold,
        artefact_frames=me.artefact_frames,
        client_moving_share=me.moving_share("client"),
        therapist_moving_share=me.moving_share("therapist"),
        client_active_share=me.active_share("client"),
        therapist_active_share=me.active_share("therapist"), params=params,
        client_motion=per_second(me, "client") if me.n else [],
        therapist_motion=per_second(me, "therapist") if me.n else [],
        warnings=list(me.warnings))
    if any("almost no movement" in w for w in me.warnings):
        return result
    raw1, raw2, outliers = drop_outliers(me.raw["client"], me.raw["therapist"])
    if outliers:
        result.warnings.append(f"{outliers} frames with motion above 10 SD (a cut, zoom or "
                               "flash?) were left out")
    smoother = smooth_rmea if params.smooth_mode == "rmea" else smooth_series
    s1 = smoother(raw1, me.fps, params.smooth_s)
    s2 = smoother(raw2, me.fps, params.smooth_s)
    kw = {"sr": me.fps, "lag_s": params.lag_s, "win_s": params.window_s,
          "inc_s": params.increment_s, "r2z": params.fisher_z, "absval": params.absolute}
    try:
        res = wcc(s1, s2, **kw)  # type: ignore[arg-type]
    except RapportInputError as exc:  # too short for the window: report, do not abort
        result.warnings.append(f"movement synchrony not computed: {exc.what}")
        return result
    best, s1_lead, s2_lead = res.window_best_lag_s(), res.lead(True), res.lead(False)
    result.summary = res.summary
    profile = np.nanmean(np.where(np.isnan(res.matrix), np.nan, res.matrix), axis=0) \
        if np.any(~np.isnan(res.matrix)) else np.full(len(res.lags_s), np.nan)
    result.lag_profile = [(float(lag), _opt(v)) for lag, v in zip(res.lags_s, profile,
                                                                   strict=True)]
    result.windows = [
        WindowSynchrony(start_s=float(a), end_s=float(b), synchrony=_opt(v),
                        best_lag_s=_opt(bl), client_leads=_opt(c), therapist_leads=_opt(t))
        for a, b, v, bl, c, t in zip(res.win_start_s, res.win_end_s, res.per_window, best,
                                     s1_lead, s2_lead, strict=True)]
    try:
        result.susy = susy(s1, s2, sr=me.fps, segment_s=params.segment_s,
                           max_lag_s=params.lag_s)
    except RapportInputError as exc:
        result.warnings.append(f"no SUSY effect size: {exc.what}")
    if params.surrogates:
        try:
            result.test = surrogate_test(
                s1, s2, **kw, n=params.surrogates,  # type: ignore[arg-type]
                segment_s=params.segment_s, method=params.surrogate_method, seed=params.seed)
        except RapportInputError as exc:
            result.warnings.append(f"no surrogate test: {exc.what}")
    return result


def analyse_video(path: Path, params: MovementParams | None = None, *,
                  rois: dict[str, Roi] | None = None, background: Roi | None = None,
                  progress: Callable[[int, int], None] | None = None) -> MovementResult:
    """Open a video, extract motion energy (streaming) and measure synchrony.

    ``rois`` needs ``client`` and ``therapist`` rectangles; by default the frame is split in
    half with the client on ``params.client_side``. ``progress(frame, total)`` is called as
    frames are read.
    """
    params = params or MovementParams()
    info, frames = open_video(path, downscale=params.downscale)
    regions = rois or default_rois(info.width, info.height, params.client_side)
    me = motion_energy(frames, fps=info.fps, rois=regions,
                       threshold="auto" if params.threshold is None else params.threshold,
                       background=background,
                       progress=None if progress is None else
                       (lambda i: progress(i, info.frames)))
    return movement_synchrony(me, params)
