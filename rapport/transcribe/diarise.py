"""Who spoke when in a one-channel recording: voice statistics per phrase, then clustering.

Method (no neural network, nothing downloaded):

1. **Phrases** from the recognised words: a new phrase starts after a pause of at least
   :data:`PAUSE` seconds between words, and a phrase longer than :data:`MAX_PHRASE`
   seconds is split, so that one phrase is (almost always) one speaker.
2. **Voice statistics** of each phrase's audio: the mean and standard deviation of 19
   mel-frequency cepstral coefficients (c1..c19; c0, loudness, is left out so that distance
   from the microphone matters less) over 25 ms frames every 10 ms, and the median pitch
   (log F0 from the autocorrelation of 40 ms frames, voiced frames only), computed here
   with numpy and scipy.
3. **Clustering**: each statistic is standardised over the session, the pitch weighted
   :data:`PITCH_WEIGHT` times (one number beside 38 cepstral ones), and the phrases are
   grouped into ``speakers`` clusters by k-means (scikit-learn, 10 starts, fixed seed).
   Clusters are named ``SPEAKER_1``, ``SPEAKER_2``... in order of first speech.

These choices (k-means rather than Ward clustering, the pitch and its weight) were made on
two development sessions (AnnoMI transcripts 126 and 131 rendered with espeak-ng), which
``benchmarks/transcribe.py`` does not use.

Limits, measured in ``docs/transcribe.md``: speaker changes without a pause (quick
hand-overs, overlapping speech) fall inside one phrase and go to one speaker; very short
phrases ("Yes.") carry little voice and are the usual errors. The number of speakers is
the user's (``--speakers``, default 2), not estimated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rapport.transcribe.asr import Word
from rapport.transcribe.audio import RATE

PITCH_WEIGHT = 3.0
PAUSE = 0.35
MAX_PHRASE = 6.0
N_MELS = 40
N_CEPS = 20
WIN, HOP = 400, 160  # 25 ms, 10 ms at 16 kHz


def phrases(words: Sequence[Word]) -> list[list[int]]:
    """Indices of ``words`` grouped into phrases (rule 1 above)."""
    groups: list[list[int]] = []
    for i, word in enumerate(words):
        if groups:
            first, last = words[groups[-1][0]], words[groups[-1][-1]]
            if word.start - last.end < PAUSE and word.end - first.start <= MAX_PHRASE:
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def _mel_filters() -> np.ndarray:
    def mel(hz: np.ndarray) -> np.ndarray:
        return np.asarray(2595 * np.log10(1 + hz / 700))

    edges_mel = np.linspace(mel(np.array(60.0)), mel(np.array(7600.0)), N_MELS + 2)
    edges = 700 * (10 ** (edges_mel / 2595) - 1)
    bins = np.fft.rfftfreq(512, 1 / RATE)
    filters = np.zeros((N_MELS, len(bins)))
    for m in range(N_MELS):
        low, mid, high = edges[m], edges[m + 1], edges[m + 2]
        rising = (bins - low) / (mid - low)
        falling = (high - bins) / (high - mid)
        filters[m] = np.clip(np.minimum(rising, falling), 0, None)
    return filters


_FILTERS = _mel_filters()


def mfcc(samples: np.ndarray) -> np.ndarray:
    """``(frames, 19)`` cepstral coefficients c1..c19 of ``samples`` (16 kHz)."""
    from scipy.fft import dct

    if len(samples) < WIN:
        samples = np.pad(samples, (0, WIN - len(samples)))
    count = 1 + (len(samples) - WIN) // HOP
    index = np.arange(WIN)[None, :] + HOP * np.arange(count)[:, None]
    frames = samples[index] * np.hamming(WIN)
    power = np.abs(np.fft.rfft(frames, 512)) ** 2
    logmel = np.log(power @ _FILTERS.T + 1e-8)
    return np.asarray(dct(logmel, type=2, axis=1, norm="ortho")[:, 1:N_CEPS])


def log_pitch(samples: np.ndarray) -> float:
    """Median log F0 (60-400 Hz) of the voiced 40 ms frames, NaN when none is voiced."""
    frame, hop = 640, 320
    if len(samples) < frame:
        return float("nan")
    count = 1 + (len(samples) - frame) // hop
    frames = samples[np.arange(frame)[None, :] + hop * np.arange(count)[:, None]]
    frames = frames - frames.mean(axis=1, keepdims=True)
    energy = np.sum(frames ** 2, axis=1)
    frames = frames[energy > 1e-4 * frame]
    if not len(frames):
        return float("nan")
    spectrum = np.fft.rfft(frames, 2 * frame)
    correlation = np.fft.irfft(np.abs(spectrum) ** 2)[:, :frame]
    low, high = RATE // 400, RATE // 60
    lag = low + np.argmax(correlation[:, low:high], axis=1)
    strength = correlation[np.arange(len(lag)), lag] / correlation[:, 0]
    voiced = lag[strength > 0.5]
    return float(np.log(RATE / np.median(voiced))) if len(voiced) else float("nan")


def phrase_features(audio: np.ndarray, words: Sequence[Word],
                    groups: Sequence[Sequence[int]]) -> np.ndarray:
    """Per phrase: MFCC means and standard deviations, then the median log pitch
    (NaN where no frame is voiced)."""
    rows = []
    for group in groups:
        start = int(words[group[0]].start * RATE)
        end = max(int(words[group[-1]].end * RATE), start + WIN)
        span = audio[start:end].astype(np.float64)
        coefficients = mfcc(span)
        rows.append(np.concatenate([coefficients.mean(axis=0), coefficients.std(axis=0),
                                    [log_pitch(span)]]))
    return np.asarray(rows)


def _standardised(features: np.ndarray) -> np.ndarray:
    pitch = features[:, -1]
    known = np.isfinite(pitch)
    features[:, -1] = np.where(known, pitch, np.median(pitch[known]) if known.any() else 0)
    spread = features.std(axis=0)
    scaled = (features - features.mean(axis=0)) / np.where(spread > 0, spread, 1)
    scaled[:, -1] *= PITCH_WEIGHT
    return np.asarray(scaled)


def diarise(audio: np.ndarray, words: Sequence[Word], speakers: int = 2) -> list[int]:
    """A speaker number (0-based, in order of first speech) for each word."""
    from sklearn.cluster import KMeans

    if not words:
        return []
    groups = phrases(words)
    if len(groups) < speakers:
        labels = np.arange(len(groups))
    else:
        features = _standardised(phrase_features(audio, words, groups))
        labels = KMeans(n_clusters=speakers, n_init=10, random_state=0).fit_predict(features)
    order = {int(c): k for k, c in enumerate(dict.fromkeys(int(x) for x in labels))}
    speaker_of = [0] * len(words)
    for group, label in zip(groups, labels, strict=True):
        for i in group:
            speaker_of[i] = order[int(label)]
    return speaker_of
