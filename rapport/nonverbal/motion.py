"""Motion energy analysis (MEA): how much each person moves, frame by frame.

For every frame and every region of interest (ROI) we count the pixels whose grey level
changed by more than a noise threshold since the previous frame, as the original MEA
program does. Frames are streamed: only the previous frame is kept, so memory does not
grow with the video's length. By convention s1 is the client and s2 the therapist (the
rMEA examples use ``s1Name="Patient"``), so a positive lag later means the therapist
follows the client.

>>> import numpy as np
>>> still = [np.full((9, 16), 100, np.uint8)] * 5
>>> me = motion_energy(iter(still), fps=5, rois=default_rois(16, 9), threshold=8)
>>> me.raw["client"].tolist()
[0.0, 0.0, 0.0, 0.0]
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rapport.errors import RapportInputError

#: Frames used to estimate the sensor noise when the threshold is "auto".
CALIBRATION_FRAMES = 25
#: A frame whose background region changes more than this share is a lighting/camera artefact.
ARTEFACT_SHARE = 0.2
#: A person moving in fewer than this share of frames is probably not in their region.
MIN_MOVING_SHARE = 0.01
#: "Moving" for that check: more than this share of the region's pixels changed.
ACTIVE_FRAC = 0.001


@dataclass(frozen=True)
class Roi:
    """A rectangle in pixels of the analysed (possibly downscaled) frame."""

    x: int
    y: int
    w: int
    h: int

    @property
    def area(self) -> int:
        return self.w * self.h

    def clip(self, width: int, height: int) -> Roi:
        x, y = max(0, min(self.x, width)), max(0, min(self.y, height))
        return Roi(x, y, max(0, min(self.w, width - x)), max(0, min(self.h, height - y)))

    @classmethod
    def parse(cls, text: str) -> Roi:
        """``"x,y,w,h"`` in pixels, as typed on the command line."""
        try:
            x, y, w, h = (int(v) for v in text.split(","))
        except ValueError:
            raise RapportInputError(f"region {text!r} is not x,y,w,h", fix="give four whole "
                                    "numbers in pixels, e.g. 0,0,320,360") from None
        if w <= 0 or h <= 0 or x < 0 or y < 0:
            raise RapportInputError(f"region {text!r} is empty or off the frame",
                                    fix="use a positive width and height inside the frame")
        return cls(x, y, w, h)


def default_rois(width: int, height: int, client_side: str = "left") -> dict[str, Roi]:
    """Split the frame in half: the client on ``client_side``, the therapist on the other."""
    left, right = Roi(0, 0, width // 2, height), Roi(width // 2, 0, width - width // 2, height)
    if client_side not in ("left", "right"):
        raise RapportInputError(f"client side {client_side!r} is neither left nor right",
                                fix="use left or right")
    return {"client": left, "therapist": right} if client_side == "left" else {
        "client": right, "therapist": left}


@dataclass
class MotionEnergy:
    """Per-frame motion energy per ROI; ``times[t]`` belongs to the change t-1 -> t."""

    fps: float
    threshold: int
    raw: dict[str, np.ndarray]
    area: dict[str, int]
    artefact_frames: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(next(iter(self.raw.values()))) if self.raw else 0

    @property
    def times(self) -> np.ndarray:
        return np.arange(1, self.n + 1) / self.fps

    def frac(self, name: str) -> np.ndarray:
        return self.raw[name] / max(1, self.area[name])

    def moving_share(self, name: str) -> float:
        """Share of frames with any movement (rMEA prints it as s1Perc/s2Perc)."""
        values = self.raw[name]
        valid = values[~np.isnan(values)]
        return float(np.mean(valid > 0)) if len(valid) else 0.0

    def active_share(self, name: str, min_frac: float = ACTIVE_FRAC) -> float:
        """Share of frames where more than ``min_frac`` of the region changed; unlike
        :meth:`moving_share` this ignores the odd pixel of sensor noise."""
        values = self.raw[name]
        valid = values[~np.isnan(values)]
        limit = min_frac * max(1, self.area[name])
        return float(np.mean(valid > limit)) if len(valid) else 0.0

    def to_frame(self) -> object:
        """A pandas DataFrame indexed by time with ``{roi}_raw`` and ``{roi}_frac`` columns."""
        import pandas as pd

        cols: dict[str, np.ndarray] = {}
        for name in self.raw:
            cols[f"{name}_raw"] = self.raw[name]
            cols[f"{name}_frac"] = self.frac(name)
        frame = pd.DataFrame(cols, index=pd.Index(self.times, name="time_s"))
        frame.attrs.update(fps=self.fps, threshold=self.threshold)
        return frame


def _noise_sigma(diff: np.ndarray) -> float:
    """Robust noise SD of a frame difference: 1.4826 * median(|d|)."""
    return 1.4826 * float(np.median(diff))


def motion_energy(frames: Iterable[np.ndarray], *, fps: float, rois: dict[str, Roi],
                  threshold: int | str = "auto", background: Roi | None = None,
                  progress: Callable[[int], None] | None = None) -> MotionEnergy:
    """Stream frames (grey or BGR uint8) and count changed pixels per ROI.

    With ``threshold="auto"`` the sensor noise is estimated on the first
    :data:`CALIBRATION_FRAMES` differences (in ``background`` if given, else the whole
    frame; the lower quartile over frames, so a burst of movement does not inflate it) and
    ``thr = max(8, round(4 * sigma))``. Those early frames are kept only as 256-bin
    histograms per ROI, never as images.
    """
    import cv2

    counter: _Counter | None = None
    for i, frame in enumerate(frames):
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if counter is None:
            h, w = gray.shape
            counter = _Counter([rois[n].clip(w, h) for n in rois],
                               background.clip(w, h) if background else None,
                               None if threshold == "auto" else int(threshold))
        else:
            counter.add(cv2.absdiff(gray, counter.prev))
        counter.prev = gray
        if progress is not None:
            progress(i)
    if counter is None:
        raise RapportInputError("the video has no frames", fix="check the file plays in a "
                                "video player; re-export it as MP4 (mp4v/H.264) or MJPG AVI")
    thr = counter.finish()
    names = list(rois)
    data = np.frombuffer(counter.counts, dtype=float).reshape(-1, len(names)).copy()
    me = MotionEnergy(fps=fps, threshold=thr, raw={n: data[:, k] for k, n in enumerate(names)},
                      area={n: b.area for n, b in zip(names, counter.boxes, strict=True)},
                      artefact_frames=counter.artefacts)
    for name in names:
        if me.n and me.active_share(name) < MIN_MOVING_SHARE:
            me.warnings.append(f"almost no movement in the {name} region: is a person visible "
                               "there? Movement synchrony was not computed.")
    if counter.artefacts:
        me.warnings.append(f"{counter.artefacts} frames changed across the background region "
                           "(lighting or camera) and were left out")
    return me


class _Counter:
    """Counts changed pixels per ROI; holds only the previous frame and, while the noise
    threshold is being estimated, 256-bin histograms of the first differences."""

    def __init__(self, boxes: list[Roi], bg: Roi | None, thr: int | None) -> None:
        self.boxes, self.bg, self.thr = boxes, bg if bg and bg.area else None, thr
        self.prev: np.ndarray = np.zeros(0, dtype=np.uint8)
        self.counts = array("d")  # 8 bytes per region and frame: the only growing state
        self.pending: list[list[np.ndarray]] = []
        self.sigmas: list[float] = []
        self.artefacts = 0

    def _regions(self, img: np.ndarray) -> list[np.ndarray]:
        boxes = self.boxes + ([self.bg] if self.bg else [])
        return [img[b.y:b.y + b.h, b.x:b.x + b.w] for b in boxes]

    def _append(self, row: list[float]) -> None:
        if self.bg is not None:  # last entry: changed pixels in the background region
            if row[-1] / self.bg.area > ARTEFACT_SHARE:
                row, self.artefacts = [math.nan] * len(row), self.artefacts + 1
            row = row[:-1]
        self.counts.extend(row)

    def add(self, diff: np.ndarray) -> None:
        import cv2

        if self.thr is None:  # still calibrating
            regions = self._regions(diff)
            self.sigmas.append(_noise_sigma(regions[-1] if self.bg else diff))
            self.pending.append([np.bincount(r.ravel(), minlength=256) for r in regions])
            if len(self.pending) == CALIBRATION_FRAMES:
                self.finish()
            return
        _, mask = cv2.threshold(diff, self.thr, 1, cv2.THRESH_BINARY)  # strictly greater
        self._append([float(cv2.countNonZero(r)) for r in self._regions(mask)])

    def finish(self) -> int:
        """Fix the threshold (if still open) and count the calibration frames."""
        if self.thr is None:
            self.thr = _auto_threshold(self.sigmas)
        for hists in self.pending:
            self._append([float(h[self.thr + 1:].sum()) for h in hists])
        self.pending = []
        return self.thr


def _auto_threshold(sigmas: list[float]) -> int:
    """``max(8, round(4 * sigma))`` from the lower quartile of the per-frame noise SDs."""
    sigma = float(np.quantile(sigmas, 0.25)) if sigmas else 0.0
    return max(8, round(4 * sigma))


@dataclass
class VideoInfo:
    fps: float
    width: int
    height: int
    frames: int


def open_video(path: Path, *, downscale: float = 1.0) -> tuple[VideoInfo, Iterator[np.ndarray]]:
    """Open a video file and return its info and a lazy stream of grey frames."""
    import cv2

    if not path.is_file():
        raise RapportInputError("video file not found", where=str(path),
                                fix="check the file path (--video)", code="missing_media")
    cap = cv2.VideoCapture(str(path))
    ok, first = cap.read() if cap.isOpened() else (False, None)
    if not ok or first is None:
        cap.release()
        raise RapportInputError("cannot read this file as video", where=str(path),
                                fix="re-export it as MP4 or MJPG AVI (OpenCV/FFmpeg must "
                                "decode it)", code="unreadable_media")
    fps = float(cap.get(cv2.CAP_PROP_FPS)) or 25.0
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))

    def shrink(img: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        if downscale != 1.0:
            gray = cv2.resize(gray, None, fx=downscale, fy=downscale,
                              interpolation=cv2.INTER_AREA)
        return gray

    g0 = shrink(first)
    info = VideoInfo(fps=fps, width=g0.shape[1], height=g0.shape[0], frames=total)

    def stream() -> Iterator[np.ndarray]:
        try:
            yield g0
            while True:
                ok, img = cap.read()
                if not ok:
                    return
                yield shrink(img)
        finally:
            cap.release()

    return info, stream()


def smooth(x: np.ndarray, fps: float, window_s: float = 0.5) -> np.ndarray:
    """Centred moving average that ignores missing samples and keeps them missing.

    rMEA's ``MEAsmooth`` divides by a fractional window and zeroes the last samples; we
    deliberately use a clean centred mean instead (see docs/nonverbal.md).
    """
    n = max(1, round(window_s * fps))
    if n == 1:
        return x.copy()
    valid = ~np.isnan(x)
    kernel = np.ones(n)
    total = np.convolve(np.where(valid, x, 0.0), kernel, mode="same")
    count = np.convolve(valid.astype(float), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        out = total / count
    out[~valid] = np.nan
    return out


def smooth_rmea(x: np.ndarray, fps: float, window_s: float = 0.5) -> np.ndarray:
    """rMEA's ``MEAsmooth`` with its quirks, for comparisons with published rMEA results.

    With ``n = window_s * fps`` (12.5 at 25 fps), sample t (1-based) becomes the sum of
    ``x[trunc(t-(n-1)/2) : ... ]`` (R's ``lo:hi`` with fractional ends, lower end clamped
    to 1) divided by n, even where fewer samples were summed; a window that touches a
    missing sample or runs past the end gives 0; missing samples stay missing.
    """
    n = window_s * fps
    half = (n - 1) / 2
    size = len(x)
    out = np.empty(size)
    for t in range(1, size + 1):
        lo, hi = max(1.0, t - half), t + half
        idx = np.trunc(np.arange(lo, hi + 1e-9, 1.0)).astype(int)
        if idx.max() > size or np.isnan(x[idx - 1]).any():
            out[t - 1] = 0.0
        else:
            out[t - 1] = x[idx - 1].sum() / n
    out[np.isnan(x)] = np.nan
    return out
