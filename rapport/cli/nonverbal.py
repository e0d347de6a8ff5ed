"""``rapport nonverbal``: movement synchrony, prosody and vocal synchrony from media alone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rapport.domain import Session
    from rapport.nonverbal.prosody import Segment

HELP = """Measure movement synchrony (video), prosody and vocal synchrony (audio) of one session.

Give a video, an audio file, or both. Audio needs --transcript with turn times, unless it
has two channels (one microphone per person; channel 1 = therapist, 2 = client).
Convention: s1 = client, s2 = therapist; a positive lag means the therapist follows.

Example:

  rapport nonverbal session.mp4 session.wav --transcript session.vtt --json nonverbal.json
"""

VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv")
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".aiff", ".aif", ".mp3")


def _split_media(media: list[Path]) -> tuple[Path | None, Path | None]:
    from rapport.errors import RapportInputError

    video = [p for p in media if p.suffix.lower() in VIDEO_SUFFIXES]
    audio = [p for p in media if p.suffix.lower() in AUDIO_SUFFIXES]
    unknown = [p for p in media if p not in video and p not in audio]
    if unknown:
        raise RapportInputError("not a video or audio file name", where=str(unknown[0]),
                                fix="video: " + " ".join(VIDEO_SUFFIXES) + "; audio: "
                                + " ".join(AUDIO_SUFFIXES))
    if len(video) > 1 or len(audio) > 1:
        raise RapportInputError("give at most one video and one audio file",
                                fix="analyse one session at a time")
    return (video[0] if video else None), (audio[0] if audio else None)


def nonverbal(
    media: Annotated[list[Path], typer.Argument(help="Session video and/or audio.", metavar="VIDEO_OR_AUDIO...")],
    transcript: Annotated[Path | None, typer.Option("--transcript", "-t", help="Timed transcript (WebVTT, SRT, Whisper JSON...) of the same session.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the result as JSON here.")] = None,
    lag: Annotated[float, typer.Option(help="Largest lag in seconds (rMEA lagSec).")] = 5.0,
    window: Annotated[float, typer.Option(help="Window in seconds (rMEA winSec).")] = 30.0,
    increment: Annotated[float, typer.Option(help="Step between windows in seconds (rMEA incSec).")] = 10.0,
    signed: Annotated[bool, typer.Option("--signed", help="Keep the sign of correlations (rMEA ABS=FALSE).")] = False,
    surrogates: Annotated[int, typer.Option(help="Shuffled pseudo-sessions for the p-value (0: none).")] = 200,
    segment: Annotated[float, typer.Option(help="Segment length in seconds for shuffling.")] = 30.0,
    seed: Annotated[int, typer.Option(help="Random seed of the surrogate test.")] = 0,
    client_side: Annotated[str, typer.Option(help="Side of the frame the client sits on: left or right.")] = "left",
    client_roi: Annotated[str | None, typer.Option(help="Client region x,y,w,h in pixels (instead of a half).")] = None,
    therapist_roi: Annotated[str | None, typer.Option(help="Therapist region x,y,w,h in pixels.")] = None,
    background: Annotated[str | None, typer.Option(help="Static region x,y,w,h to catch lighting or camera changes.")] = None,
    smoothing: Annotated[str, typer.Option(help="centred (default) or rmea (rMEA's MEAsmooth, for comparisons).")] = "centred",
    downscale: Annotated[float, typer.Option(help="Shrink frames by this factor before differencing (0.5 = half).")] = 1.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No terminal summary.")] = False,
) -> None:
    import sys

    from pydantic import ValidationError
    from rich.console import Console
    from rich.progress import Progress

    from rapport.cli.framework import warn
    from rapport.errors import RapportInputError
    from rapport.nonverbal.analysis import analyse_nonverbal
    from rapport.nonverbal.motion import Roi
    from rapport.nonverbal.movement import MovementParams
    from rapport.nonverbal.section import NonverbalSection
    from rapport.pipeline import write_atomically

    video, audio = _split_media(media)
    if (client_roi is None) != (therapist_roi is None):
        raise RapportInputError("give both --client-roi and --therapist-roi, or neither",
                                fix="or use --client-side for a left/right split")
    try:
        params = MovementParams(lag_s=lag, window_s=window, increment_s=increment,
                                absolute=not signed, surrogates=surrogates, segment_s=segment,
                                seed=seed, client_side=client_side, downscale=downscale,
                                smooth_mode=smoothing)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = {"smooth_mode": "smoothing"}.get(str(err["loc"][0]), str(err["loc"][0]))
        raise RapportInputError(f"--{name}: {err['msg']}".replace("_s:", ":"),
                                fix="see rapport nonverbal --help") from None
    rois = None if client_roi is None or therapist_roi is None else {
        "client": Roi.parse(client_roi), "therapist": Roi.parse(therapist_roi)}
    session, segments = _who_speaks(transcript, audio)
    show = video is not None and not quiet and sys.stderr.isatty()
    with Progress(transient=True, disable=not show) as bar:
        task = bar.add_task("reading video", total=None)

        def tick(i: int, total: int) -> None:
            if i % 25 == 0:
                bar.update(task, completed=i, total=total or None)

        result = analyse_nonverbal(session, audio=audio, video=video, movement=params,
                                   segments=segments, rois=rois,
                                   background=Roi.parse(background) if background else None,
                                   progress=tick)
    if result is None:
        raise RapportInputError("nothing to analyse", fix="give a video or an audio file")
    for w in result.warnings:
        warn(w)
    if not quiet:
        NonverbalSection().render_terminal(result, Console())
    if json_out is not None:
        write_atomically(json_out, result.model_dump_json(indent=2))
        typer.echo(f"JSON: {json_out}", err=quiet)


def _who_speaks(transcript: Path | None, audio: Path | None
                ) -> tuple[Session | None, list[Segment] | None]:
    """Turn times from the transcript, or from the two channels of the audio."""
    from rapport.cli.framework import read_inputs
    from rapport.errors import RapportInputError

    if transcript is not None:
        read = read_inputs([transcript])
        if len(read) != 1:
            raise RapportInputError(f"the transcript holds {len(read)} sessions",
                                    where=str(transcript), fix="give one session's transcript")
        return read[0].session, None
    if audio is None:
        return None, None
    from rapport.nonverbal.prosody import load_audio
    from rapport.nonverbal.voice_activity import segments_from_channels, session_from_segments

    data, sr = load_audio(audio)
    try:
        segments = segments_from_channels(data, sr)
    except RapportInputError as exc:
        raise exc.at(str(audio)) from None
    return session_from_segments(audio.stem, segments), segments


def register(app: typer.Typer) -> None:
    app.command("nonverbal", help=HELP)(nonverbal)
