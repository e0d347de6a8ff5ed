"""Ingest: read the transcript formats people actually have into :class:`Session` objects.

>>> from rapport.ingest import parse_bytes
>>> result = parse_bytes(b"T: How are you?\\nC: Tired.\\n", name="s1.txt")
>>> [t.role.value for t in result.sessions[0].turns]
['therapist', 'client']

Formats, role mapping, limits and the JSONL interchange format: ``docs/formats.md``.
"""

from rapport.ingest.api import ImportResult, RoleMap, load_sessions, parse_bytes
from rapport.ingest.jsonl import dump_sessions

__all__ = ["ImportResult", "RoleMap", "dump_sessions", "load_sessions", "parse_bytes"]
