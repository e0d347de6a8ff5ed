"""One entry point for a session's nonverbal signals: timing, movement, prosody, entrainment.

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
        late = [s for s in segs if s.start >= len(data) / sr]
        if late:
            result.warnings.append(f"{len(late)} turns start after the audio ends; "
                                   "is this the right recording?")
        result.prosody = prosody(data, sr, segs)
        result.vocal_entrainment = entrainment(result.prosody.turns)
    if result.timing is None and result.movement is None and result.prosody is None:
        return None
    return result
