"""Deterministic synthetic session media with planted ground truth (tests, benchmarks, demo).

Nothing here is real client data. The video shows two blobs ("client" left, "therapist"
right) whose movements are coupled with a planted lag; the audio is harmonic "speech" with
planted per-turn pitch, syllable rate, turn timing and a planted pitch coupling between
speakers. Every generator takes a seed and returns the truth it planted.

>>> spec = BlobVideoSpec(seconds=2, fps=10, width=160, height=90)
>>> frames = list(coupled_blob_frames(spec))
>>> len(frames), frames[0].shape, frames[0].dtype.name
(20, (90, 160), 'uint8')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

#: Lines of the demo transcript; project-written, no real client text.
DEMO_LINES = (
    ("Therapist", "Welcome back. How has the week been since we last met?"),
    ("Client", "Busy. Work was a lot, and I didn't sleep well most nights."),
    ("Therapist", "Not sleeping well on top of a heavy week sounds draining."),
    ("Client", "It was. I kept thinking about the argument with my sister."),
    ("Therapist", "The argument stayed with you through the nights."),
    ("Client", "Yes. I keep replaying what I said and what I should have said."),
    ("Therapist", "What part of it comes back the most?"),
    ("Client", "When she said I never listen. That one stung."),
    ("Therapist", "It hurt to hear that from someone you care about."),
    ("Client", "Mm-hmm. And part of me wonders if she is right."),
    ("Therapist", "So there is the hurt, and also a question about yourself."),
    ("Client", "Exactly. I don't know what to do with that question."),
    ("Therapist", "Would it help to look at it together for a few minutes?"),
    ("Client", "Okay. I think I would like that."),
    ("Therapist", "Let's start with what listening to her looks like on a good day."),
    ("Client", "On a good day I put my phone away and I ask about her kids."),
    ("Therapist", "You already know some things that work for the two of you."),
    ("Client", "I suppose I do. I just forget them when I'm stressed."),
    ("Therapist", "Stress makes the good habits harder to reach."),
    ("Client", "That's true. Maybe I can tell her that, too."),
)


# --------------------------------------------------------------------------- video


@dataclass(frozen=True)
class BlobVideoSpec:
    """Two moving blobs; the therapist (right) follows the client (left) by ``lag_s``.

    ``coupling`` is c in ``x_T(t) = c*d_C(t - lag) + (1 - c)*d_ind(t)``; 0 gives an
    uncoupled control. ``noise_sd`` is per-frame Gaussian sensor noise in grey levels.
    """

    seconds: float = 120.0
    fps: float = 10.0
    width: int = 160
    height: int = 90
    lag_s: float = 1.0
    coupling: float = 0.8
    noise_sd: float = 2.0
    burst_rate_hz: float = 0.25
    seed: int = 0
    people: int = 2
    #: 0: fresh sensor noise every frame; n > 0: cycle n precomputed noise frames (fast,
    #: for long benchmark videos).
    noise_frames: int = 0


def _bursts(rng: np.random.Generator, n: int, fps: float, rate: float,
            amp_px: tuple[float, float]) -> np.ndarray:
    """Sum of Hann-windowed back-and-forth displacements with Poisson onsets."""
    out = np.zeros(n)
    t = 0.0
    while True:
        t += rng.exponential(1.0 / rate)
        if t * fps >= n:
            return out
        dur = rng.uniform(0.5, 2.0)
        length = max(3, int(dur * fps))
        start = int(t * fps)
        amp = rng.uniform(*amp_px) * rng.choice((-1.0, 1.0))
        bump = amp * np.hanning(length)
        end = min(n, start + length)
        out[start:end] += bump[: end - start]


def blob_displacements(spec: BlobVideoSpec) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame x-displacements (pixels) of the client and the therapist blob."""
    rng = np.random.default_rng(spec.seed)
    n = round(spec.seconds * spec.fps)
    lag = round(spec.lag_s * spec.fps)
    scale = spec.width / 640.0
    amp = (5 * scale * 2, 25 * scale * 2)
    client = _bursts(rng, n + lag, spec.fps, spec.burst_rate_hz, amp)
    independent = _bursts(rng, n, spec.fps, spec.burst_rate_hz, amp)
    # client[lag:] is the client's own movement; the therapist copies it `lag` frames later.
    own = client[lag:]
    therapist = spec.coupling * client[: n] + (1 - spec.coupling) * independent
    return own, therapist


