"""``rapport analyze RECORDING``: transcribe first, settle the roles with the user, then
analyse the transcript like any other, with the recording's audio for prosody.

The transcript goes to a private temporary folder for the analysis and is removed after
it. The recognised chunks are kept beside the recording (``.NAME.rapport.<n>.partial``)
until an analysis succeeds, so a run stopped by Ctrl-C, or by a missing role flag, goes on
where it stopped instead of transcribing again.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from rapport.errors import RapportInputError
from rapport.transcribe.session import Transcript

if TYPE_CHECKING:
    from rapport.ingest import ReadSession


def split_recording(files: Sequence[Path]) -> Path | None:
    """The one recording among ``files``, None when they are all transcripts."""
    from rapport.transcribe.audio import looks_like_media

    media = [f for f in files if looks_like_media(f)]
    if not media:
        return None
    if len(files) != 1:
        raise RapportInputError("a recording is analysed on its own", where=str(media[0]),
                                fix="run rapport analyze once per recording",
                                code="many_sessions")
    return media[0]


@dataclass
class RecordingInput:
    recording: Path
    result: Transcript
    folder: Path
    transcript: Path
    stem: Path

    @classmethod
    def transcribe(cls, recording: Path, *, model: Path | None, speakers: int,
                   language: str | None, quiet: bool) -> RecordingInput:
        from rapport.cli.transcribe import run_transcription

        stem = recording.with_name(f".{recording.name}.rapport")
        result = run_transcription(recording, stem, model=model, speakers=speakers,
                                   language=language, threads=2, quiet=quiet)
        folder = Path(tempfile.mkdtemp(prefix="rapport-recording-"))
        atexit.register(shutil.rmtree, folder, True)
        transcript = folder / f"{recording.stem or 'session'}.jsonl"
        transcript.write_text(result.to_jsonl(), encoding="utf-8")
        return cls(recording, result, folder, transcript, stem)

    def confirm_roles(self, therapist: list[str] | None, client: list[str] | None,
                      other: list[str] | None) -> tuple[list[str] | None, list[str] | None]:
        """The role flags: the user's own, or the suggestion confirmed at a terminal.

        Without flags and without a terminal nothing is assumed: reading the transcript
        then stops with the suggestion in its message."""
        therapist_of = self.result.suggestion.therapist
        if therapist or client or other or therapist_of is None or not sys.stdin.isatty():
            return therapist, client
        others = [n for n in self.result.speakers if n != therapist_of]
        question = (f"{therapist_of} looks like the therapist ("
                    f"{self.result.suggestion.basis}); {', '.join(others)} the client. "
                    "Is that right?")
        if typer.confirm(question, default=False, err=True):
            return [therapist_of], others
        raise RapportInputError("the speakers' roles were not confirmed",
                                where=str(self.recording), fix="say who is who, e.g. "
                                f"--therapist {others[0]} --client-speaker {therapist_of}",
                                code="unknown_speaker")

    def audio_for_prosody(self) -> Path | None:
        """The decoded audio as a 16 kHz WAV for the prosody section, when it is installed."""
        import importlib.util

        if importlib.util.find_spec("soundfile") is None:
            return None
        import soundfile as sf

        from rapport.transcribe.audio import RATE, decode

        path = self.folder / "audio.wav"
        sf.write(str(path), decode(self.recording).channels.T, RATE, subtype="PCM_16")
        return path

    def read(self, *, therapist: list[str] | None, client: list[str] | None,
             other: list[str] | None) -> list[ReadSession]:
        """The transcript read with the role flags; its errors name the recording (the
        temporary transcript is removed at once, whatever happens)."""
        from rapport.cli.framework import read_inputs

        try:
            return read_inputs([self.transcript], therapist=therapist, client=client,
                               other=other)
        except RapportInputError as exc:
            raise RapportInputError(exc.what, where=str(self.recording), fix=exc.fix,
                                    code=exc.code) from None
        finally:
            self.transcript.unlink(missing_ok=True)

    def finished(self) -> None:
        """The analysis is written: the checkpoints and the temporary audio can go."""
        from rapport.transcribe.session import remove_checkpoints

        remove_checkpoints(self.stem)
        shutil.rmtree(self.folder, ignore_errors=True)
