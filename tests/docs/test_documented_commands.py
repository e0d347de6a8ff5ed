"""Every command the README and the docs print runs as written.

The commands are read from the documents themselves (``documented_commands.py``) and run
through the real CLI in one scratch folder, in the order of a clinic's story (a key, a
record, people, a client, sessions, questionnaires, reports, then the commands that
close, erase or rotate). A command is left out only when :data:`NOT_RUN` says why; a
command of the docs that the story does not place fails the test, so a new example
cannot slip in untested.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from documented_commands import ROOT, documented_commands
from typer.testing import CliRunner

from rapport.cli import build_app

#: Documented commands that are not run here, each with the reason.
NOT_RUN: dict[str, str] = {
    "make demo": "creates .venv and installs the package; the demo itself is "
                 "tests/store/test_store_demo.py and `rapport db demo` below",
    "make test": "this suite",
    "rapport clients reassign --from tom --to tess --as ada":
        "the story needs tom's client to the end and deactivates tess; "
        "tests/store/test_store_reassign.py::test_the_cli_moves_some_or_all runs it",
    "rapport users password tom --password-stdin --as ada":
        "reads the new password from standard input; "
        "tests/store/test_store_people.py::test_the_cli_sets_a_password runs it",
    "rapport serve": "serves until stopped; tests/cli/test_serve.py starts it for real",
    "rapport serve --host 0.0.0.0 --port 8443 --cert clinic.crt --key clinic.key":
        "serves until stopped, on the LAN, with the clinic's certificate",
    "rapport serve --workers 4": "serves until stopped; tests/web/test_workers.py starts "
                                 "real worker processes",
    "rapport train utterance --preset fast": "rebuilds a shipped model in the installed "
                                             "package (minutes)",
    "rapport train empathy --gold data/realtalk/gold.jsonl": "rebuilds a shipped model in "
                                                             "the installed package",
    "rapport train relationship --gold gold.jsonl": "rebuilds a shipped model in the "
                                                    "installed package (minutes)",
    "rapport evaluate utterance --preset fast --out cv.md": "cross-validation: minutes of "
                                                            "CPU (docs/models.md)",
    "rapport nonverbal session.mp4 session.wav --transcript session.vtt --json "
    "nonverbal.json": "needs a recording; tests/nonverbal run it on generated media",
    "rapport transcribe session.m4a --out session.jsonl": "needs a recording; "
        "tests/transcribe run it on synthesised speech",
    "rapport analyze session.m4a --therapist SPEAKER_1 --html report.html": "needs a "
        "recording; tests/transcribe/test_analyze_recording.py runs it on synthesised speech",
    "rapport reliability human.csv model.csv --reference a --session-score "
    "therapist_behaviour=reflection": "needs a human-coded table; tests/research run it",
    "rapport measures show srs --text-pack my-srs-pack.yaml": "needs a licensed text pack "
                                                              "the clinic obtains",
    "rapport coding reopen 1 --unit 3 --coder sam --as tom": "needs a session a coder "
        "finished (by keyboard, in the web app); tests/workbench/test_workbench_cli_uploads.py "
        "runs it",
}

#: The story: each documented command is placed by the first pattern that matches it.
#: ``None`` entries are setup steps the docs leave to the reader (named here).
STORY: tuple[str, ...] = (
    r"rapport keys create ~/\.rapport/rapport\.key$",
    r"export RAPPORT_KEY_FILE=~/\.rapport/rapport\.key$",
    r"rapport db upgrade", r"rapport db status", r"rapport keys show",
    r"rapport users add ada", r"rapport users add tom", r"rapport users list",
    r"rapport users supervise", r"rapport practice (list|check)",
    r"rapport practice --as", r"rapport practice export", r"rapport practice erase",
    r"rapport clients add", r"rapport clients (show|list)",
    r"rapport consents add", r"rapport consents list", r"rapport sessions add",
    r"rapport sessions import", r"rapport sessions list",
    r"(\.venv/bin/)?rapport (analyze|code|export|deid|batch)\b",
    r"rapport measures (list|show|score)", r"rapport measures record",
    r"rapport measures fhir", r"rapport progress C-017", r"rapport flags list",
    r"rapport flags acknowledge", r"rapport measures responses",
    r"rapport measures entered-in-error", r"rapport measures demo", r"rapport progress demo",
    r"rapport tokens create", r"rapport tokens list",
    r"rapport tokens revoke", r"rapport analyses (list|show)", r"rapport coding create",
    r"rapport coding list", r"rapport coding export", r"rapport coding add",
    r"rapport coding delete", r"rapport audit",
    r"rapport retention (set|show)", r"rapport retention apply --as",
    r"rapport backup", r"rapport restore", r"(\.venv/bin/)?rapport --help",
    r"rapport users unsupervise", r"rapport users deactivate", r"rapport consents withdraw",
    r"rapport analyses delete", r"rapport clients close", r"rapport clients erase",
    r"rapport retention apply --yes",
    r"rapport keys create", r"rapport keys rotate", r"export RAPPORT_KEY_FILE=",
    r"rapport db status", r"RAPPORT_HOME=\S+ rapport db demo",
)

#: What a reader has before following the docs: files they bring and colleagues' accounts.
SETUP_FILES = {
    "answers.json": '{"gad7_1": 1, "gad7_2": 2, "gad7_3": 1, "gad7_4": 0, "gad7_5": 1, '
                    '"gad7_6": 1, "gad7_7": 0}',
    "study.salt": "a-secret-the-study-keeps",
    # transcripts a workbench user uploads into a coding project
    "a.txt": "Therapist: What brings you here today?\nClient: My sleep, mostly.\n",
    "b.srt": "1\n00:00:01,000 --> 00:00:03,000\nTherapist: How was the week?\n\n"
             "2\n00:00:03,500 --> 00:00:06,000\nClient: Better than the last one.\n",
    "c.txt": "Therapist: Shall we start where we left off?\nClient: Yes, please.\n",
    "sessions.jsonl": '{"number": 4, "date": "2026-03-23", "attendance": "attended"}\n'
                      '{"number": 5, "date": "2026-03-30", "attendance": "no-show"}\n',
}
SETUP_AFTER = {
    r"rapport users add tom": [["users", "add", "sam", "--role", "supervisor", "--as", "ada"],
                               ["users", "add", "tess", "--role", "therapist", "--as",
                                "ada"]],
    r"rapport sessions add": [["sessions", "add", "C-017", "--date", "2026-03-09", "--as",
                               "tom"],
                              ["sessions", "add", "C-017", "--date", "2026-03-16", "--as",
                               "tom"]],
}


def _ordered() -> list[str]:
    commands = list(dict.fromkeys(c for found in documented_commands().values()
                                  for c in found))
    unplaced = [c for c in commands if c not in NOT_RUN
                and not any(re.match(p, c) for p in STORY)]
    assert not unplaced, f"documented commands the story does not place: {unplaced}"
    run = [c for c in commands if c not in NOT_RUN]
    return sorted(run, key=lambda c: next(i for i, p in enumerate(STORY) if re.match(p, c)))


class Shell:
    """Runs one documented line the way a POSIX shell would hand it to ``rapport``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {"HOME": str(home), "RAPPORT_HOME": str(home / "record"), "COLUMNS": "100"}
        self.runner = CliRunner()
        self.app = build_app()

    def words(self, line: str) -> tuple[dict[str, str], list[str]]:
        line = re.sub(r'"\$\(cat ([^)]+)\)"',
                      lambda m: shlex.quote((self.home / m.group(1)).read_text().strip()),
                      line)
        words = [self.tilde(w) for w in shlex.split(line)]
        env: dict[str, str] = {}
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            name, value = words.pop(0).split("=", 1)
            env[name] = self.tilde(value)
        return env, words

    def tilde(self, word: str) -> str:
        # the scratch folder is the reader's home: never the real one
        return str(self.home) + word[1:] if word.startswith("~/") else word

    def run(self, line: str) -> None:
        env, words = self.words(line)
        if words[0] == "export":
            for word in words[1:]:
                name, value = word.split("=", 1)
                self.env[name] = self.tilde(value)
            return
        assert words[0] in ("rapport", ".venv/bin/rapport"), line
        self.invoke(words[1:], {**self.env, **env}, line)

    def invoke(self, args: list[str], env: dict[str, str] | None = None,
               line: str = "") -> None:
        result = self.runner.invoke(self.app, args, env=env or self.env, prog_name="rapport")
        shown = line or " ".join(args)
        assert result.exit_code == 0, f"`{shown}` exited {result.exit_code}:\n{result.output}"


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """The reader's folder: the repository's examples and data, and their own files."""
    for name in ("examples", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    for name, text in SETUP_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def test_every_documented_command_runs_as_written(scratch: Path) -> None:
    shell = Shell(scratch)
    done: set[str] = set()
    for line in _ordered():
        shell.run(line)
        for pattern, steps in SETUP_AFTER.items():
            if pattern not in done and re.match(pattern, line):
                done.add(pattern)
                for step in steps:
                    shell.invoke(step)


def test_every_skipped_command_is_still_documented() -> None:
    documented = {c for found in documented_commands().values() for c in found}
    stale = [c for c in NOT_RUN if c not in documented]
    assert not stale, f"NOT_RUN lists commands the docs no longer print: {stale}"