def coupled_blob_frames(spec: BlobVideoSpec) -> Iterator[np.ndarray]:
    """Yield grey frames one at a time (memory does not grow with the video's length)."""
    import cv2

    rng = np.random.default_rng(spec.seed + 1)
    w, h = spec.width, spec.height
    texture = rng.uniform(60, 190, size=(h, w)).astype(np.float32)
    background = cv2.GaussianBlur(texture, (0, 0), 3).astype(np.float32)
    d_client, d_therapist = blob_displacements(spec)
    shift = 4  # sub-pixel drawing: coordinates in 1/16 px
    centres = ((w * 0.25, d_client), (w * 0.75, d_therapist))[: spec.people]
    bank = [np.asarray(rng.normal(0.0, spec.noise_sd, size=(h, w)), dtype=np.float32)
            for _ in range(spec.noise_frames)]
    for i in range(len(d_client)):
        frame = background.copy()
        for cx, disp in centres:
            x = round((cx + disp[i]) * 16)
            y_body, y_head = int(h * 0.70 * 16), int(h * 0.35 * 16)
            axes = (int(w * 0.08 * 16), int(h * 0.25 * 16))
            cv2.ellipse(frame, (x, y_body), axes, 0, 0, 360, 30.0, -1, cv2.LINE_AA, shift)
            cv2.circle(frame, (x, y_head), int(h * 0.11 * 16), 230.0, -1, cv2.LINE_AA, shift)
        frame += bank[i % len(bank)] if bank else np.asarray(
            rng.normal(0.0, spec.noise_sd, size=frame.shape), dtype=np.float32)
        yield np.clip(frame, 0, 255).astype(np.uint8)


def write_video(path: Path, frames: Iterator[np.ndarray], fps: float,
                fourcc: str = "MJPG") -> Path:
    """Write grey frames with OpenCV (MJPG in .avi or mp4v in .mp4; the wheel has no H.264)."""
    import cv2

    writer: cv2.VideoWriter | None = None
    try:
        for frame in frames:
            if writer is None:
                size = (frame.shape[1], frame.shape[0])
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), fps, size)
                if not writer.isOpened():
                    msg = f"OpenCV cannot write {fourcc} to {path.name}"
                    raise RuntimeError(msg)
            writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    finally:
        if writer is not None:
            writer.release()
    return path


# --------------------------------------------------------------------------- audio


@dataclass
class PlantedTurn:
    speaker: str
    start: float
    end: float
    f0_median_hz: float
    offset_st: float
    syllables: int
    phonation_s: float
    ipus: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class SpeechSpec:
    """Harmonic "speech" dialogue; ``rho`` plants turn-to-turn pitch coupling (0 = none)."""

    turns: int = 40
    sr: int = 16000
    rho: float = 0.6
    offset_sd_st: float = 2.0
    base_hz: tuple[float, float] = (115.0, 205.0)
    rate_hz: tuple[float, float] = (4.0, 5.0)
    speakers: tuple[str, str] = ("Therapist", "Client")
    overlap_share: float = 0.15
    max_ipus: int = 3
    seed: int = 0


def _ipu_signal(rng: np.random.Generator, n_syll: int, rate: float, f0_hz: float,
                sr: int) -> tuple[np.ndarray, np.ndarray]:
    """One inter-pausal unit: Hann syllable bumps (60 % duty) on a harmonic complex."""
    period = 1.0 / rate
    dur = (n_syll - 0.4) * period
    n = int(dur * sr)
    t = np.arange(n) / sr
    # contour: declines 2 semitones over the IPU with a small wiggle
    st = -2.0 * t / max(dur, 1e-9) + 0.3 * np.sin(2 * np.pi * 3.0 * t + rng.uniform(0, 6))
    f0 = f0_hz * 2.0 ** ((st + 1.0) / 12.0)
    phase = 2 * np.pi * np.cumsum(f0) / sr
    # 1/k harmonics up to 4 kHz, at most 12 of them: enough for Praat, and quick to make
    k_max = max(1, min(12, int(4000 / f0.max())))
    wave = sum(np.sin(k * phase) / k for k in range(1, k_max + 1))
    env = np.zeros(n)
    on = int(0.6 * period * sr)
    for s in range(n_syll):
        a = int(s * period * sr)
        b = min(n, a + on)
        env[a:b] = np.hanning(on)[: b - a]
    return 0.3 * np.asarray(wave) * env, f0[env > 0.05]


