"""The ``transcription`` job: an uploaded recording, transcribed here with no transaction
open; the transcript (Rapport JSONL with unsettled roles) is stored, encrypted, as the
job's result for the therapist to check, correct and confirm the roles of
(``/recordings/{job}``); only then is it analysed, as an ``analysis`` job.

The recording lives in the job's encrypted payload and in a private temporary folder
while it is transcribed; the record drops the payload when the job ends, done or failed.
Only when the therapist ticked "keep the recording" is it copied, re-encrypted, into the
record with the session (``rapport.store.recordings``) in the transaction that stores the
transcript; a failed job keeps nothing. The client's consent to recording is checked when
the file is uploaded and again before the transcript (and the recording) is stored.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import shutil
import tempfile
from pathlib import Path
from typing import Any

from rapport.errors import RapportInputError
from rapport.jobs.runner import JobContext
from rapport.settings import Settings
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, require_consent
from rapport.store.jobs import read_payload
from rapport.store.recordings import keep_recording
from rapport.store.tx import Tx

KIND = "transcription"
#: Progress (percent) given to decoding and the model check; the rest follows the chunks.
_PREPARED = 5


def check_recording(data: bytes, filename: str, settings: Settings) -> None:
    """An upload that is a recording within the media limit, or one clear error."""
    from rapport.ingest.sniff import sniff_binary
    from rapport.transcribe.audio import MEDIA_SUFFIXES
    from rapport.transcribe.model import require_engine

    require_engine()
    if len(data) > settings.max_media_bytes:
        raise RapportInputError(f"the recording is larger than {settings.max_media_bytes} "
                                "bytes", where=filename, fix="compress it (M4A or MP3), or "
                                "raise RAPPORT_MAX_MEDIA_BYTES", code="too_large")
    found = sniff_binary(data[:64])
    media = found is not None and ("audio" in found[0] or "video" in found[0])
    if not media and Path(filename).suffix.casefold() not in MEDIA_SUFFIXES:
        raise RapportInputError("this is not an audio or video file", where=filename,
                                fix="upload the recording (wav, mp3, m4a, mp4, webm), or a "
                                "transcript with the form above", code="bad_format")


def transcription_handler(settings: Settings) -> Any:
    """The handler for ``transcription`` jobs under ``settings``."""

    def run(context: JobContext) -> None:
        from rapport.transcribe.asr import Recogniser
        from rapport.transcribe.audio import decode
        from rapport.transcribe.model import default_model
        from rapport.transcribe.session import transcribe

        with context.store.transaction(context.owner, interface="system") as tx:
            data, params = read_payload(tx, context.job.id)
        filename = str(params.get("filename") or "recording")
        folder = Path(tempfile.mkdtemp(prefix="rapport-job-"))
        try:
            path = folder / f"recording{Path(filename).suffix.casefold()[:8]}"
            path.write_bytes(data)
            del data
            recording = decode(path)
            path.unlink()
            recogniser = Recogniser(default_model(settings.home),
                                    language=params.get("language") or None)
            context.progress(_PREPARED)
            total = [1.0]
            done = [0.0]

            def plan(seconds: float) -> None:
                total[0] = max(seconds, 1.0)

            def tick(seconds: float) -> None:
                done[0] += seconds
                context.progress(_PREPARED + int((99 - _PREPARED) * done[0] / total[0]))

            result = transcribe(recording, recogniser, session_id=f"session-{params['session']}",
                                source_name=filename, checkpoint_stem=folder / "chunks",
                                speakers=int(params.get("speakers") or 2), plan=plan,
                                tick=tick)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        outcome: dict[str, Any] = {"transcript": result.to_jsonl(), "speakers": result.speakers,
                   "suggested_therapist": result.suggestion.therapist,
                   "basis": result.suggestion.basis, "turns": len(result.turns),
                   "who_spoke_when": result.metadata["who_spoke_when"],
                   "session_date": str(params.get("session_date") or ""),
                   "kept_recording": None}
        with context.store.transaction(context.owner, interface="system") as tx:
            # consent may have been withdrawn while the recording was transcribed
            require_consent(tx, find_client(tx, str(params["code"]), write=True),
                            ConsentKind.RECORDING, doing="storing a transcript")
            if params.get("keep"):
                outcome["kept_recording"] = _keep(tx, context.job.id, params, filename)
            context.complete(tx, outcome)

    return run


def _keep(tx: Tx, job_id: int, params: dict[str, Any], filename: str) -> int:
    """Copy the job's recording into the record with its session (the payload itself is
    dropped by the job's completion); read again here rather than held in memory while
    the recording was transcribed."""
    data, _ = read_payload(tx, job_id)
    suffix = Path(filename).suffix.casefold()[:8]
    day = params.get("session_date") or None
    return keep_recording(tx, str(params["code"]), int(params["session"]), data,
                          media_type=mimetypes.guess_type(f"x{suffix}")[0]
                          or "application/octet-stream", suffix=suffix,
                          session_date=dt.date.fromisoformat(day) if day else None)
