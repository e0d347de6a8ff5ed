"""Speed and memory of the nonverbal box on long synthetic media; prints a table.

    .venv/bin/python benchmarks/nonverbal_speed.py            # 10 min video and audio
    .venv/bin/python benchmarks/nonverbal_speed.py --minutes 2  # a quick look

Goals (issue 10): 10 min of 640x360 25 fps video: motion energy + cross-correlation < 10 s,
200 surrogates < 15 s more; 10 min of 16 kHz audio: prosody < 10 s; peak memory flat in
video length. The test video is written once as mp4v (the OpenCV wheel has no H.264
encoder) into a temporary folder; its writing time is not part of any goal.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from rapport.domain import Role
from rapport.nonverbal.motion import default_rois, motion_energy, open_video, smooth
from rapport.nonverbal.prosody import Segment, prosody
from rapport.nonverbal.surrogates import surrogate_test
from rapport.nonverbal.synthetic import (
    BlobVideoSpec,
    SpeechSpec,
    coupled_blob_frames,
    harmonic_dialogue,
    write_video,
)
from rapport.nonverbal.wcc import wcc

WCC = {"lag_s": 5.0, "win_s": 30.0, "inc_s": 10.0}  # rMEA README preset


def _spec(minutes: float) -> BlobVideoSpec:
    return BlobVideoSpec(seconds=minutes * 60, fps=25, width=640, height=360, seed=1,
                         noise_frames=50)


class _Clock:
    """Wall and CPU seconds since the last lap (CPU time is less sensitive to other jobs)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        out = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return out


def _fmt(t: tuple[float, float]) -> str:
    return f"{t[0]:.2f} s wall, {t[1]:.2f} s CPU"


def _peak_kib_streaming(minutes: float) -> float:
    """Peak Python/numpy allocation while streaming ``minutes`` of frames through MEA."""
    spec = BlobVideoSpec(seconds=minutes * 60, fps=25, width=640, height=360, seed=1,
                         noise_frames=2)  # a small noise bank: measure MEA, not the generator
    tracemalloc.start()
    motion_energy(coupled_blob_frames(spec), fps=spec.fps, rois=default_rois(640, 360))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--surrogates", type=int, default=200)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.mp4"
        t0 = time.perf_counter()
        write_video(path, coupled_blob_frames(_spec(args.minutes)), 25, "mp4v")
        rows.append(("write test video (mp4v, not timed goal)",
                     f"{args.minutes:g} min 640x360 25 fps", f"{time.perf_counter() - t0:.1f} s"))

        clock = _Clock()
        info, frames = open_video(path)
        me = motion_energy(frames, fps=info.fps, rois=default_rois(info.width, info.height))
        t_mea = clock.lap()
        s1, s2 = smooth(me.raw["client"], me.fps), smooth(me.raw["therapist"], me.fps)
        res = wcc(s1, s2, sr=me.fps, **WCC)
        t_wcc = clock.lap()
        rows.append(("MEA: decode + grey + diff + threshold + 2 ROIs",
                     f"{me.n + 1} frames", _fmt(t_mea)))
        rows.append(("WCC lag 5 / win 30 / inc 10 s", f"{len(res.matrix)} windows",
                     _fmt(t_wcc)))
        rows.append(("  MEA + WCC (goal < 10 s)", "",
                     _fmt((t_mea[0] + t_wcc[0], t_mea[1] + t_wcc[1]))))
        test = surrogate_test(s1, s2, sr=me.fps, lag_s=5, win_s=30, inc_s=10,
                              n=args.surrogates, segment_s=min(30.0, args.minutes * 15))
        rows.append((f"{args.surrogates} segment-shuffle surrogates (goal < 15 s)",
                     f"ES {test.effect_size:.1f}, p {test.p_value:.3f}", _fmt(clock.lap())))
        rows.append(("recovered best lag (planted +1.0 s)", "",
                     f"{res.summary.best_lag_s:+.2f} s"))

    audio, turns = harmonic_dialogue(SpeechSpec(turns=int(args.minutes * 12), seed=2))
    mono = audio.mean(axis=1, keepdims=True)
    role = {"Therapist": Role.THERAPIST, "Client": Role.CLIENT}
    segs = [Segment(t.speaker, role[t.speaker], t.start, t.end, i) for i, t in enumerate(turns)]
    clock = _Clock()
    pros = prosody(mono, 16000, segs)
    rows.append(("prosody (2-pass pitch, intensity, nuclei), mono 16 kHz (goal < 10 s)",
                 f"{len(audio) / 16000 / 60:.1f} min, {len(pros.turns)} turns",
                 _fmt(clock.lap())))

    rows.extend(("peak numpy/Python memory while streaming MEA", f"{minutes:g} min 640x360",
                 f"{_peak_kib_streaming(minutes):,.0f} KiB")
                for minutes in (args.minutes / 10, args.minutes / 2.5))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("process max RSS", "", f"{rss:,.0f} MiB"))
    load = os.getloadavg()
    width = max(len(r[0]) for r in rows)
    print(f"nonverbal speed ({os.cpu_count()} CPUs, load average {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f})")
    print(f"{'task':<{width}}  {'data':<26} result (CPU: all threads of this process)")
    for task, data, value in rows:
        print(f"{task:<{width}}  {data:<26} {value}")


if __name__ == "__main__":
    main()
