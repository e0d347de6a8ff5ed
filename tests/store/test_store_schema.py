"""Migrations: they build exactly the models, on both backends, and commands check them."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rapport.errors import RapportInputError
from rapport.store.database import Store
from rapport.store.models import Base
from rapport.store.tx import Tx


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(store: Store) -> None:
    assert store.upgrade() == store.head_revision()
    assert store.current_revision() == store.head_revision()


def test_commands_refuse_a_record_without_tables(db_url: str) -> None:
    fresh = Store(db_url)
    try:
        with pytest.raises(RapportInputError) as err, fresh.transaction("ada"):
            pass
        assert err.value.code == "schema_outdated"
        assert "rapport db upgrade" in (err.value.fix or "")
    finally:
        fresh.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    finally:
        store.dispose()


def test_unsupported_backend_is_an_input_error() -> None:
    with pytest.raises(RapportInputError) as err:
        Store("mysql://db/x")
    assert err.value.code == "bad_setting"


def test_a_constraint_violation_is_a_clear_error_and_writes_nothing(store: Store) -> None:
    from rapport.store.models import AppSetting

    with pytest.raises(RapportInputError) as err, store.transaction(None) as tx:
        tx.db.add(AppSetting(name="retention_days", value="1"))
        tx.db.flush()
        tx.db.add(AppSetting(name="other", value="2"))
        tx.db.flush()
        tx.db.execute(AppSetting.__table__.insert().values(name="retention_days", value="3"))
    assert err.value.code == "conflict"
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM app_settings").scalar() == 0


def test_0004_keeps_older_duplicate_questionnaires_without_a_session(db_url: str) -> None:
    # A record made before 0004 may hold duplicates (PostgreSQL stored them under
    # simultaneous submissions): the migration moves the older ones, never deletes.
    import sqlalchemy as sa

    from rapport.store.models import AuditEntry
    from rapport.store.responses import list_responses

    store = old_record(db_url, "0003")
    try:
        with store.transaction("tom", check_schema=False) as tx:
            ids = [old_response(tx, "C-001", "phq9", {"1": n}, {"total": n}, 1)
                   for n in (1.0, 2.0, 3.0)]
            old_response(tx, "C-001", "gad7", {}, {"total": 0.0}, 1)
        store.upgrade()
        with store.transaction("tom") as tx:
            kept = {r.id: (r.session_number, r.answers) for r in list_responses(tx, "C-001")}
            moves = tx.db.scalars(sa.select(AuditEntry.detail).where(
                AuditEntry.interface == "migration").order_by(AuditEntry.id)).all()
        assert len(kept) == 4  # nothing deleted, answers intact
        assert [kept[i] for i in ids] == [(None, {"1": 1.0}), (None, {"1": 2.0}),
                                          (1, {"1": 3.0})]  # the newest keeps session 1
        assert moves == [f"response={i} kept without session 1: response={ids[2]} is "
                         "that session's phq9" for i in ids[:2]]
    finally:
        store.dispose()


def test_0005_stores_the_scores_of_responses_recorded_before_it(db_url: str) -> None:
    # Responses recorded before 0005 get their band and side of the cut-off from their
    # stored total (no key needed) where they were scored under today's definition; the
    # others are left for re-scoring when read.
    import sqlalchemy as sa

    from rapport.measures.catalog import definition_version, get_instrument
    from rapport.measures.scoring import score
    from rapport.measures.stored import administrations, scoring_fingerprint
    from rapport.store.models import QuestionnaireResponse
    from rapport.store.responses import list_responses

    phq9 = get_instrument("phq9")
    answers = dict(zip(phq9.item_ids, [3, 3, 2, 2, 2, 1, 1, 1, 1], strict=True))
    result = score(phq9, answers)
    store = old_record(db_url, "0004")
    try:
        with store.transaction("tom", check_schema=False) as tx:
            current = old_response(tx, "C-001", "phq9", answers, {"total": result.total},
                                   1, version=definition_version(phq9))
            older = old_response(tx, "C-001", "phq9", answers, {"total": 99.0}, 2,
                                 version="an-old-one")
            unknown = old_response(tx, "C-001", "retired-scale", {}, {"total": 1.0}, 3)
        store.upgrade()
        with store.transaction("tom") as tx:
            rows = {r.id: r for r in tx.db.scalars(sa.select(QuestionnaireResponse))}
            read = list_responses(tx, "C-001")
        assert (rows[current].band, rows[current].in_clinical_range,
                rows[current].scored_with) == (result.band, result.in_clinical_range,
                                               scoring_fingerprint(phq9))
        assert result.band == "Moderately severe depression"
        for untouched in (older, unknown):
            assert (rows[untouched].band, rows[untouched].scored_with) == (None, None)
        grouped, warnings = administrations(read, {})
        # the stored one as stored; the old one re-scored from its answers, and said so
        assert [a.score.total for a in grouped["phq9"]] == [result.total, result.total]
        assert [a.score.band for a in grouped["phq9"]] == [result.band, result.band]
        assert any(f"response {older}: stored under another" in w for w in warnings)
        assert any(f"response {unknown}: unknown instrument" in w for w in warnings)
    finally:
        store.dispose()


def test_0010_keeps_every_response_counting_and_the_index_unique(db_url: str) -> None:
    # Responses recorded before 0010 count as before; the one-per-session index still
    # refuses a second one that counts, and lets a marked one sit beside its replacement.
    import sqlalchemy as sa

    from rapport.errors import RapportInputError
    from rapport.store.responses import list_responses, mark_entered_in_error

    store = old_record(db_url, "0009")
    try:
        with store.transaction("tom", check_schema=False) as tx:
            first = old_response(tx, "C-001", "phq9", {"1": 1.0}, {"total": 1.0}, 1)
        store.upgrade()
        with store.transaction("tom") as tx:
            (kept,) = list_responses(tx, "C-001")
        assert (kept.id, kept.entered_in_error) == (first, None)
        with pytest.raises(RapportInputError) as refused, store.transaction("tom") as tx:
            old_response(tx, "C-001", "phq9", {"1": 2.0}, {"total": 2.0}, 1)
        assert refused.value.code == "conflict"  # the unique index, not a check before it
        with store.transaction("tom") as tx:
            mark_entered_in_error(tx, "C-001", first, reason="wrong answers")
            second = old_response(tx, "C-001", "phq9", {"1": 2.0}, {"total": 2.0}, 1)
            assert [r.id for r in list_responses(tx, "C-001")] == [second]
            assert tx.db.scalar(sa.text("SELECT count(*) FROM questionnaire_responses")) == 2
    finally:
        store.dispose()


def old_record(db_url: str, revision: str) -> Store:
    """A record at ``revision`` with ada (admin), tom (therapist) and tom's client C-001,
    made with the code of today where that schema allows it."""
    from rapport.store.clients import add_client
    from rapport.store.permissions import UserRole
    from rapport.store.users import add_user

    store = Store(db_url, key=base64.b64encode(os.urandom(32)).decode())
    store.upgrade(revision)
    with store.transaction(None, check_schema=False) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    with store.transaction("ada", check_schema=False) as tx:
        add_user(tx, "tom", UserRole.THERAPIST)
    with store.transaction("tom", check_schema=False) as tx:
        add_client(tx, "C-001")
    return store


def old_response(tx: Tx, code: str, instrument: str, answers: dict[str, float],
                 scores: dict[str, float], session: int | None, *, version: str = "1"
                 ) -> int:
    """A response as a record before 0005 stored it (the columns of that time only)."""
    import datetime as dt
    import json

    import sqlalchemy as sa

    from rapport.store.clients import find_client
    from rapport.store.models import UTCDateTime

    table = sa.table("questionnaire_responses", sa.column("id", sa.Integer),
                     sa.column("client_id", sa.Integer), sa.column("session_number"),
                     sa.column("instrument_id"), sa.column("instrument_version"),
                     sa.column("answers_enc", sa.LargeBinary), sa.column("scores", sa.JSON),
                     sa.column("recorded_at", UTCDateTime()), sa.column("recorded_by"))
    return int(tx.db.execute(sa.insert(table).values(
        client_id=find_client(tx, code).id, session_number=session, instrument_id=instrument,
        instrument_version=version,
        answers_enc=tx.encrypt(json.dumps(answers), "questionnaire_responses.answers"),
        scores=scores, recorded_at=dt.datetime.now(dt.UTC),
        recorded_by=tx.me().id).returning(table.c.id)).scalar_one())
