"""Projects from uploaded transcripts, made by admins too; coders and sessions added later,
a finished session reopened; both backends. The uploads are de-identified, encrypted,
the project's own (deleted with it, kept by backup and restore), and a bad file stores
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from workbench_world import DAY, Record

from rapport.errors import RapportInputError
from rapport.research.reliability import CodeAgreement
from rapport.store.coding import finish_unit, show_project, unit_turns
from rapport.store.coding_changes import (
    add_members,
    delete_project,
    project_history,
    reopen_unit,
)
from rapport.store.consents import ConsentKind, withdraw_consent
from rapport.store.models import AuditEntry, CodingEvent, CodingLabel, CodingProject, CodingUnit
from rapport.workbench.codebook import relationship_codebook
from rapport.workbench.eaf import check_eaf, unit_eaf
from rapport.workbench.exports import code_table_csv, gold_jsonl
from rapport.workbench.projects import (
    ProjectRequest,
    add_sessions,
    code_turn,
    create_project,
    decide_turn,
)
from rapport.workbench.state import project_state
from rapport.workbench.transcripts import SpeakerNames, TranscriptFile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BOOK = relationship_codebook()
MAYA = SpeakerNames(client=("Maya",))  # good_listening.srt names its client


def _file(name: str) -> TranscriptFile:
    return TranscriptFile(name=name, data=(EXAMPLES / name).read_bytes())


def _make(record: Record, who: str = "ada", files: tuple[str, ...] = ("good_listening.srt",),
          coders: tuple[str, ...] = ("tom", "tess")) -> int:
    with record.store.transaction(who) as tx:
        return create_project(tx, ProjectRequest(
            name="uploads", codebook=BOOK, sessions=[], coders=list(coders),
            transcripts=[_file(f) for f in files], speakers=MAYA))


def _code(record: Record, project: int, unit: int, who: str, labels: list[str],
          *, finish: bool = True) -> None:
    with record.store.transaction(who) as tx:
        roles = [t["role"] for t in unit_turns(tx, project, unit)]
        for i, role in enumerate(roles):
            code_turn(tx, project, unit, i, labels if role == "therapist" else [], None)
        if finish:
            finish_unit(tx, project, unit)


def _affirm(record: Record, project: int, who: str = "sam") -> CodeAgreement:
    with record.store.transaction(who) as tx:
        pair = next(p for p in project_state(tx, project).pairs() if {p.a, p.b} == {"tom",
                                                                                    "tess"})
    return next(c.agreement for c in pair.codes if c.code == "affirm")


def _count(record: Record, model: type[object]) -> int:
    with record.store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def test_an_admin_makes_a_project_of_uploads_and_it_codes_like_any(record: Record) -> None:
    project = _make(record, files=("good_listening.srt", "rupture_repair.txt"))
    with record.store.transaction("tom") as tx:
        view = show_project(tx, project)
        assert view.deidentified and view.maker == "ada"
        assert [u.label for u in view.units] == ["transcript 1", "transcript 2"]
        assert all(u.uploaded for u in view.units)
        srt, txt = view.units
        turns = unit_turns(tx, project, srt.id)
    assert srt.timed and not txt.timed
    text = " ".join(t["text"] for t in turns)
    assert "Maya" not in text  # the client's name, de-identified for every coder
    assert {t["role"] for t in turns} == {"therapist", "client"}
    # stored encrypted: the raw row holds no word of the transcript
    with record.store.engine.connect() as conn:
        raw = conn.execute(sa.select(CodingUnit.turns_enc)).scalars().all()
    assert raw and all(b"Counselor" not in r and b"job offer" not in r for r in raw)

    _code(record, project, srt.id, "tom", ["affirm"])
    _code(record, project, srt.id, "tess", ["affirm", "normalize"])
    with record.store.transaction("ada") as tx:
        state = project_state(tx, project)
        assert state.units[0].disputed  # tess gave normalize too
        for i in state.units[0].disputed:
            decide_turn(tx, project, srt.id, i, ["affirm"], "no normalising here")
    assert _affirm(record, project, "ada").n == sum(1 for t in turns
                                                   if t["role"] == "therapist")
    with record.store.transaction("ada") as tx:
        state = project_state(tx, project)
        gold, left_out = gold_jsonl(state)
        csv_text = code_table_csv(state, "tom")
        eaf = unit_eaf(state, state.units[0])
    assert left_out == 1  # transcript 2 is not coded
    records = [json.loads(line) for line in gold.splitlines()]
    assert {r["session"] for r in records} == {f"unit-{srt.id}"}
    assert "Maya" not in gold and "Maya" not in csv_text
    check_eaf(eaf)
    with record.store.engine.connect() as conn:
        reads = conn.execute(sa.select(AuditEntry.actor).where(
            AuditEntry.entity == "coding_unit", AuditEntry.action == "read")).scalars().all()
    assert {"tom", "ada"} <= set(reads)


def test_a_bad_file_is_one_error_and_nothing_is_stored(record: Record) -> None:
    bad = TranscriptFile(name="broken.srt", data=b"1\n00:00:09 --> nonsense\nhello\n")
    with pytest.raises(RapportInputError) as caught, record.store.transaction("ada") as tx:
        create_project(tx, ProjectRequest(name="x", codebook=BOOK, sessions=[],
                                          coders=["tom"],
                                          transcripts=[_file("rupture_repair.txt"), bad]))
    assert "broken.srt" in caught.value.where and caught.value.fix
    assert _count(record, CodingProject) == 0 and _count(record, CodingUnit) == 0


def test_a_file_without_roles_is_refused(record: Record) -> None:
    with pytest.raises(RapportInputError) as caught, record.store.transaction("ada") as tx:
        create_project(tx, ProjectRequest(name="x", codebook=BOOK, sessions=[],
                                          coders=["tom"], transcripts=[
                                              _file("rupture_repair.txt"),
                                              _file("good_listening.srt")]))
    assert caught.value.code == "unknown_speaker" and "good_listening.srt" in caught.value.where
    assert "--client-speaker Maya" in (caught.value.fix or "")
    assert _count(record, CodingProject) == 0


def test_admins_make_projects_of_uploads_only(record: Record) -> None:
    with pytest.raises(RapportInputError) as caught, record.store.transaction("ada") as tx:
        create_project(tx, ProjectRequest(name="x", codebook=BOOK, sessions=[("C-001", 1)],
                                          coders=["tom"]))
    assert caught.value.code == "forbidden" and "upload" in (caught.value.fix or "")
    assert _count(record, CodingProject) == 0


def test_a_therapist_mixes_a_stored_session_with_an_upload(record: Record) -> None:
    with record.store.transaction("tom") as tx:
        project = create_project(tx, ProjectRequest(
            name="mixed", codebook=BOOK, sessions=[("C-001", 1)], coders=["tom", "sam"],
            transcripts=[_file("rupture_repair.txt")]))
        view = show_project(tx, project)
    # tom and sam read C-001's record: the stored session stays as it is
    assert not view.deidentified
    assert [(u.label, u.uploaded) for u in view.units] == [
        ("C-001 session 1", False), ("transcript 2", True)]


def test_coders_and_sessions_added_and_a_session_reopened(record: Record) -> None:
    project = _make(record, coders=("tom",))
    with record.store.transaction("tom") as tx:
        (unit,) = show_project(tx, project).units
    _code(record, project, unit.id, "tom", ["affirm"])
    with record.store.transaction("ada") as tx:
        add_members(tx, project, ["tess"], ["sam"])
        added = add_sessions(tx, project, [], [_file("rupture_repair.txt")])
    _code(record, project, unit.id, "tess", [])
    with record.store.transaction("tess") as tx:
        view = show_project(tx, project)
        assert view.coders == ("tess", "tom") and "sam" in view.adjudicators
        assert [u.id for u in view.units] == [unit.id, *added]
        assert view.units[1].label == "transcript 2"
    before = _affirm(record, project)
    assert before.n > 0 and before.cohen_kappa is not None and before.cohen_kappa < 1

    # only the maker or an admin changes a project; members may not
    for who in ("tom", "sam"):
        with pytest.raises(RapportInputError) as caught, record.store.transaction(who) as tx:
            reopen_unit(tx, project, unit.id, "tom")
        assert caught.value.code == "not_found"
    with pytest.raises(RapportInputError) as caught, record.store.transaction("ada") as tx:
        reopen_unit(tx, project, added[0], "tom")
    assert caught.value.code == "not_finished"

    with record.store.transaction("ada") as tx:
        reopen_unit(tx, project, unit.id, "tom")
    # tom may change his codes again; agreement counts his turns once he finishes
    assert _affirm(record, project).n == before.n  # his saved codes still count
    _code(record, project, unit.id, "tom", [])
    after = _affirm(record, project)
    with record.store.transaction("sam") as tx:
        history = project_history(tx, project)
    assert after.cohen_kappa != before.cohen_kappa
    assert [e.kind for e in history] == ["members_added", "sessions_added", "reopened"]
    assert all(e.by == "ada" for e in history) and "for tom" in history[2].detail


def test_a_plain_project_takes_no_outsider(record: Record) -> None:
    with record.store.transaction("tom") as tx:
        project = create_project(tx, ProjectRequest(
            name="plain", codebook=BOOK, sessions=[("C-001", 1)], coders=["sam"]))
    with pytest.raises(RapportInputError) as caught, record.store.transaction("tom") as tx:
        add_members(tx, project, ["tess"], [])
    assert caught.value.code == "not_deidentified"
    assert _count(record, CodingEvent) == 0


def test_deleting_the_project_deletes_its_uploads(record: Record) -> None:
    project = _make(record)
    with record.store.transaction("tom") as tx:
        (unit,) = show_project(tx, project).units
    _code(record, project, unit.id, "tom", ["affirm"], finish=False)
    assert _count(record, CodingLabel) > 0
    with pytest.raises(RapportInputError), record.store.transaction("tom") as tx:
        delete_project(tx, project)  # a coder, not the maker
    with record.store.transaction("ada") as tx:
        delete_project(tx, project)
    assert _count(record, CodingUnit) == 0 and _count(record, CodingLabel) == 0


def test_uploads_survive_backup_and_restore(record: Record, tmp_path: Path) -> None:
    from rapport.store.backup import backup, restore

    project = _make(record)
    with record.store.transaction("tom") as tx:
        (unit,) = show_project(tx, project).units
    _code(record, project, unit.id, "tom", ["affirm"])
    with record.store.transaction("ada") as tx:
        reopen_unit(tx, project, unit.id, "tom")

    def snapshot() -> tuple[object, ...]:
        with record.store.transaction("ada") as tx:
            state = project_state(tx, project)
            events = [(e.kind, e.detail) for e in project_history(tx, project)]
        (u,) = state.units
        return u.turns, u.codes, events

    before = snapshot()
    saved = backup(record.store, tmp_path / "record.bak")
    with record.store.transaction("ada") as tx:
        delete_project(tx, project)
    restore(record.store, saved)
    assert snapshot() == before


def test_an_adjudicator_who_may_not_read_the_record_gets_it_deidentified(
        record: Record) -> None:
    # tess adjudicates (she reads the turns) but is not C-001's therapist or supervisor
    with record.store.transaction("tom") as tx:
        project = create_project(tx, ProjectRequest(
            name="outside adjudicator", codebook=BOOK, sessions=[("C-001", 1)],
            coders=["sam"], adjudicators=["tess"]))
        view = show_project(tx, project)
    assert view.deidentified and [u.label for u in view.units] == ["session 1"]
    with record.store.transaction("tess") as tx:
        text = " ".join(t["text"] for t in unit_turns(tx, project, view.units[0].id))
    assert text


def test_a_withdrawn_consent_hides_the_stored_session_not_the_uploads(record: Record
                                                                      ) -> None:
    # tess codes too and may not read C-001: the project is de-identified
    with record.store.transaction("tom") as tx:
        project = create_project(tx, ProjectRequest(
            name="mixed", codebook=BOOK, sessions=[("C-001", 1)], coders=["tess"],
            transcripts=[_file("rupture_repair.txt")]))
    with record.store.transaction("tom") as tx:
        withdraw_consent(tx, "C-001", ConsentKind.RESEARCH, on=DAY)
    with record.store.transaction("tess") as tx:
        (left,) = show_project(tx, project).units
        assert left.label == "transcript 2" and left.uploaded
        # the coding screen's save still finds the uploaded unit (no client to join)
        assert code_turn(tx, project, left.id, 0, ["affirm"], "n") == ["affirm"]
