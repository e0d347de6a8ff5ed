"""De-identification never touches the network, not even to load its model."""

from __future__ import annotations

import pytest_socket

from rapport.deid import engine, find_identifiers


def test_engine_builds_and_runs_with_every_socket_blocked() -> None:
    engine.analyzer.cache_clear()  # build it again here, under the strictest block
    pytest_socket.disable_socket(allow_unix_socket=False)
    try:
        spans = find_identifiers("Email jo@example.co.uk or call +44 20 7946 0958.")
    finally:
        pytest_socket.enable_socket()
    assert [s.type.value for s in spans] == ["EMAIL", "PHONE"]


def test_email_recogniser_uses_the_bundled_suffix_list_only() -> None:
    recognizer = engine.offline_email_recognizer()
    assert recognizer.validate_result("a@b.example.com") is True
    assert recognizer.validate_result("a@b.notarealsuffix") is False


def test_model_is_loaded_from_the_installed_package_folder() -> None:
    path = engine.spacy_model_path()
    assert engine.SPACY_PACKAGE in path
    nlp = engine.analyzer().nlp_engine.nlp["en"]
    assert nlp.pipe_names == ["ner"]
