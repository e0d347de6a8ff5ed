"""The workbench end to end on both backends: a project from a stored session, two coders
coding blind, agreement, adjudication into gold, and the exports (gold JSONL read by the
trainer's reader, CSV equal to `rapport reliability`, EAF structure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workbench_world import DAY, TURNS, Record

from rapport.coding.relationship.realtalk import load_gold, rows_of
from rapport.errors import RapportInputError
from rapport.store.coding import all_codes, finish_unit, my_codes, show_project
from rapport.workbench.agreement import summary_rows
from rapport.workbench.codebook import relationship_codebook
from rapport.workbench.eaf import check_eaf, unit_eaf
from rapport.workbench.exports import code_table_csv, gold_jsonl
from rapport.workbench.projects import ProjectRequest, code_turn, create_project, decide_turn
from rapport.workbench.state import project_state

BOOK = relationship_codebook()
#: What each coder gives turns 0..7 (tom agrees with the model except on turns 1 and 6).
TOM = [["seek_collaboration"], [], ["affirm"], ["emotional_disclosure"], ["normalize"], [],
       ["repair"], []]
SAM = [["seek_collaboration"], ["withdrawal"], ["affirm"], ["emotional_disclosure"],
       ["normalize"], [], [], []]


def _make(record: Record, coders: list[str] | None = None) -> int:
    with record.store.transaction("tom") as tx:
        return create_project(tx, ProjectRequest(
            name="pilot", codebook=BOOK, sessions=[("C-001", 1)],
            coders=coders or ["tom", "sam"]))


def _code_all(record: Record, project: int, unit: int, who: str, codes: list[list[str]]
              ) -> None:
    with record.store.transaction(who) as tx:
        for i, labels in enumerate(codes):
            code_turn(tx, project, unit, i, labels, "a note" if i == 6 else None)
        finish_unit(tx, project, unit)


def test_blind_double_coding_to_gold_and_exports(record: Record, tmp_path: Path) -> None:
    project = _make(record)
    with record.store.transaction("tom") as tx:
        (unit,) = show_project(tx, project).units
    assert unit.n_turns == len(TURNS) and unit.timed
    _code_all(record, project, unit.id, "tom", TOM)
    # Blind: sam, not finished, sees only his own (empty) codes, never tom's.
    with record.store.transaction("sam") as tx:
        mine, finished = my_codes(tx, project, unit.id)
        assert mine == {} and not finished
        with pytest.raises(RapportInputError) as caught:
            all_codes(tx, project, unit.id)
        assert caught.value.code == "not_found"
    _code_all(record, project, unit.id, "sam", SAM)

    with record.store.transaction("tom") as tx:
        state = project_state(tx, project)
    (u,) = state.units
    assert u.disputed == [1, 6]
    assert u.gold[1] is None and u.gold[0] == ["seek_collaboration"]
    pair = state.pairs()[0]
    assert (pair.a, pair.b) == ("sam", "tom")
    by_code = {p.code: p for p in pair.codes}
    # withdrawal: sam 1 of 4 client turns, tom 0 -> kappa 0, prevalence 0.25 / 0
    assert by_code["withdrawal"].agreement.n == 4
    assert by_code["withdrawal"].prevalence_a == 0.25
    assert by_code["withdrawal"].prevalence_b == 0.0
    assert by_code["affirm"].agreement.cohen_kappa == 1.0

    # Nothing complete yet: the gold export leaves the session out.
    text, left_out = gold_jsonl(state)
    assert (text, left_out) == ("", 1)
    with record.store.transaction("tom") as tx:
        decide_turn(tx, project, u.id, 1, ["withdrawal"], "minimal answer")
        decide_turn(tx, project, u.id, 6, [], "first thought")
        decide_turn(tx, project, u.id, 6, ["repair"], "answers the rupture")
        state = project_state(tx, project)
    assert [d.reason for d in state.units[0].history] == [
        "minimal answer", "first thought", "answers the rupture"]
    assert state.units[0].gold[6] == ["repair"]

    text, left_out = gold_jsonl(state)
    assert left_out == 0
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(text, "utf-8")
    loaded = load_gold(gold_file)
    (session,) = loaded.values()
    assert [sorted(t.codes) for t in session.turns] == [
        *TOM[:1], ["withdrawal"], *TOM[2:6], ["repair"], []]
    assert [t.text for t in session.turns] == [t[1] for t in TURNS]
    rows = rows_of(list(loaded.values()))
    assert len(rows) == len(TURNS) and rows[1]["text"].startswith("Client: ")
    passes = {json.loads(line)["pass"] for line in text.splitlines()}
    assert passes == {"coder:tom", "coder:sam", "adjudicated"}

    # EAF of the timed session passes the structural check, and an independent EAF reader
    # (pympi-ling's, used with ELAN files) reads the tiers and codes back.
    eaf = unit_eaf(state, state.units[0])
    assert check_eaf(eaf) == []
    eaf_file = tmp_path / "session.eaf"
    eaf_file.write_text(eaf, "utf-8")
    from pympi.Elan import Eaf

    read = Eaf(str(eaf_file))
    assert set(read.get_tier_names()) == {"turns", "codes sam", "codes tom", "codes gold",
                                          "codes model"}
    gold_tier = sorted(read.get_annotation_data_for_tier("codes gold"))
    assert [(start, end) for start, end, _ in gold_tier][:2] == [(0, 1500), (2000, 3500)]
    assert [value for _, _, value in gold_tier][6] == "repair"

    # The agreement equals `rapport reliability` (the real CLI) on the exported tables.
    from cli_runner import Cli

    paths = {}
    for coding in ("sam", "tom"):
        paths[coding] = tmp_path / f"{coding}.csv"
        paths[coding].write_text(code_table_csv(state, coding), "utf-8")
    result = Cli(checked=True)("reliability", paths["sam"], paths["tom"], "--reference", "a",
                               "--json")
    report = json.loads(result.stdout)
    page = {p.code: p.agreement for p in state.pairs()[0].codes}
    assert {c["code"] for c in report["codes"]} == set(page)
    for code in report["codes"]:
        assert page[code["code"]].n == code["n"]
        for name in ("cohen_kappa", "krippendorff_alpha"):
            mine = getattr(page[code["code"]], name)
            assert (mine is None) == (code[name] is None), (code["code"], name)
            if mine is not None:
                assert mine == pytest.approx(code[name])
        assert page[code["code"]].confusion == code["confusion"]


def test_codes_nobody_used_have_undefined_kappa_and_alpha(record: Record, tmp_path: Path
                                                          ) -> None:
    # tom and sam code the therapist turns only, then finish: the client turns count as
    # "0" on both sides, so every client code (and every therapist code neither gave) has
    # one value throughout: kappa and alpha are undefined there, never 1.000.
    project = _make(record)
    with record.store.transaction("tom") as tx:
        (unit,) = show_project(tx, project).units
    therapist = [i for i, t in enumerate(TURNS) if t[0] == "therapist"]
    plans = {"tom": {0: ["seek_collaboration"], 2: ["affirm"], 4: ["normalize"]},
             "sam": {0: ["seek_collaboration"], 2: ["affirm"], 4: []}}
    for who, plan in plans.items():
        with record.store.transaction(who) as tx:
            for i in therapist:
                code_turn(tx, project, unit.id, i, plan.get(i, []), None)
            finish_unit(tx, project, unit.id)
    with record.store.transaction("tom") as tx:
        state = project_state(tx, project)
    pair = state.pairs()[0]
    by_code = {p.code: p.agreement for p in pair.codes}
    rows = {r["code"]: r for r in summary_rows(pair)}
    for code in ("withdrawal", "emotional_disclosure", "self_disclosure", "repair"):
        assert by_code[code].n > 0 and by_code[code].accuracy == 1.0
        assert by_code[code].cohen_kappa is None, code
        assert by_code[code].krippendorff_alpha is None, code
        assert rows[code]["kappa"] is None and rows[code]["alpha"] is None
        assert rows[code]["undefined"] == ("only one value used by both coders: "
                                           "neither coding gave this code")
    assert by_code["affirm"].cohen_kappa == 1.0 and rows["affirm"]["undefined"] is None
    assert by_code["normalize"].cohen_kappa == 0.0  # defined: tom used it, sam did not

    # `rapport reliability` on the exports says the same: null in JSON, n/a in the table
    from cli_runner import Cli

    paths = {}
    for coding in ("sam", "tom"):
        paths[coding] = tmp_path / f"{coding}.csv"
        paths[coding].write_text(code_table_csv(state, coding), "utf-8")
    report = json.loads(Cli(checked=True)("reliability", paths["sam"], paths["tom"],
                                          "--json").stdout)
    codes = {c["code"]: c for c in report["codes"]}
    assert codes["withdrawal"]["cohen_kappa"] is None
    assert codes["withdrawal"]["krippendorff_alpha"] is None
    assert codes["withdrawal"]["undefined"] == 'only one value used by both coders ("0")'
    assert codes["affirm"]["cohen_kappa"] == 1.0
    text = Cli(checked=True)("reliability", paths["sam"], paths["tom"]).stdout
    row = next(line for line in text.splitlines() if line.startswith("withdrawal "))
    assert row.split()[3:5] == ["n/a", "n/a"]


def test_untimed_session_has_no_eaf(record: Record) -> None:
    with record.store.transaction("tom") as tx:
        project = create_project(tx, ProjectRequest(
            name="untimed", codebook=BOOK, sessions=[("C-001", 2)], coders=["sam"]))
        state = project_state(tx, project)
    with pytest.raises(RapportInputError) as caught:
        unit_eaf(state, state.units[0])
    assert caught.value.code == "untimed"


def test_codes_are_checked_against_the_codebook(record: Record) -> None:
    project = _make(record)
    with record.store.transaction("tom") as tx:
        (unit,) = show_project(tx, project).units
        with pytest.raises(RapportInputError) as caught:  # a therapist code on a client turn
            code_turn(tx, project, unit.id, 1, ["affirm"], None)
        assert caught.value.code == "bad_code"
        with pytest.raises(RapportInputError):
            code_turn(tx, project, unit.id, 99, [], None)


def test_a_coder_who_adjudicates_sees_nothing_of_others_until_finished(record: Record
                                                                      ) -> None:
    project = _make(record)
    with record.store.transaction("tom") as tx:
        assert project_state(tx, project).hidden == 1
    with record.store.transaction("tom") as tx:
        (unit,) = show_project(tx, project).units
        finish_unit(tx, project, unit.id)
        state = project_state(tx, project)
    assert state.hidden == 0 and len(state.units) == 1
    with record.store.transaction("tom") as tx, pytest.raises(RapportInputError) as caught:
        code_turn(tx, project, unit.id, 0, ["affirm"], None)  # finished: codes stay
    assert caught.value.code == "finished"


def test_outsider_coder_gets_deidentified_turns_only_with_consent(record: Record) -> None:
    # tess is not C-001's therapist nor tom's supervisor: the project is de-identified.
    project = _make(record, coders=["tess"])
    with record.store.transaction("tess") as tx:
        view = show_project(tx, project)
        assert view.deidentified and view.units[0].label == "session 1"
    # Withdrawing the research consent removes the session from the open project.
    from rapport.store.consents import ConsentKind, withdraw_consent


    with record.store.transaction("tom") as tx:
        withdraw_consent(tx, "C-001", ConsentKind.RESEARCH, on=DAY)
    with record.store.transaction("tess") as tx:
        assert show_project(tx, project).units == ()
    with record.store.transaction("tom") as tx, pytest.raises(RapportInputError) as caught:
        create_project(tx, ProjectRequest(name="x", codebook=BOOK, sessions=[("C-001", 1)],
                                          coders=["tess"]))
    assert caught.value.code == "no_consent"


def test_only_members_see_a_project(record: Record) -> None:
    project = _make(record)
    from rapport.store.coding import list_projects

    for outsider in ("tess", "rita", "ada"):
        with record.store.transaction(outsider) as tx:
            assert list_projects(tx) == []
            with pytest.raises(RapportInputError) as caught:
                show_project(tx, project)
            assert caught.value.code == "not_found"


def test_a_projects_history_survives_backup_and_restore(record: Record, tmp_path: Path
                                                        ) -> None:
    from rapport.store.backup import backup, restore

    def snapshot() -> tuple[object, ...]:
        with record.store.transaction("tom") as tx:
            state = project_state(tx, project)
        (u,) = state.units
        return (u.codes, u.notes, u.gold, [(d.turn_index, d.labels, d.reason, d.by)
                                            for d in u.history], u.turns)

    project = _make(record, coders=["sam"])
    with record.store.transaction("sam") as tx:
        (unit,) = show_project(tx, project).units
    _code_all(record, project, unit.id, "sam", SAM)
    with record.store.transaction("tom") as tx:
        decide_turn(tx, project, unit.id, 6, ["repair"], "answers the rupture")
    before = snapshot()
    saved = backup(record.store, tmp_path / "record.bak")
    with record.store.transaction("tom") as tx:
        decide_turn(tx, project, unit.id, 6, [], "changed my mind")
    assert snapshot() != before
    restore(record.store, saved)
    assert snapshot() == before
    assert before[3] == [(6, ("repair",), "answers the rupture", "tom")]


def test_decisions_are_append_only_in_the_database(record: Record) -> None:
    import sqlalchemy as sa

    from rapport.store.models import CodingDecision

    project = _make(record, coders=["sam"])
    with record.store.transaction("sam") as tx:
        (unit,) = show_project(tx, project).units
    _code_all(record, project, unit.id, "sam", SAM)
    with record.store.transaction("tom") as tx:
        decide_turn(tx, project, unit.id, 1, ["withdrawal"], "")
    # SQLite's trigger surfaces as the store's conflict error, PostgreSQL's as a database
    # error; either way the decision is unchanged.
    with pytest.raises((sa.exc.DatabaseError, RapportInputError)), \
            record.store.transaction(None) as tx:
        tx.db.execute(sa.update(CodingDecision).values(labels=[]))
    with record.store.transaction(None) as tx:
        assert tx.db.scalars(sa.select(CodingDecision.labels)).all() == [["withdrawal"]]


def test_retention_removes_a_purged_sessions_copy_from_projects(record: Record) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from rapport.store.clients import close_client
    from rapport.store.models import CodingLabel, CodingUnit
    from rapport.store.retention import apply_retention, set_retention_days

    project = _make(record, coders=["sam"])
    with record.store.transaction("sam") as tx:
        (unit,) = show_project(tx, project).units
    _code_all(record, project, unit.id, "sam", SAM)
    with record.store.transaction("tom") as tx:
        close_client(tx, "C-001")
    with record.store.transaction("ada") as tx:
        set_retention_days(tx, 30)
        apply_retention(tx, dry_run=False,
                        now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    with record.store.transaction("tom") as tx:
        assert show_project(tx, project).units == ()
        assert tx.db.scalar(sa.select(sa.func.count()).select_from(CodingUnit)) == 0
        assert tx.db.scalar(sa.select(sa.func.count()).select_from(CodingLabel)) == 0


def test_erasing_the_client_erases_its_sessions_from_projects(record: Record) -> None:
    import sqlalchemy as sa

    from rapport.store.clients import erase_client
    from rapport.store.models import CodingDecision, CodingLabel, CodingUnit

    project = _make(record, coders=["sam"])
    with record.store.transaction("sam") as tx:
        (unit,) = show_project(tx, project).units
    _code_all(record, project, unit.id, "sam", SAM)
    with record.store.transaction("tom") as tx:
        decide_turn(tx, project, unit.id, 1, ["withdrawal"], "minimal answer")
    with record.store.transaction("tom") as tx:
        erase_client(tx, "C-001")
    with record.store.transaction(None) as tx:
        for table in (CodingUnit, CodingLabel, CodingDecision):
            assert tx.db.scalar(sa.select(sa.func.count()).select_from(table)) == 0
