"""``make demo``: analyse the bundled example sessions and say where the reports are.

Runs the same code as ``rapport analyze`` on every example (with the role flags each one
needs, listed in :data:`EXAMPLES`), writes JSON and HTML reports into ``--out``, and
prints what to open next. It returns; it never serves or blocks.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from rapport.ingest import ReadSession

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"


@dataclass(frozen=True)
class Example:
    """One bundled example and the speaker mapping ``rapport analyze`` needs for it."""

    file: str
    therapist: tuple[str, ...] = ()
    client: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


#: The bundled examples (see examples/README.md for what each one shows), in the order of
#: their clients in the demo's story (rapport/store/demo_story.py).
EXAMPLES: tuple[Example, ...] = (
    Example(file="first_session.csv"),
    Example(file="rupture_repair.txt"),
    Example(file="missed_risk.txt"),
    Example(file="poor_listening.vtt", therapist=("Dr. Lee",), client=("Jordan",)),
    Example(file="good_listening.srt", client=("Maya",)),
    Example(file="couple_session.json", therapist=("SPEAKER_00",),
            client=("SPEAKER_01", "SPEAKER_02")),
    Example(file="check_in.jsonl"),
)


def _examples() -> list[Example]:
    if EXAMPLES:
        return list(EXAMPLES)
    return [Example(file=p.name) for p in sorted(EXAMPLES_DIR.glob("*"))
            if p.suffix in (".txt", ".vtt", ".srt", ".json", ".csv", ".jsonl")]


def run_demo(out: Path) -> tuple[list[Path], list[object]]:
    """Analyse every example into ``out``; return the HTML reports and the analyses.

    Each analysed session takes its place in the demo's story (rapport/store/demo_story.py):
    it is renamed after its client and session (``C-001-session-1``) and dated, so the
    report's file name, its title and the demo record agree.
    """
    from rich.console import Console

    from rapport.ingest import RoleMap, read_sessions
    from rapport.pipeline import AnalyzeOptions, analyze_all

    console = Console()
    options = AnalyzeOptions(preset="fast")
    written: list[Path] = []
    analyses: list[object] = []
    for example in _examples():
        roles = RoleMap(therapist=example.therapist, client=example.client,
                        other=example.other)
        read = [_in_story(item) for item in
                read_sessions([EXAMPLES_DIR / example.file], roles=roles)]
        for analysis in analyze_all(read, options):
            written.append(_write(out, analysis, console, example.file))
            analyses.append(analysis)
    analysis = _nonverbal_demo(out)
    written.append(_write(out, analysis, console, "generated audio + video session"))
    analyses.append(analysis)
    return written, analyses


def _in_story(item: ReadSession) -> ReadSession:
    """The session renamed and dated as the story has it (unchanged if not in it)."""
    from rapport.store.demo_story import in_story

    return replace(item, session=in_story(item.session))


def _write(out: Path, analysis: Any, console: Any, source: str) -> Path:
    """Write ``<session id>.json`` and ``.html``; say which client and session it is."""
    from rapport.pipeline import write_atomically
    from rapport.store.demo_story import story_session

    sid = analysis.document.session.id
    html = out / f"{sid}.html"
    write_atomically(out / f"{sid}.json", analysis.to_json())
    write_atomically(html, analysis.to_html())
    story = story_session(sid)
    place = (f"client {story.code}, session {story.number} ({story.date}): {story.what}"
             if story else f"session {sid}")
    console.print(f"[green]✓[/] {source} → {html}\n  {place}", highlight=False,
                  soft_wrap=True)
    return html


def _nonverbal_demo(out: Path) -> Any:
    """The generated session with audio and video: shows the nonverbal section."""
    from rapport.ingest import read_sessions
    from rapport.nonverbal.synthetic import write_demo_media
    from rapport.pipeline import AnalyzeOptions, analyze_all

    transcript, audio, video = write_demo_media(out / "media")
    options = AnalyzeOptions(preset="fast", media={"audio": audio, "video": video})
    (analysis,) = analyze_all([_in_story(item) for item in read_sessions([transcript])],
                              options)
    return analysis


def _seed_measures(key_file: Path) -> int:
    """Tom's questionnaire demo clients (recovery, not on track, safety flags - one
    acknowledged, one open - and rupture)."""
    from rapport.caseload import seed_demo_measures
    from rapport.settings import get_settings
    from rapport.store.database import Store

    store = Store.from_settings(get_settings(key_file=key_file))
    try:
        with store.transaction("tom", interface="system") as tx:
            return seed_demo_measures(tx)
    finally:
        store.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rapport.demo", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("demo-output"))
    args = parser.parse_args(argv)
    try:
        reports, analyses = run_demo(args.out)
        from rapport.caseload.demo_practice import seed_practice
        from rapport.settings import get_settings
        from rapport.store.demo import create_demo_record, rapport_command

        home = (args.out / "home").resolve()
        os.environ["RAPPORT_HOME"] = str(home)  # the demo record lives beside the reports
        os.environ.pop("RAPPORT_DATABASE_URL", None)
        record = create_demo_record(analyses, settings=get_settings(),  # type: ignore[arg-type]
                                    reset=True)
        questionnaires = _seed_measures(record.key_file)
        attempts = seed_practice(record.key_file)  # the trainee's, judged by the real judge
    except RapportInputError as exc:
        sys.stderr.write(f"error: {exc.render()}\n")
        return 2
    sys.stdout.write(
        f"\n{len(reports)} reports in {args.out.resolve()}/, one per analysed session, "
        "named after its client and session (open the .html files in a browser; the .json "
        "files follow docs/schema/analysis.schema.json).\n"
        "Analyse your own transcript: .venv/bin/rapport analyze FILE --html report.html\n"
        f"\n{record.describe()}\n"
        f"{questionnaires} demo questionnaires stored (clients demo-recovery, "
        "demo-not-on-track, demo-safety, demo-rupture); demo-safety has one acknowledged "
        "and one open safety flag (after the export line above: "
        f"RAPPORT_USER=tom {rapport_command()} flags list demo-safety).\n"
        f"{attempts} practice attempts stored for the trainee tia, each judged by the "
        "practice room's judge; sam, the supervisor, sees them at /practice/people.\n"
        f"Web app: make serve-demo   (or, after the export line: {rapport_command()} serve)\n"
        "  then open http://127.0.0.1:8000/ and sign in as tom, password demo-tom "
        "(the trainee: tia, password demo-tia)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
