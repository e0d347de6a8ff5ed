"""One entry point for a session's nonverbal signals: timing, movement, prosody, entrainment.

The media must belong together: a video whose duration is off from the audio's (or, with
no audio, ends before the transcript's last turn) by more than ``VIDEO_WARN_S`` is named
in a warning with both durations. Off by more than ``max(VIDEO_GROSS_S, VIDEO_GROSS_SHARE x
the audio's or transcript's duration)`` the video's time base cannot be the session's
(re-encoded at the wrong frame rate, or another recording): movement synchrony and the
per-second motion are then left out, since their lags and windows would be in the wrong
seconds. With only a transcript, a video that runs on longer is only named (the
transcript may cover part of the session).

>>> from rapport.domain import Session
>>> analyse_nonverbal(Session.build("x", [("T", "therapist", "Hi.")])) is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from rapport.domain import Session
from rapport.errors import RapportInputError
from rapport.nonverbal.entrainment import FeatureEntrainment
from rapport.nonverbal.motion import Roi
from rapport.nonverbal.movement import MovementParams, MovementResult
from rapport.nonverbal.prosody import ProsodyResult, Segment
from rapport.nonverbal.timing import TimingResult, timing

#: A video longer or shorter than the audio by more than this (seconds) gets a warning.
VIDEO_WARN_S = 2.0
#: Off by more than both of these, the video is not aligned with the session: no synchrony.
VIDEO_GROSS_S = 5.0
VIDEO_GROSS_SHARE = 0.10

#: Stated in every result so that nobody has to guess the sign of a lag.
CONVENTION = ("s1 = client, s2 = therapist; a positive lag means the therapist follows the "
              "client, a negative lag that the client follows the therapist")


class NonverbalResult(BaseModel):
    """Everything the nonverbal box measured for one session (parts absent stay None)."""

    convention: str = CONVENTION
    timing: TimingResult | None = None
    movement: MovementResult | None = None
    prosody: ProsodyResult | None = None
    vocal_entrainment: list[FeatureEntrainment] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def require_extra(*modules: str) -> None:
    """Media analysis needs the ``nonverbal`` extra; say so instead of a traceback."""
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise RapportInputError(f"audio and video analysis is not installed ({', '.join(missing)} "
                                "missing)", fix="pip install 'rapportkit[nonverbal]'",
                                code="missing_extra")


def analyse_nonverbal(session: Session | None, *, audio: Path | None = None,
                      video: Path | None = None, movement: MovementParams | None = None,
                      segments: list[Segment] | None = None,
                      rois: dict[str, Roi] | None = None, background: Roi | None = None,
                      progress: Callable[[int, int], None] | None = None
                      ) -> NonverbalResult | None:
    """Analyse what is available; None when there is nothing to compute.

    ``segments`` (who speaks when) default to the session's timed turns; audio without
    either raises :class:`RapportInputError` because Rapport does not transcribe speech.
    ``rois`` (``client``/``therapist``) and ``background`` are video regions in pixels.
    """
    result = NonverbalResult()
    if session is not None and session.has_times:
        result.timing = timing(session)
    if video is not None:
        from rapport.nonverbal.movement import analyse_video

        require_extra("cv2")
        result.movement = analyse_video(video, movement, rois=rois, background=background,
                                        progress=progress)
        result.warnings += result.movement.warnings
    if audio is not None:
        from rapport.nonverbal.entrainment import entrainment
        from rapport.nonverbal.prosody import load_audio, prosody, segments_from_session

        require_extra("parselmouth", "soundfile")
        data, sr = load_audio(audio)
        segs = segments if segments is not None else (
            segments_from_session(session) if session is not None else [])
        if not segs:
            raise RapportInputError(
                "the audio needs a transcript with turn times to tell the speakers apart",
                where=str(audio), fix="make a timed transcript first (rapport transcribe "
                "session.wav --out session.jsonl, or a WebVTT/SRT export) and pass it with "
                "the audio", code="needs_transcript")
        result.prosody = prosody(data, sr, segs)
        result.warnings += result.prosody.warnings
        result.vocal_entrainment = entrainment(result.prosody.turns)
    if result.movement is not None:
        ends = [t.end for t in session.turns if t.end is not None] if session else []
        result.movement = check_video_duration(
            result.movement, audio_s=result.prosody.duration_s if result.prosody else None,
            transcript_s=max(ends) if ends else None)
        result.warnings += [w for w in result.movement.warnings if w not in result.warnings]
    if result.timing is None and result.movement is None and result.prosody is None:
        return None
    return result


def check_video_duration(movement: MovementResult, *, audio_s: float | None,
                         transcript_s: float | None) -> MovementResult:
    """``movement`` with a warning when the video's duration does not fit the audio's (or
    the transcript's last turn end), and without its time-based figures when it is far off.

    >>> m = MovementResult.model_validate({"fps": 25.0, "frames": 1250, "duration_s": 50.0,
    ...     "threshold": 12, "artefact_frames": 0, "client_moving_share": 1.0,
    ...     "therapist_moving_share": 1.0, "client_active_share": 1.0,
    ...     "therapist_active_share": 1.0, "params": {}})
    >>> check_video_duration(m, audio_s=125.0, transcript_s=None).warnings[0][:47]
    'the video is 50.0 s long but the audio is 125.0'
    """
    video_s = movement.frames / movement.fps
    if audio_s is not None:
        ref, what = audio_s, "the audio is"
    elif transcript_s is not None:
        ref, what = transcript_s, "the transcript's turns run to"
    else:
        return movement
    off = video_s - ref
    gross = abs(off) > max(VIDEO_GROSS_S, VIDEO_GROSS_SHARE * ref)
    if audio_s is not None:
        misaligned = gross
        named = abs(off) > VIDEO_WARN_S
    else:  # a transcript may cover only part of a longer video
        misaligned = off < 0 and gross
        named = off < -VIDEO_WARN_S or gross
    if not named:
        return movement
    text = (f"the video is {video_s:.1f} s long but {what} {ref:.1f} s; are they the same "
            f"session, and is the video's frame rate ({movement.fps:g} fps) right?")
    if not misaligned:
        return movement.model_copy(update={"warnings": [*movement.warnings, text]})
    text += (" Movement synchrony is not reported: the video cannot be aligned with the "
             "session, so its lags and windows would be in the wrong seconds.")
    return movement.model_copy(update={
        "warnings": [*movement.warnings, text], "summary": None, "lag_profile": [],
        "windows": [], "test": None, "susy": None, "client_motion": [],
        "therapist_motion": []})
