"""Media that do not fit the transcript or each other: no made-up figures, clear warnings.

Regression tests for audio shorter than the transcript, silent audio and silent turns, and
a video whose duration does not match the audio (e.g. re-encoded at the wrong frame rate).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from rapport.domain import CodedSession, Role, Session, Speaker, Turn
from rapport.nonverbal.analysis import analyse_nonverbal
from rapport.nonverbal.movement import MovementParams
from rapport.nonverbal.prosody import Segment, prosody
from rapport.nonverbal.section import NonverbalSection
from rapport.nonverbal.synthetic import (
    BlobVideoSpec,
    PlantedTurn,
    coupled_blob_frames,
    write_video,
)
from rapport.report.section import AnalysisContext

SR = 16000
CUT_S = 30.0

Dialogue = tuple[np.ndarray, list[PlantedTurn]]
ROLE = {"Therapist": Role.THERAPIST, "Client": Role.CLIENT}


def _segments(turns: list[PlantedTurn]) -> list[Segment]:
    return [Segment(t.speaker, ROLE[t.speaker], t.start, t.end, i) for i, t in enumerate(turns)]


def _session(turns: list[PlantedTurn]) -> Session:
    return Session(id="mismatch", speakers=(Speaker(name="Therapist", role=Role.THERAPIST),
                                            Speaker(name="Client", role=Role.CLIENT)),
                   turns=tuple(Turn(index=i, speaker=t.speaker, role=ROLE[t.speaker],
                                    text=f"turn {i}", start=t.start, end=t.end)
                               for i, t in enumerate(turns)))


# --------------------------------------------------------------------- audio too short


def test_turns_after_the_audio_ends_are_left_out_and_partial_turns_clipped(
        dialogue: Dialogue) -> None:
    audio, turns = dialogue
    short = audio[: int(CUT_S * SR)]
    segs = _segments(turns)
    res = prosody(short, SR, segs)
    inside = [s for s in segs if s.start < CUT_S]
    assert any(s.end > CUT_S for s in inside), "the cut should fall inside a turn"
    # only turns with audio are measured, and the count says so
    assert [r.turn_index for r in res.turns] == [s.turn_index for s in inside]
    for r in res.turns:
        assert r.start + r.analysed_s <= CUT_S + 1e-6  # clipped at the audio's end
    by_role = {s.role: s for s in res.speakers}
    for role in (Role.THERAPIST, Role.CLIENT):
        n_in = sum(s.role == role for s in inside)
        n_out = sum(s.role == role and s.start >= CUT_S for s in segs)
        assert by_role[role].turns == n_in
        assert by_role[role].turns_beyond_audio == n_out
    late = len(segs) - len(inside)
    assert any(f"{late} of {len(segs)} turns start after the audio ends" in w
               for w in res.warnings), res.warnings
    assert any("past the end of the audio" in w for w in res.warnings), res.warnings
    # the same turns, measured on the full recording up to the cut, give the same rates
    clipped = [Segment(s.speaker, s.role, s.start, min(s.end, CUT_S), s.turn_index)
               for s in inside]
    full = {s.role: s for s in prosody(audio, SR, clipped).speakers}
    for role in (Role.THERAPIST, Role.CLIENT):
        got, ref = by_role[role], full[role]
        assert got.speech_rate == pytest.approx(ref.speech_rate, rel=0.1)
        assert got.pauses_per_min == pytest.approx(ref.pauses_per_min, rel=0.1)
        assert got.speech_rate is not None and got.speech_rate > 2.5  # planted 4–5 syll/s


def test_analysis_passes_the_short_audio_warning_on(dialogue: Dialogue,
                                                    tmp_path: Path) -> None:
    import soundfile as sf

    audio, turns = dialogue
    sf.write(tmp_path / "short.wav", audio[: int(CUT_S * SR)].astype(np.float32), SR)
    result = analyse_nonverbal(_session(turns), audio=tmp_path / "short.wav")
    assert result is not None and result.prosody is not None
    assert sum(s.turns for s in result.prosody.speakers) < len(turns)
    assert sum("start after the audio ends" in w for w in result.warnings) == 1


# --------------------------------------------------------------------- silence


@pytest.mark.parametrize("level", [0.0, 1e-4])  # digital zeros; a faint hiss, no speech
def test_silent_audio_gives_no_voice_figures(dialogue: Dialogue, level: float) -> None:
    audio, turns = dialogue
    rng = np.random.default_rng(3)
    silent = level * rng.standard_normal(audio.shape)
    res = prosody(silent, SR, _segments(turns))
    for s in res.speakers:
        assert s.turns == 0
        assert s.intensity_db is None and s.f0_median_hz is None
        assert s.speech_rate is None and s.articulation_rate is None
        assert s.pauses_per_min is None
    for t in res.turns:
        assert t.silent and t.intensity_db is None and t.speech_rate is None
    assert any("the audio is silent" in w for w in res.warnings), res.warnings


def test_a_silent_turn_is_left_out_and_digital_silence_is_not_minus_300_db(
        dialogue: Dialogue) -> None:
    audio, turns = dialogue
    k = next(i for i in range(1, len(turns) - 1)
             if turns[i - 1].end < turns[i].start and turns[i].end < turns[i + 1].start)
    muted = audio.copy()
    muted[int(turns[k].start * SR): int(turns[k].end * SR) + 1] = 0.0
    res = prosody(muted, SR, _segments(turns))
    row = next(r for r in res.turns if r.turn_index == k)
    assert row.silent and row.intensity_db is None and row.speech_rate is None
    assert row.pauses == 0 and row.articulation_rate is None
    speaker = next(s for s in res.speakers if s.speaker == turns[k].speaker)
    assert speaker.turns == sum(t.speaker == turns[k].speaker for t in turns) - 1
    assert speaker.turns_silent == 1
    assert any(f"1 {turns[k].speaker} turn" in w and "silent" in w
               for w in res.warnings), res.warnings
    assert all(r.intensity_db is None or r.intensity_db > 0 for r in res.turns)
    assert all(s.intensity_db is not None and s.intensity_db > 0 for s in res.speakers)


# --------------------------------------------------------------------- video duration


def _video(path: Path, seconds: float, written_fps: float) -> Path:
    spec = BlobVideoSpec(seconds=seconds, fps=10, seed=5)
    return write_video(path, coupled_blob_frames(spec), written_fps, "MJPG")


def test_a_video_at_the_wrong_frame_rate_is_named_and_not_synchronised(
        dialogue: Dialogue, media_dir: Path, tmp_path: Path) -> None:
    audio, turns = dialogue
    audio_s = len(audio) / SR
    # the right frames, re-encoded at 2.5x the frame rate: 40 % of the audio's duration
    video = _video(tmp_path / "fast.avi", audio_s, 25.0)
    result = analyse_nonverbal(_session(turns), audio=media_dir / "stereo.wav", video=video,
                               movement=MovementParams(surrogates=20))
    assert result is not None and result.movement is not None
    m = result.movement
    warning = next(w for w in result.warnings if "video" in w and "audio" in w)
    assert f"{m.frames / m.fps:.1f} s" in warning and f"{audio_s:.1f} s" in warning
    assert m.summary is None and m.windows == [] and m.lag_profile == []
    assert m.test is None and m.susy is None
    assert m.client_motion == [] and m.therapist_motion == []
    assert m.frames > 0 and m.client_active_share > 0  # what does not depend on time stays
    ctx = AnalysisContext(coded=CodedSession(session=_session(turns), codes=()))
    html = NonverbalSection().render_html(result, ctx)
    assert "Movement synchrony is not reported" in html and "moved together" not in html
    console = Console(record=True, width=200)
    NonverbalSection().render_terminal(result, console)
    assert "movement: synchrony —" in console.export_text()


def test_a_video_shorter_than_the_transcript_is_named(dialogue: Dialogue,
                                                      tmp_path: Path) -> None:
    _, turns = dialogue
    end = max(t.end for t in turns)
    video = _video(tmp_path / "half.avi", end / 2, 10.0)
    result = analyse_nonverbal(_session(turns), video=video,
                               movement=MovementParams(surrogates=0))
    assert result is not None and result.movement is not None
    assert any("transcript" in w and f"{end:.1f} s" in w for w in result.warnings)
    assert result.movement.summary is None


def test_a_small_offset_warns_but_keeps_synchrony(dialogue: Dialogue, media_dir: Path,
                                                  tmp_path: Path) -> None:
    audio, turns = dialogue
    audio_s = len(audio) / SR
    video = _video(tmp_path / "late.avi", audio_s - 4.0, 10.0)  # started 4 s late
    result = analyse_nonverbal(_session(turns), audio=media_dir / "stereo.wav", video=video,
                               movement=MovementParams(surrogates=0))
    assert result is not None and result.movement is not None
    assert any("video" in w and f"{audio_s:.1f} s" in w for w in result.warnings)
    assert result.movement.summary is not None
    assert result.movement.summary.best_lag_s == pytest.approx(1.0, abs=0.1)


def test_matching_media_raise_no_duration_warning(dialogue: Dialogue,
                                                  media_dir: Path) -> None:
    _, turns = dialogue
    result = analyse_nonverbal(_session(turns), audio=media_dir / "stereo.wav",
                               video=media_dir / "video.avi",
                               movement=MovementParams(surrogates=0))
    assert result is not None
    assert not [w for w in result.warnings if "long" in w or "audio ends" in w]
    assert result.movement is not None and result.movement.summary is not None
