"""Ingest: read the transcript formats people actually have into :class:`Session` objects.

>>> from rapport.ingest import parse_bytes
>>> result = parse_bytes(b"T: How are you?\\nC: Tired.\\n", name="s1.txt")
>>> [t.role.value for t in result.sessions[0].turns]
['therapist', 'client']
"""

from rapport.ingest.api import ImportResult, RoleMap, load_sessions, parse_bytes

__all__ = ["ImportResult", "RoleMap", "load_sessions", "parse_bytes"]
