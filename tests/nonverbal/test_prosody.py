"""Planted per-turn pitch, syllable rate and pauses are recovered from audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.nonverbal.prosody import Segment, load_audio, prosody
from rapport.nonverbal.synthetic import PlantedTurn
from rapport.nonverbal.voice_activity import segments_from_channels, session_from_segments

SR = 16000

Dialogue = tuple[np.ndarray, list[PlantedTurn]]


def _segments(turns: list[PlantedTurn]) -> list[Segment]:
    role = {"Therapist": Role.THERAPIST, "Client": Role.CLIENT}
    return [Segment(t.speaker, role[t.speaker], t.start, t.end, i) for i, t in enumerate(turns)]


@pytest.mark.parametrize("channels", ["stereo", "mono"])
def test_planted_pitch_rate_and_pauses_are_recovered(dialogue: Dialogue, channels: str) -> None:
    audio, turns = dialogue
    data = audio if channels == "stereo" else audio.mean(axis=1, keepdims=True)
    res = prosody(data, SR, _segments(turns))
    assert res.mode == ("per-channel" if channels == "stereo" else "mono")
    assert [r.turn_index for r in res.turns] == list(range(len(turns)))
    errors_st, rate_ratio = [], []
    for planted, got in zip(turns, res.turns, strict=True):
        assert got.f0_median_hz is not None
        errors_st.append(abs(12 * np.log2(got.f0_median_hz / planted.f0_median_hz)))
        assert got.articulation_rate is not None
        rate_ratio.append(got.articulation_rate / (planted.syllables / planted.phonation_s))
        if channels == "stereo":  # overlaps are cut out in mono, so counts may drop there
            assert abs(got.syllables - planted.syllables) <= 1
            assert got.pauses == len(planted.ipus) - 1
    assert np.median(errors_st) < 0.15 and max(errors_st) < 0.6  # semitones
    assert abs(np.median(rate_ratio) - 1) < 0.03 and min(rate_ratio) > 0.85
    by_role = {s.role: s for s in res.speakers}
    # the speaker-adapted pitch range brackets each voice (115 Hz and 205 Hz bases)
    assert by_role[Role.THERAPIST].pitch_floor_hz < 115 < by_role[Role.THERAPIST].pitch_ceiling_hz
    assert by_role[Role.CLIENT].pitch_floor_hz < 205 < by_role[Role.CLIENT].pitch_ceiling_hz
    assert by_role[Role.THERAPIST].pitch_ceiling_hz < 300 < by_role[Role.CLIENT].pitch_ceiling_hz
    assert by_role[Role.THERAPIST].articulation_rate == pytest.approx(4.0, rel=0.1)
    assert by_role[Role.CLIENT].articulation_rate == pytest.approx(5.0, rel=0.1)


def test_two_channels_give_speaker_segments_without_a_transcript(dialogue: Dialogue) -> None:
    audio, turns = dialogue
    segs = segments_from_channels(audio, SR)
    assert {s.role for s in segs} == {Role.THERAPIST, Role.CLIENT}
    planted = sum(b - a for t in turns for a, b in t.ipus)
    found = sum(s.end - s.start for s in segs)
    assert 0.8 < found / planted < 1.15
    for seg in segs:  # every found stretch lies inside a planted turn of that speaker
        assert any(t.speaker.lower() == seg.role.value and t.start - 0.1 <= seg.start
                   and seg.end <= t.end + 0.1 for t in turns)
    session = session_from_segments("stereo", segs)
    assert session.has_times and len(session.turns) == len(segs)


def test_one_channel_without_a_transcript_explains_what_to_do(dialogue: Dialogue) -> None:
    audio, _ = dialogue
    with pytest.raises(RapportInputError) as err:
        segments_from_channels(audio[:, :1], SR)
    assert err.value.code == "needs_transcript" and "transcript" in (err.value.fix or "")
    with pytest.raises(RapportInputError, match="no timed turns"):
        prosody(audio, SR, [])


def test_missing_and_unreadable_audio(tmp_path: Path) -> None:
    with pytest.raises(RapportInputError) as missing:
        load_audio(tmp_path / "none.wav")
    assert missing.value.code == "missing_media"
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF0000WAVEnot really")
    with pytest.raises(RapportInputError) as unreadable:
        load_audio(bad)
    assert unreadable.value.code == "unreadable_media"


def test_high_sample_rate_files_are_resampled_and_still_measured(tmp_path: Path) -> None:
    import soundfile as sf

    from rapport.nonverbal.synthetic import SpeechSpec, harmonic_dialogue

    audio, turns = harmonic_dialogue(SpeechSpec(turns=6, sr=44100, seed=4))
    sf.write(tmp_path / "cd.wav", audio.astype(np.float32), 44100)
    data, sr = load_audio(tmp_path / "cd.wav")
    assert sr == 16000 and data.shape[1] == 2
    assert abs(len(data) / sr - len(audio) / 44100) < 0.01
    res = prosody(data, sr, _segments(turns))
    for planted, got in zip(turns, res.turns, strict=True):
        assert got.f0_median_hz is not None
        assert abs(12 * np.log2(got.f0_median_hz / planted.f0_median_hz)) < 0.6
