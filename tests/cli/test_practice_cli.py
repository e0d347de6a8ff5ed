"""``rapport practice`` without a record: list, check and the interactive room."""

from __future__ import annotations

import json

import pytest
from cli_runner import Cli
from typer.testing import CliRunner

from rapport.cli import build_app
from rapport.practice import SKILLS, VERDICTS, load_drills


def test_list_json_is_every_drill_with_id_skill_title(cli: Cli) -> None:
    result = cli("practice", "list", "--json", code=0)
    listed = json.loads(result.stdout)
    assert [d["id"] for d in listed] == [d.id for d in load_drills()]
    assert all(set(d) == {"id", "skill", "title"} for d in listed)
    one = json.loads(cli("practice", "list", "--json", "--skill", "boundaries",
                         code=0).stdout)
    assert one and {d["skill"] for d in one} == {"boundaries"}


def test_list_for_people_and_a_bad_skill(cli: Cli) -> None:
    assert "empathy-01" in cli("practice", "list", code=0).stdout
    bad = cli("practice", "list", "--skill", "charm", code=2)
    assert "unknown skill 'charm'" in bad.output and SKILLS[0] in bad.output


@pytest.mark.parametrize("reply", ["It sounds like you feel completely let down.",
                                   "You should just try harder.", "ok"])
def test_check_json_exits_0_whatever_the_verdict(cli: Cli, reply: str) -> None:
    result = cli("practice", "check", "empathy-01", reply, "--json", code=0)
    judged = json.loads(result.stdout)
    assert judged["verdict"] in VERDICTS and judged["drill_id"] == "empathy-01"
    assert isinstance(judged["codes"], list)
    assert set(judged["feedback"]) == {"did", "needed", "exemplar", "next_step"}


def test_check_for_people_reads_as_words(cli: Cli) -> None:
    text = cli("practice", "check", "autonomy-01", "Would it be OK if I shared an idea?",
               code=0).stdout
    assert text.startswith("Verdict: ")
    for part in ("What the reply did:", "What the moment needed:",
                 "One reply that would do it:", "Next step:"):
        assert part in text


@pytest.mark.parametrize(("args", "message"), [
    (("nope-01", "That sounds hard."), "no drill 'nope-01'"),
    (("empathy-01", "   "), "the reply is empty"),
    (("empathy-01", "x" * 2001), "more than 2000"),
])
def test_check_refuses_bad_input_with_exit_2(cli: Cli, args: tuple[str, str],
                                             message: str) -> None:
    result = cli("practice", "check", *args, "--json", code=2)
    assert message in result.output and "fix:" in result.output


def test_interactive_without_a_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAPPORT_USER", raising=False)
    result = CliRunner().invoke(build_app(), ["practice", "--drill", "empathy-01"],
                                input="It sounds like you feel alone.\nn\n\nq\n",
                                prog_name="rapport")
    assert result.exit_code == 0, result.output
    assert "nothing is kept" in result.output
    assert "Client (now):" in result.output and "Verdict:" in result.output
    assert result.output.count("== ") == 3  # the first drill, the next, one skipped to
