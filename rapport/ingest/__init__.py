"""Ingest: read the transcript formats people actually have into :class:`Session` objects.

>>> from rapport.ingest import parse_bytes
>>> result = parse_bytes(b"T: How are you?\\nC: Tired.\\n", name="s1.txt")
>>> [t.role.value for t in result.sessions[0].turns]
['therapist', 'client']

Formats, role mapping, limits and the JSONL interchange format: ``docs/formats.md``.
"""

from rapport.ingest.api import ImportResult, RoleMap, load_sessions, parse_bytes
from rapport.ingest.files import (
    ReadSession,
    all_warnings,
    expand_paths,
    iter_sessions,
    read_sessions,
)
from rapport.ingest.formats import FORMATS, SUFFIXES, Format
from rapport.ingest.jsonl import dump_sessions
from rapport.ingest.parquet_corpus import corpus_session_ids, read_corpus
from rapport.ingest.speaker_roles import read_speaker_roles, role_map

__all__ = ["FORMATS", "SUFFIXES", "Format", "ImportResult", "ReadSession", "RoleMap",
           "all_warnings", "corpus_session_ids", "dump_sessions", "expand_paths",
           "iter_sessions", "load_sessions", "parse_bytes", "read_corpus", "read_sessions",
           "read_speaker_roles", "role_map"]