def harmonic_dialogue(spec: SpeechSpec) -> tuple[np.ndarray, list[PlantedTurn]]:
    """Two-channel audio (one speaker per channel) and the planted truth per turn."""
    rng = np.random.default_rng(spec.seed)
    turns: list[PlantedTurn] = []
    pieces: list[tuple[int, int, np.ndarray]] = []
    t = 0.5
    prev_offset = rng.normal()
    prev_end = 0.5
    for i in range(spec.turns):
        who = i % 2
        offset = spec.rho * prev_offset + np.sqrt(1 - spec.rho**2) * rng.normal()
        prev_offset = offset
        f0 = spec.base_hz[who] * 2.0 ** (offset * spec.offset_sd_st / 12.0)
        if i and rng.random() < spec.overlap_share:
            t = prev_end - rng.uniform(0.2, 0.8)
        elif i:
            t = prev_end + rng.gamma(2.0, 0.25)
        start = t
        turn = PlantedTurn(spec.speakers[who], start, start, 0.0, float(offset), 0, 0.0)
        voiced: list[np.ndarray] = []
        for j in range(int(rng.integers(1, spec.max_ipus + 1))):
            if j:
                t += rng.uniform(0.4, 0.8)
            n_syll = int(rng.integers(max(4, int(spec.rate_hz[who])),
                                      int(4 * spec.rate_hz[who]) + 1))
            sig, f0s = _ipu_signal(rng, n_syll, spec.rate_hz[who], f0, spec.sr)
            pieces.append((who, int(t * spec.sr), sig))
            voiced.append(f0s)
            dur = len(sig) / spec.sr
            turn.ipus.append((t, t + dur))
            turn.syllables += n_syll
            turn.phonation_s += dur
            t += dur
        turn.end = t
        turn.f0_median_hz = float(np.median(np.concatenate(voiced)))
        turns.append(turn)
        prev_end = t
    n_total = int((prev_end + 0.5) * spec.sr)
    audio = np.zeros((n_total, 2))
    for who, a, sig in pieces:
        audio[a: a + len(sig), who] += sig
    audio += rng.normal(0, 1e-4, size=audio.shape)  # a faint noise floor, like a real room
    return audio, turns


def write_vtt(path: Path, turns: list[PlantedTurn], lines: tuple[tuple[str, str], ...]
              = DEMO_LINES) -> Path:
    """A WebVTT transcript with ``<v Speaker>`` voice tags and the planted turn times."""
    def stamp(sec: float) -> str:
        ms = round(sec * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"

    by_speaker: dict[str, list[str]] = {}
    for who, text in lines:
        by_speaker.setdefault(who, []).append(text)
    counters: dict[str, int] = {}
    out = ["WEBVTT", ""]
    for turn in turns:
        pool = by_speaker.get(turn.speaker) or [lines[0][1]]
        k = counters.get(turn.speaker, 0)
        counters[turn.speaker] = k + 1
        out += [f"{stamp(turn.start)} --> {stamp(turn.end)}",
                f"<v {turn.speaker}>{pool[k % len(pool)]}", ""]
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def write_demo_media(out_dir: Path) -> tuple[Path, Path, Path]:
    """Write a matching transcript (WebVTT), WAV and MJPG video of one synthetic session.

    About 2–3 minutes, small frames, so analysing it takes a few seconds. Returns
    ``(transcript, audio, video)``; ``truth.json`` next to them holds the planted values.

    >>> import tempfile
    >>> vtt, wav, avi = write_demo_media(Path(tempfile.mkdtemp()))  # doctest: +SKIP
    """
    import soundfile as sf

    out_dir.mkdir(parents=True, exist_ok=True)
    audio, turns = harmonic_dialogue(SpeechSpec(turns=len(DEMO_LINES), seed=7))
    seconds = len(audio) / 16000
    wav = out_dir / "demo_session.wav"
    sf.write(wav, audio.astype(np.float32), 16000)
    vtt = write_vtt(out_dir / "demo_session.vtt", turns)
    video_spec = BlobVideoSpec(seconds=seconds, fps=10, width=192, height=108, seed=7)
    avi = write_video(out_dir / "demo_session.avi", coupled_blob_frames(video_spec),
                      video_spec.fps)
    truth = {"video": asdict(video_spec), "turns": [asdict(t) for t in turns],
             "note": "synthetic session; client = s1 (left), therapist = s2 (right)"}
    (out_dir / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return vtt, wav, avi


def main(argv: list[str] | None = None) -> None:
    """``python -m rapport.nonverbal.synthetic OUT_DIR``: write the demo media there."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    for path in write_demo_media(Path(args[0] if args else "demo-output/media")):
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
