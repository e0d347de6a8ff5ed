"""``rapport analyze``: the main job, from a transcript to a report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rapport.pipeline import Analysis

from rapport.cli.db import AsOpt
from rapport.cli.options import (
    ClientOpt,
    CodersOpt,
    EncodingOpt,
    FormatOpt,
    OtherOpt,
    PresetOpt,
    RolesFileOpt,
    TherapistOpt,
)
from rapport.cli.transcribe import LanguageOpt, ModelOpt, SpeakersOpt

HELP = """Analyse one or more session transcripts and report on the relationship.

Prints a summary in the terminal; --json and --html write the full report. With several
sessions, --json and --html name folders, and the HTML folder gets an index.html with one
line per session and its key figures.

A recording (wav, mp3, m4a, mp4, webm) is transcribed first, on this machine (the
'transcribe' extra; see rapport transcribe), and its audio gives the prosody section. Its
speakers are SPEAKER_1, SPEAKER_2...: say who is who (--therapist SPEAKER_1), or confirm the
suggested roles when asked at a terminal; Rapport never settles them silently.

Examples:

  rapport analyze examples/rupture_repair.txt --json out.json --html out.html
  rapport analyze session.m4a --therapist SPEAKER_1 --html report.html
"""


def analyze(
    files: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the JSON document here.")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="Write the HTML report here.")] = None,
    pdf_out: Annotated[Path | None, typer.Option("--pdf", help="Print the HTML report to this PDF (needs Chromium).")] = None,
    audio: Annotated[Path | None, typer.Option("--audio", help="Session audio (WAV/FLAC) for prosody and vocal synchrony.")] = None,
    video: Annotated[Path | None, typer.Option("--video", help="Session video for movement synchrony.")] = None,
    therapist: TherapistOpt = None,
    client: ClientOpt = None,
    other: OtherOpt = None,
    roles_file: RolesFileOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    preset: PresetOpt = None,
    coders: CodersOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No terminal summary.")] = False,
    record_client: Annotated[str | None, typer.Option("--client", help="Store the analysis in this client's record (needs their consent to analysis).")] = None,
    record_session: Annotated[int | None, typer.Option("--session", help="With --client: the session number in the record.")] = None,
    as_user: AsOpt = None,
    model: ModelOpt = None,
    speakers: SpeakersOpt = 2,
    language: LanguageOpt = None,
) -> None:
    from rapport.cli.framework import read_inputs
    from rapport.cli.recording import RecordingInput, split_recording
    from rapport.pipeline import AnalyzeOptions, analyze_all
    from rapport.settings import get_settings

    recording = split_recording(files)
    transcribed: RecordingInput | None = None
    if recording is not None:
        transcribed = RecordingInput.transcribe(recording, model=model, speakers=speakers,
                                                language=language, quiet=quiet)
        therapist, client = transcribed.confirm_roles(therapist, client, other)
        audio = audio or transcribed.audio_for_prosody()
        read = transcribed.read(therapist=therapist, client=client, other=other)
    else:
        read = read_inputs(files, therapist=therapist, client=client, other=other, fmt=fmt,
                           encoding=encoding, roles_file=roles_file)
    media = {k: v for k, v in (("audio", audio), ("video", video)) if v is not None}
    options = AnalyzeOptions.from_settings(get_settings(), preset=preset, coders=coders,
                                           media=media)
    if media:
        require_media_support(len(read))
    if record_client is not None:
        from rapport.cli.db import check_record_target

        check_record_target(record_client, record_session, len(read), as_user)
    analyses = list(analyze_all(read, options))
    if record_client is not None and record_session is not None:
        from rapport.cli.db import store_in_record

        store_in_record(record_client, record_session, analyses[0], as_user)
    write_reports(analyses, json_out=json_out, html_out=html_out, pdf_out=pdf_out,
                  quiet=quiet)
    if transcribed is not None:
        transcribed.finished()


def write_reports(analyses: list[Analysis], *, json_out: Path | None, html_out: Path | None,
                  pdf_out: Path | None, quiet: bool) -> None:
    """The terminal summary and the report files of each analysis."""
    from rich.console import Console

    from rapport.pipeline import output_targets, write_atomically
    from rapport.settings import get_settings

    ids = [a.document.session.id for a in analyses]
    json_targets = output_targets(json_out, ids, ".json") if json_out else {}
    html_targets = output_targets(html_out, ids, ".html") if html_out else {}
    pdf_targets = output_targets(pdf_out, ids, ".pdf") if pdf_out else {}
    console = Console()
    for analysis in analyses:
        sid = analysis.document.session.id
        if not quiet:
            analysis.print_summary(console)
        if sid in json_targets:
            write_atomically(json_targets[sid], analysis.to_json())
        if sid in html_targets or sid in pdf_targets:
            html = analysis.to_html()
            if sid in html_targets:
                write_atomically(html_targets[sid], html)
            if sid in pdf_targets:
                from rapport.report.pdf import write_pdf

                write_pdf(html, pdf_targets[sid], paper=get_settings().paper)
    for label, targets in (("JSON", json_targets), ("HTML", html_targets),
                           ("PDF", pdf_targets)):
        for path in targets.values():
            typer.echo(f"{label} report: {path}", err=quiet)
    if html_out is not None and len(html_targets) > 1:
        from rapport.pipeline import write_index

        index = write_index(analyses, html_targets, html_out)
        typer.echo(f"Index of the {len(html_targets)} HTML reports: {index}", err=quiet)


def require_media_support(n_sessions: int) -> None:
    """Audio/video need exactly one transcript and the nonverbal section installed."""
    from rapport.errors import RapportInputError
    from rapport.pipeline import load_sections

    if n_sessions != 1:
        raise RapportInputError(
            f"--audio/--video go with exactly one session, got {n_sessions}",
            fix="analyse the transcript that belongs to the recording on its own")
    if not any(s.name == "nonverbal" for s in load_sections()):
        raise RapportInputError("audio and video analysis is not installed",
                                fix="pip install 'rapportkit[nonverbal]'",
                                code="missing_extra")


def register(app: typer.Typer) -> None:
    app.command("analyze", help=HELP)(analyze)
