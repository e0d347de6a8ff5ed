"""A researcher makes a coding project from the pseudonymous sessions of the research pages
(both backends): always de-identified, only under a current research consent, and the
session leaves it when that consent is withdrawn even if a sharing consent remains."""

from __future__ import annotations

import pytest
from workbench_world import DAY, Record

from rapport.errors import RapportInputError
from rapport.store.coding import show_project, unit_turns
from rapport.store.consents import ConsentKind, add_consent, withdraw_consent
from rapport.store.research import research_analyses
from rapport.workbench.codebook import relationship_codebook
from rapport.workbench.projects import ProjectRequest, code_turn, create_project

BOOK = relationship_codebook()


def _request(sessions: list[tuple[str, int]], coders: list[str]) -> ProjectRequest:
    return ProjectRequest(name="research pilot", codebook=BOOK, sessions=sessions,
                          coders=coders)


def test_a_researcher_codes_pseudonymous_sessions_de_identified(record: Record) -> None:
    with record.store.transaction("rita") as tx:
        ref = research_analyses(tx)[0].client_ref
        project = create_project(tx, _request([(ref, 1)], ["rita", "sam"]))
        view = show_project(tx, project)
        (unit,) = view.units
        assert view.deidentified and unit.label == "session 1"
        assert unit_turns(tx, project, unit.id)[0]["text"]
        code_turn(tx, project, unit.id, 0, ["seek_collaboration"], None)
        # client codes mean nothing to a researcher: "not found", like any other session
        with pytest.raises(RapportInputError) as caught:
            create_project(tx, _request([("C-001", 1)], ["rita"]))
        assert caught.value.code == "not_found"
    # the pseudonym is no way in for anyone else
    with record.store.transaction("tom") as tx, pytest.raises(RapportInputError) as caught:
        create_project(tx, _request([(ref, 1)], ["sam"]))
    assert caught.value.code == "not_found"

    # sharing covers in-clinic projects only: withdrawing research empties rita's project
    with record.store.transaction("tom") as tx:
        add_consent(tx, "C-001", ConsentKind.SHARING, given_on=DAY)
        clinic = create_project(tx, _request([("C-001", 1)], ["tess"]))
        withdraw_consent(tx, "C-001", ConsentKind.RESEARCH, on=DAY)
    with record.store.transaction("rita") as tx:
        assert show_project(tx, project).units == ()
        with pytest.raises(RapportInputError) as caught:
            code_turn(tx, project, unit.id, 1, [], None)
        assert caught.value.code == "not_found"
    with record.store.transaction("tess") as tx:
        assert len(show_project(tx, clinic).units) == 1


def test_admins_make_no_projects_of_stored_sessions(record: Record) -> None:
    # admins read no client records (their projects are of uploaded transcripts:
    # test_workbench_uploads.py)
    with record.store.transaction("ada") as tx, pytest.raises(RapportInputError) as caught:
        create_project(tx, _request([("C-001", 1)], ["sam"]))
    assert caught.value.code == "forbidden"
