"""``rapport transcribe``: a recording to a Rapport JSONL transcript, offline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rapport.transcribe.session import Transcript

HELP = """Transcribe a session recording (wav, mp3, m4a, mp4, webm) on this machine.

Writes Rapport JSONL with timed turns labelled SPEAKER_1, SPEAKER_2... A recording with one
speaker per channel is split by channel; otherwise the voices are told apart by
diarisation. The roles are not decided here: the file's metadata suggests who the
therapist is (from who asks the questions), and you confirm it when you analyse it
(rapport analyze FILE.jsonl --therapist SPEAKER_1). Needs the 'transcribe' extra. Nothing
is sent anywhere. Ctrl-C stops it; the same command again resumes where it stopped.

Example:

  rapport transcribe session.m4a --out session.jsonl
"""

ModelOpt = Annotated[Path | None, typer.Option(
    "--model", help="A faster-whisper (CTranslate2) model folder to use instead of the "
    "bundled Whisper base.")]
SpeakersOpt = Annotated[int, typer.Option(
    "--speakers", min=2, max=6, help="How many people speak (for a one-channel "
    "recording).")]
LanguageOpt = Annotated[str | None, typer.Option(
    "--language", help="Spoken language code (e.g. en); default: detected.")]
ThreadsOpt = Annotated[int, typer.Option("--threads", min=1, max=64,
                                         help="CPU threads for speech recognition.")]


def transcribe(
    recording: Annotated[Path, typer.Argument(help="The session recording (audio or video).")],
    out: Annotated[Path, typer.Option("--out", help="Write the transcript here (.jsonl).")],
    model: ModelOpt = None,
    speakers: SpeakersOpt = 2,
    language: LanguageOpt = None,
    threads: ThreadsOpt = 2,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    from rapport.pipeline import write_atomically

    if out.suffix.casefold() != ".jsonl":
        from rapport.errors import RapportInputError

        raise RapportInputError("the transcript is written as Rapport JSONL", where=str(out),
                                fix="name the output FILE.jsonl", code="bad_output")
    stem = out.with_name(f".{out.name}")
    result = run_transcription(recording, stem, model=model, speakers=speakers,
                               language=language, threads=threads, quiet=quiet)
    write_atomically(out, result.to_jsonl())
    from rapport.transcribe.session import remove_checkpoints

    remove_checkpoints(stem)
    typer.echo(f"transcript: {out} ({len(result.turns)} turns, speakers "
               f"{', '.join(result.speakers)})", err=quiet)
    typer.echo(f"suggested roles: {result.metadata['suggested_roles'] or 'none'} "
               f"({result.suggestion.basis}); confirm them when you analyse: "
               f"rapport analyze {out} {role_flags(result)}", err=True)


def role_flags(result: Transcript) -> str:
    """The flags that apply the suggested roles (or a template when there is none)."""
    names = result.speakers
    therapist = result.suggestion.therapist
    if therapist is None:
        return "--therapist SPEAKER_? --client-speaker SPEAKER_?"
    return " ".join([f"--therapist {therapist}",
                     *(f"--client-speaker {n}" for n in names if n != therapist)])


def run_transcription(recording: Path, stem: Path, *, model: Path | None, speakers: int,
                      language: str | None, threads: int, quiet: bool) -> Transcript:
    """Decode, check the model, transcribe with a progress bar; resumable via ``stem``."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from rapport.settings import get_settings
    from rapport.transcribe.asr import Recogniser
    from rapport.transcribe.audio import decode
    from rapport.transcribe.model import default_model, require_engine, user_model
    from rapport.transcribe.session import transcribe as run

    require_engine()
    chosen = user_model(model) if model is not None else default_model(get_settings().home)
    decoded = decode(recording)
    recogniser = Recogniser(chosen, threads=threads, language=language)
    columns = (TextColumn("transcribing"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), disable=quiet) as bar:
        task = bar.add_task("transcribing", total=None)
        try:
            return run(decoded, recogniser, session_id=recording.stem or "session",
                       source_name=recording.name, checkpoint_stem=stem, speakers=speakers,
                       plan=lambda total: bar.update(task, total=total),
                       tick=lambda seconds: bar.advance(task, seconds))
        except KeyboardInterrupt:
            bar.stop()
            typer.echo("interrupted: the chunks done so far are kept; run the same command "
                       "again to go on from there", err=True)
            raise typer.Exit(130) from None


def register(app: typer.Typer) -> None:
    app.command("transcribe", help=HELP)(transcribe)
