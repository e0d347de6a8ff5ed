"""What a coding project is made from: stored sessions with their newest analysis (or
transcripts uploaded with the project: ``workbench/projects.py`` reads those).

The person making a project must be able to read every session's client; for each coder
the store says whether that coder may read the client too (else the workbench copies the
turns de-identified, and only under a current ``research`` or ``sharing`` consent). A
researcher reads no client record: they name sessions by the pseudonym of the research
pages (``p-...:NUMBER``, ``store/research.py``), and no coder counts as a reader, so the
project is always de-identified.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.clients import current_consent_kinds, find_client
from rapport.store.models import Client, StoredAnalysis, User
from rapport.store.permissions import Actor, UserRole, readable_clients, require_role
from rapport.store.research import research_session_documents
from rapport.store.sessions import find_session
from rapport.store.tx import Tx


@dataclass(frozen=True)
class SourceSession:
    session_id: int
    client_code: str
    number: int
    document: str  # the analysis JSON (decrypted; audited as a read)
    consents: tuple[str, ...]
    #: The asked-about users who may read this client's record themselves.
    readers: frozenset[str]


def _actor(tx: Tx, username: str) -> Actor:
    user = tx.db.scalar(sa.select(User).where(User.username == username, User.active))
    if user is None:
        raise RapportInputError(f"no active user named {username[:64]!r}", where="coders",
                                fix="check the name (`rapport users list`)",
                                code="unknown_user")
    return Actor(id=user.id, username=user.username, role=UserRole(user.role))


def require_transcript_maker(tx: Tx) -> None:
    """Who may make a project from uploaded transcripts (no client record is read)."""
    require_role(tx.me(), UserRole.THERAPIST, UserRole.SUPERVISOR, UserRole.RESEARCHER,
                 UserRole.ADMIN, doing="making a coding project from uploaded transcripts")


def read_sources(tx: Tx, refs: list[tuple[str, int]], usernames: list[str]
                 ) -> list[SourceSession]:
    """The sessions ``refs`` (client code, session number) with their newest analysis."""
    if tx.me().role is UserRole.RESEARCHER:
        for name in dict.fromkeys(usernames):
            _actor(tx, name)
        return [SourceSession(session_id=sid, client_code=ref, number=number,
                              document=document, consents=("research",),
                              readers=frozenset())
                for (ref, _), (sid, _, number, document) in zip(
                    dict.fromkeys(refs), research_session_documents(tx, refs), strict=True)]
    if tx.me().role is UserRole.ADMIN:
        raise RapportInputError("admins read no client records, so they make coding "
                                "projects from uploaded transcripts only", where="sessions",
                                fix="upload the transcripts instead (--transcript FILE), or "
                                "ask a therapist, supervisor or researcher", code="forbidden")
    require_role(tx.me(), UserRole.THERAPIST, UserRole.SUPERVISOR, doing="making a coding "
                 "project from stored sessions")
    people = [_actor(tx, name) for name in dict.fromkeys(usernames)]
    out = []
    for code, number in dict.fromkeys(refs):
        client = find_client(tx, code)
        session = find_session(tx, client, number)
        analysis = tx.db.scalar(sa.select(StoredAnalysis).where(
            StoredAnalysis.session_id == session.id, StoredAnalysis.document_enc.is_not(None))
            .order_by(StoredAnalysis.id.desc()).limit(1))
        if analysis is None or analysis.document_enc is None:
            raise RapportInputError(f"session {number} of {code} has no stored analysis",
                                    where="sessions", fix="analyse the transcript first "
                                    "(upload it, or `rapport analyze FILE --client CODE`)",
                                    code="no_analysis")
        readers = frozenset(p.username for p in people if tx.db.scalar(
            sa.select(Client.id).where(Client.id == client.id, readable_clients(p))))
        tx.audit("read", "analysis", subject=client.uid,
                 detail=f"analysis={analysis.id} for=coding")
        out.append(SourceSession(
            session_id=session.id, client_code=client.code, number=number,
            document=tx.decrypt(analysis.document_enc, "analyses.document"),
            consents=current_consent_kinds(tx, client), readers=readers))
    return out
