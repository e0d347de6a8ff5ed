"""Prosody per turn from session audio, with praat-parselmouth (Praat inside).

Rapport does not transcribe: the transcript's turn times say who speaks when. For each
speaker we (1) track pitch once with a wide range (60–700 Hz), (2) set that speaker's own
floor and ceiling from it (Hirst's rule: ``0.75 x q25`` and ``1.5 x q75``) and track again,
so a low and a high voice are both measured well. Per turn we report the median f0 (in Hz
and in semitones re 100 Hz), the mean intensity (relative dB; compare only within one
recording), syllable nuclei (an intensity peak at least ``min_dip_db`` above the dip to
the next peak, above ``q99 - 25 dB``, and voiced; after de Jong & Wempe 2009, written
fresh), articulation rate (syllables per second of phonation), speech rate (per second
of turn) and silent pauses of at least ``min_pause_s``.

With one channel, stretches where both people talk are cut out (f0 is undefined there).
With two channels, each speaker is measured on the channel where they are loudest.

Only what the audio holds is measured: turns that start after the audio ends are left out
(and counted), a turn that runs past the end is measured up to it, and a turn with nothing
above the loudness threshold (never below ``SILENCE_DB``) is *silent*: it gets no figures
and does not count towards its speaker's. Every such case comes with a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from rapport.domain import Role, Session
from rapport.errors import RapportInputError

#: Audio above this sample rate is resampled to it before analysis.
ANALYSIS_RATE = 16000
#: Pitch range of the first, speaker-independent pass.
FIRST_PASS_HZ = (60.0, 700.0)
#: Generic adult range when a speaker has too little voiced speech for their own range.
FALLBACK_HZ = (75.0, 600.0)
#: Voiced first-pass frames (20 ms each, so 2 s) before a speaker gets their own range.
MIN_VOICED_FRAMES = 100
#: Praat intensity (dB re 2e-5, samples in Pa) below which nothing counts as sound: about
#: 66 dB below a full-scale sine (91 dB), under any usable speech recording. Praat's own
#: floor for digital silence is -300 dB, which must never reach a figure.
SILENCE_DB = 25.0
#: Shortest piece of a turn worth measuring (seconds), as for overlaps.
MIN_SPAN_S = 0.05


@dataclass(frozen=True)
class Segment:
    """Who speaks from ``start`` to ``end`` (seconds), from a transcript turn or a channel."""

    speaker: str
    role: Role
    start: float
    end: float
    turn_index: int | None = None


class TurnProsody(BaseModel):
    turn_index: int | None
    speaker: str
    role: Role
    start: float
    end: float
    analysed_s: float = Field(description="Seconds measured (overlapped speech removed).")
    f0_median_hz: float | None
    f0_median_st: float | None = Field(description="Semitones re 100 Hz.")
    intensity_db: float | None = Field(description="Mean dB; relative, same recording only.")
    syllables: int
    articulation_rate: float | None = Field(description="Syllables per second of phonation.")
    speech_rate: float | None = Field(description="Syllables per second of the turn.")
    pauses: int
    pause_s: float
    silent: bool = Field(default=False, description="Nothing above the loudness threshold "
                         "in the turn: no figures, left out of the speaker's.")


class SpeakerProsody(BaseModel):
    speaker: str
    role: Role
    pitch_floor_hz: float
    pitch_ceiling_hz: float
    channel: int | None
    turns: int = Field(description="Turns measured: inside the audio and not silent.")
    turns_beyond_audio: int = Field(default=0, description="Turns that start after the "
                                    "audio ends: left out.")
    turns_silent: int = Field(default=0, description="Turns with no sound: left out.")
    f0_median_hz: float | None
    f0_sd_st: float | None
    intensity_db: float | None
    articulation_rate: float | None
    speech_rate: float | None
    pauses_per_min: float | None


class ProsodyResult(BaseModel):
    sample_rate: int
    duration_s: float
    channels: int
    mode: str = Field(description="'mono' (overlaps removed) or 'per-channel'.")
    speakers: list[SpeakerProsody]
    turns: list[TurnProsody] = Field(description="Turns inside the audio, in time order.")
    warnings: list[str] = Field(default_factory=list)


def load_audio(path: Path) -> tuple[np.ndarray, int]:
    """Read WAV/FLAC/OGG as float32 ``(samples, channels)``, resampled to 16 kHz when the
    file has a higher rate; clear errors for bad files."""
    import soundfile as sf

    if not path.is_file():
        raise RapportInputError("audio file not found", where=str(path),
                                fix="check the file path (--audio)", code="missing_media")
    try:
        data, sr = sf.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, sf.LibsndfileError, TypeError, ValueError):
        raise RapportInputError("cannot read this file as audio", where=str(path),
                                fix="convert it to WAV or FLAC, e.g. ffmpeg -i in.m4a out.wav",
                                code="unreadable_media") from None
    if len(data) < sr // 10:
        raise RapportInputError("the audio is shorter than 0.1 s", where=str(path),
                                fix="give the session recording", code="unreadable_media")
    if sr > ANALYSIS_RATE:  # speech prosody needs no more; Praat runs ~3x faster on 16 kHz
        from scipy.signal import resample_poly

        g = math.gcd(ANALYSIS_RATE, int(sr))
        data = resample_poly(data, ANALYSIS_RATE // g, int(sr) // g, axis=0)
        sr = ANALYSIS_RATE
    return np.asarray(data, dtype=np.float32), int(sr)


def segments_from_session(session: Session) -> list[Segment]:
    """One segment per timed turn (therapist, client or other)."""
    return [Segment(t.speaker, t.role, float(t.start), float(t.end), t.index)
            for t in session.turns
            if t.start is not None and t.end is not None and t.end - t.start >= MIN_SPAN_S]


def _exclusive(seg: Segment, segments: list[Segment]) -> list[tuple[float, float]]:
    """The parts of ``seg`` where no other speaker talks (pieces under 50 ms dropped)."""
    parts = [(seg.start, seg.end)]
    for other in segments:
        if other.speaker == seg.speaker or other.end <= seg.start or other.start >= seg.end:
            continue
        nxt = []
        for a, b in parts:
            if other.end <= a or other.start >= b:
                nxt.append((a, b))
                continue
            if other.start > a:
                nxt.append((a, other.start))
            if other.end < b:
                nxt.append((other.end, b))
        parts = nxt
    return [(a, b) for a, b in parts if b - a >= MIN_SPAN_S]


def _clip(spans: list[tuple[float, float]], end: float) -> list[tuple[float, float]]:
    """``spans`` cut at ``end`` (the audio's end); pieces under 50 ms dropped."""
    return [(a, min(b, end)) for a, b in spans if min(b, end) - a >= MIN_SPAN_S]


def _pick_channels(audio: np.ndarray, sr: int,
                   parts: dict[str, list[tuple[float, float]]]) -> dict[str, int] | None:
    """Each speaker's loudest channel, if the speakers clearly sit on different channels."""
    if audio.shape[1] < 2:
        return None
    best: dict[str, int] = {}
    for speaker, spans in parts.items():
        idx = np.concatenate([np.arange(int(a * sr), min(len(audio), int(b * sr)))
                              for a, b in spans] or [np.zeros(0, dtype=int)])
        if len(idx) == 0:
            continue
        rms = np.sqrt(np.mean(audio[idx] ** 2, axis=0)) + 1e-12
        order = np.argsort(rms)[::-1]
        if rms[order[0]] < 2 * rms[order[1]]:  # under 6 dB apart: not separate microphones
            return None
        best[speaker] = int(order[0])
    return best if len(set(best.values())) == len(best) > 1 else None


def _values_in(xs: np.ndarray, values: np.ndarray, spans: list[tuple[float, float]]
               ) -> np.ndarray:
    mask = np.zeros(len(xs), dtype=bool)
    for a, b in spans:
        mask |= (xs >= a) & (xs < b)
    return values[mask]


def _pitch(snd: object, floor: float, ceiling: float,
           step: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    pitch = snd.to_pitch_ac(time_step=step, pitch_floor=floor,  # type: ignore[attr-defined]
                            pitch_ceiling=ceiling)
    f0 = pitch.selected_array["frequency"].astype(float)
    f0[f0 <= 0] = np.nan
    return np.asarray(pitch.xs()), f0


def _adapted_range(f0: np.ndarray) -> tuple[float, float]:
    voiced = f0[~np.isnan(f0)]
    if len(voiced) < MIN_VOICED_FRAMES:
        return FALLBACK_HZ
    q25, q75 = np.quantile(voiced, [0.25, 0.75])
    return max(40.0, 0.75 * float(q25)), min(1000.0, max(1.5 * float(q75), 0.75 * q25 + 50))


def _nuclei(times: np.ndarray, db: np.ndarray, threshold: float, min_dip_db: float
            ) -> np.ndarray:
    """Times of intensity peaks above ``threshold`` that stand ``min_dip_db`` above the
    dip before the next peak (the last peak is compared with the dip after it)."""
    if len(db) < 3:
        return np.zeros(0)
    is_peak = (db[1:-1] > db[:-2]) & (db[1:-1] >= db[2:]) & (db[1:-1] > threshold)
    peaks = np.flatnonzero(is_peak) + 1
    keep = []
    for k, p in enumerate(peaks):
        stop = peaks[k + 1] if k + 1 < len(peaks) else len(db)
        if db[p] - db[p:stop].min() > min_dip_db:
            keep.append(p)
    return np.asarray(times[np.asarray(keep, dtype=int)])


def _silences(times: np.ndarray, db: np.ndarray, threshold: float, a: float, b: float,
              min_pause_s: float) -> tuple[float, float, list[float]]:
    """First and last sounding time in ``[a, b)`` and the inner silent pauses."""
    sel = (times >= a) & (times < b)
    t, loud = times[sel], db[sel] > threshold
    if not loud.any():
        return a, a, []
    first, last = t[np.argmax(loud)], t[len(loud) - 1 - np.argmax(loud[::-1])]
    step = float(times[1] - times[0]) if len(times) > 1 else 0.01
    pauses, run = [], 0
    for ok, tt in zip(loud, t, strict=True):
        if first <= tt <= last and not ok:
            run += 1
        elif run:
            if run * step >= min_pause_s:
                pauses.append(run * step)
            run = 0
    return float(first), float(last) + step, pauses


def prosody(audio: np.ndarray, sr: int, segments: list[Segment], *, min_pause_s: float = 0.3,
            min_dip_db: float = 2.0) -> ProsodyResult:
    """Per-turn and per-speaker prosody of ``audio`` (``samples x channels``)."""
    import parselmouth

    if not segments:
        raise RapportInputError("no timed turns to measure the audio with",
                                fix="give a transcript with start and end times per turn "
                                "(e.g. WebVTT, SRT or Whisper JSON)")
    speakers = {s.speaker: s.role for s in segments}
    duration = len(audio) / sr
    # turns after the audio's end have no sound to measure: left out, counted, warned about
    late = [s for s in segments if s.start >= duration - MIN_SPAN_S]
    warnings = _late_warnings(late, segments, duration)
    segments = [s for s in segments if s.start < duration - MIN_SPAN_S]
    parts = {s: _clip([p for seg in segments if seg.speaker == s
                       for p in _exclusive(seg, segments)], duration) for s in speakers}
    channel_of = _pick_channels(audio, sr, parts)
    if channel_of is not None:  # separate microphones: overlaps need not be removed
        parts = {s: _clip([(seg.start, seg.end) for seg in segments if seg.speaker == s],
                          duration) for s in speakers}
    signals = ({c: audio[:, c] for c in set(channel_of.values())} if channel_of
               else {0: audio.mean(axis=1)})
    sounds = {c: parselmouth.Sound(sig, sampling_frequency=sr) for c, sig in signals.items()}
    loudness, silent_channels = {}, set()
    for c, snd in sounds.items():
        inten = snd.to_intensity(minimum_pitch=50.0)
        db = inten.values[0]
        top = float(np.quantile(db, 0.99))
        loudness[c] = (np.asarray(inten.xs()), db, max(top - 25.0, SILENCE_DB))
        if top < SILENCE_DB:
            silent_channels.add(c)
            who = [s for s in speakers if channel_of and channel_of[s] == c]
            where = f" on {who[0]}'s channel" if who else ""
            warnings.append(f"the audio is silent{where} (loudest 1 % below {SILENCE_DB:.0f} "
                            "dB): no voice figures; is this the right recording?")
    speaker_rows, turn_rows = [], []
    # the first pass only needs quartiles: one per channel, every 20 ms is plenty
    first_pass = {c: _pitch(snd, *FIRST_PASS_HZ, step=0.02) for c, snd in sounds.items()}
    for speaker, role in speakers.items():
        c = channel_of[speaker] if channel_of else 0
        snd = sounds[c]
        floor, ceiling = _adapted_range(_values_in(*first_pass[c], parts[speaker]))
        xs, f0 = _pitch(snd, floor, ceiling)
        inten = snd.to_intensity(minimum_pitch=floor)
        ixs, idb = np.asarray(inten.xs()), inten.values[0]
        lt, ldb, lthr = loudness[c]
        voiced_at = np.interp(lt, xs, ~np.isnan(f0), left=0, right=0) > 0.5
        nuclei = _nuclei(lt, np.where(voiced_at, ldb, -np.inf), lthr, min_dip_db)
        tracks = _Tracks(xs, f0, ixs, idb, nuclei, (lt, ldb, lthr))
        rows = []
        for seg in (s for s in segments if s.speaker == speaker):
            spans = (_exclusive(seg, segments) if channel_of is None
                     else [(seg.start, seg.end)])
            rows.append(_turn_row(seg, _clip(spans, duration), tracks, min_pause_s))
        turn_rows.extend(rows)
        row = _speaker_row(speaker, role, floor, ceiling,
                           channel_of[speaker] if channel_of else None, rows)
        row.turns_beyond_audio = sum(s.speaker == speaker for s in late)
        speaker_rows.append(row)
        if row.turns_silent and c not in silent_channels:
            many = row.turns_silent > 1
            warnings.append(f"{row.turns_silent} {speaker} turn{'s are' if many else ' is'} "
                            "silent in the audio (nothing above the loudness threshold) and "
                            "left out of the voice figures; do the transcript's times fit?")
    turn_rows.sort(key=lambda r: r.start)
    return ProsodyResult(sample_rate=sr, duration_s=duration, channels=audio.shape[1],
                         mode="per-channel" if channel_of else "mono",
                         speakers=speaker_rows, turns=turn_rows, warnings=warnings)


def _late_warnings(late: list[Segment], segments: list[Segment], duration: float
                   ) -> list[str]:
    """Say which turns the audio does not (fully) cover."""
    out = []
    if late:
        out.append(f"{len(late)} of {len(segments)} turns start after the audio ends "
                   f"({duration:.1f} s) and are left out of the voice figures; is this the "
                   "right recording?")
    # transcripts round their times: only a turn well past the end is worth a word
    partial = [s for s in segments if s.start < duration - MIN_SPAN_S and s.end > duration + 0.5]
    if partial:
        many = len(partial) > 1
        out.append(f"{len(partial)} turn{'s run' if many else ' runs'} past the end of the "
                   f"audio ({duration:.1f} s) and {'are' if many else 'is'} measured up to "
                   "there")
    return out


@dataclass
class _Tracks:
    """One speaker's Praat tracks: pitch, intensity, syllable nuclei, loudness threshold."""

    xs: np.ndarray
    f0: np.ndarray
    ixs: np.ndarray
    idb: np.ndarray
    nuclei: np.ndarray
    loud: tuple[np.ndarray, np.ndarray, float]


def _turn_row(seg: Segment, spans: list[tuple[float, float]], tr: _Tracks,
              min_pause_s: float) -> TurnProsody:
    xs, f0, ixs, idb, nuclei, loud = tr.xs, tr.f0, tr.ixs, tr.idb, tr.nuclei, tr.loud
    analysed = sum(b - a for a, b in spans)
    if spans and not _values_in(loud[0], loud[1] > loud[2], spans).any():
        # nothing sounds here: a level or a rate of 0 would be made up
        return TurnProsody(
            turn_index=seg.turn_index, speaker=seg.speaker, role=seg.role, start=seg.start,
            end=seg.end, analysed_s=analysed, f0_median_hz=None, f0_median_st=None,
            intensity_db=None, syllables=0, articulation_rate=None, speech_rate=None,
            pauses=0, pause_s=0.0, silent=True)
    f0s = _values_in(xs, f0, spans)
    f0s = f0s[~np.isnan(f0s)]
    dbs = _values_in(ixs, idb, spans)
    dbs = dbs[dbs > 0]  # Praat gives -300 dB for digital silence: not a level
    syll = int(sum(np.sum((nuclei >= a) & (nuclei < b)) for a, b in spans))
    phonation, pauses = 0.0, []
    for a, b in spans:
        first, last, p = _silences(*loud, a, b, min_pause_s)
        phonation += max(0.0, last - first - sum(p))
        pauses += p
    med = float(np.median(f0s)) if len(f0s) >= 5 else None
    return TurnProsody(
        turn_index=seg.turn_index, speaker=seg.speaker, role=seg.role, start=seg.start,
        end=seg.end, analysed_s=analysed, f0_median_hz=med,
        f0_median_st=None if med is None else 12 * math.log2(med / 100.0),
        intensity_db=float(np.mean(dbs)) if len(dbs) else None, syllables=syll,
        articulation_rate=syll / phonation if phonation > 0.2 and syll else None,
        speech_rate=syll / analysed if analysed > 0.2 else None,
        pauses=len(pauses), pause_s=float(sum(pauses)))


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return float(np.mean(vals)) if vals else None


def _speaker_row(speaker: str, role: Role, floor: float, ceiling: float, channel: int | None,
                 all_rows: list[TurnProsody]) -> SpeakerProsody:
    rows = [r for r in all_rows if not r.silent]
    st = [r.f0_median_st for r in rows if r.f0_median_st is not None]
    hz = [r.f0_median_hz for r in rows if r.f0_median_hz is not None]
    minutes = sum(r.analysed_s for r in rows) / 60
    return SpeakerProsody(
        speaker=speaker, role=role, pitch_floor_hz=floor, pitch_ceiling_hz=ceiling,
        channel=channel, turns=len(rows), turns_silent=len(all_rows) - len(rows),
        f0_median_hz=float(np.median(hz)) if hz else None,
        f0_sd_st=float(np.std(st, ddof=1)) if len(st) > 1 else None,
        intensity_db=_mean([r.intensity_db for r in rows]),
        articulation_rate=_mean([r.articulation_rate for r in rows]),
        speech_rate=_mean([r.speech_rate for r in rows]),
        pauses_per_min=sum(r.pauses for r in rows) / minutes if minutes > 0 else None)
