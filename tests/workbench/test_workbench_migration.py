"""Migration 0008 (projects from uploaded transcripts) keeps every code, finished mark and
decision of a record made at 0007, on both backends: on SQLite it must not rebuild
``coding_units``, whose children would be deleted by the cascade."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from workbench_world import populate

from rapport.settings import get_settings
from rapport.store.coding import finish_unit, show_project
from rapport.store.crypto import write_key_file
from rapport.store.database import Store
from rapport.store.models import CodingDecision, CodingFinished, CodingLabel
from rapport.workbench.codebook import relationship_codebook
from rapport.workbench.projects import ProjectRequest, code_turn, create_project, decide_turn
from rapport.workbench.state import project_state


def test_0008_keeps_a_0007_projects_codes(db_url: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "rapport.key"
    write_key_file(key)
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(key))
    monkeypatch.setenv("RAPPORT_DATABASE_URL", db_url)
    store = Store.from_settings(get_settings())
    try:
        assert store.upgrade("0007") == "0007"
        # the workbench's own functions write the 0007 rows (0008 changed none they use)
        patch = monkeypatch.context()
        patch.__enter__().setattr(store, "require_current_schema", lambda: None)
        record = populate(store)
        with record.store.transaction("tom") as tx:
            project = create_project(tx, ProjectRequest(
                name="old", codebook=relationship_codebook(), sessions=[("C-001", 1)],
                coders=["sam"]))
            (unit,) = show_project(tx, project).units
        with store.transaction("sam") as tx:
            for i in range(unit.n_turns):
                code_turn(tx, project, unit.id, i, ["affirm"] if i == 2 else [], "n")
            finish_unit(tx, project, unit.id)
        with store.transaction("tom") as tx:
            decide_turn(tx, project, unit.id, 2, ["affirm"], "kept")
            before = project_state(tx, project)

        def counts() -> list[int]:
            with store.engine.connect() as conn:
                return [int(conn.execute(sa.select(sa.func.count()).select_from(m))
                            .scalar_one()) for m in (CodingLabel, CodingFinished,
                                                     CodingDecision)]

        kept = counts()
        assert kept == [unit.n_turns, 1, 1]
        patch.__exit__(None, None, None)
        assert store.upgrade() == store.head_revision()
        assert counts() == kept
        with store.transaction("tom") as tx:
            after = project_state(tx, project)
        (old,), (new,) = before.units, after.units
        assert (new.codes, new.notes, new.gold, new.turns) == (old.codes, old.notes,
                                                                old.gold, old.turns)
        if store.backend == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.dispose()
