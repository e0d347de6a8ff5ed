"""Vocal entrainment: planted turn-to-turn pitch coupling is recovered, a control is not."""

from __future__ import annotations

import numpy as np
import pytest

from rapport.domain import Role
from rapport.nonverbal.entrainment import MIN_EXCHANGES, entrainment
from rapport.nonverbal.prosody import Segment, TurnProsody, prosody
from rapport.nonverbal.synthetic import SpeechSpec, harmonic_dialogue

SR = 8000  # half the usual rate: twice as fast, still plenty for pitch
RHO = 0.6


def _measured_pitch_synchrony(rho: float, seed: int) -> tuple[float, float]:
    audio, turns = harmonic_dialogue(SpeechSpec(turns=60, rho=rho, max_ipus=1, sr=SR, seed=seed))
    role = {"Therapist": Role.THERAPIST, "Client": Role.CLIENT}
    segs = [Segment(t.speaker, role[t.speaker], t.start, t.end, i) for i, t in enumerate(turns)]
    res = {e.feature: e for e in entrainment(prosody(audio, SR, segs).turns, permutations=500)}
    pitch = res["pitch"]
    assert pitch.exchanges == 59
    assert pitch.synchrony_r is not None and pitch.synchrony_p is not None
    return pitch.synchrony_r, pitch.synchrony_p


def test_planted_pitch_coupling_is_recovered() -> None:
    r, p = _measured_pitch_synchrony(RHO, seed=21)
    # sampling error of r at n~60 is about (1 - rho^2)/sqrt(n) ~ 0.08; allow 3 of them
    assert abs(r - RHO) < 0.25
    assert p < 0.01


def test_uncoupled_control_is_not_significant() -> None:
    _, p = _measured_pitch_synchrony(0.0, seed=22)
    assert p > 0.01


def _rows(values: list[float], starts: list[float] | None = None) -> list[TurnProsody]:
    starts = starts or [float(i) for i in range(len(values))]
    return [TurnProsody(turn_index=i, speaker="T" if i % 2 == 0 else "C",
                        role=Role.THERAPIST if i % 2 == 0 else Role.CLIENT, start=s,
                        end=s + 0.9, analysed_s=0.9, f0_median_hz=100 * 2 ** (v / 12),
                        f0_median_st=v, intensity_db=60.0 + v, syllables=4,
                        articulation_rate=None, speech_rate=None, pauses=0, pause_s=0.0)
            for i, (v, s) in enumerate(zip(values, starts, strict=True))]


def test_each_turn_echoing_the_partner_is_close_and_synchronous() -> None:
    rng = np.random.default_rng(0)
    values = [0.0]
    for _ in range(59):
        values.append(0.9 * values[-1] + 0.45 * rng.normal())  # each echoes the previous
    res = {e.feature: e for e in entrainment(_rows(values), permutations=300)}
    pitch = res["pitch"]
    assert pitch.synchrony_r is not None and pitch.synchrony_r > 0.7
    assert pitch.proximity_adjacent is not None and pitch.proximity_other is not None
    assert pitch.proximity_adjacent > pitch.proximity_other  # closer to the partner's last turn
    assert pitch.proximity_p is not None and pitch.proximity_p < 0.01
    assert res["rate"].synchrony_r is None  # no rates measured: no estimate, no crash


def test_converging_speakers_have_positive_convergence() -> None:
    rng = np.random.default_rng(1)
    n = 60
    spread = np.linspace(3, 0.2, n)  # the two voices start apart and come together
    values = [(1 if i % 2 else -1) * spread[i] + 0.1 * rng.normal() for i in range(n)]
    pitch = entrainment(_rows(values))[0]
    assert pitch.convergence_r is not None and pitch.convergence_r > 0.8
    assert pitch.convergence_p is not None and pitch.convergence_p < 0.01
    assert pitch.distance_first_half is not None and pitch.distance_second_half is not None
    assert pitch.distance_first_half > 2 * pitch.distance_second_half


def test_too_few_exchanges_give_no_numbers() -> None:
    res = entrainment(_rows([0.1, 0.5, -0.3, 0.2][: MIN_EXCHANGES - 4]))
    assert all(e.synchrony_r is None and e.proximity_adjacent is None for e in res)


@pytest.mark.parametrize("feature", ["pitch", "intensity", "rate"])
def test_names_are_neutral(feature: str) -> None:
    names = {e.feature for e in entrainment(_rows([0.0] * 10))}
    assert feature in names
    assert not any(word in feature for word in ("good", "better", "rapport"))
