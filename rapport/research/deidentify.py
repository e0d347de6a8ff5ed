"""De-identify coded sessions for export: text and speakers replaced, codes kept.

Turns are fixed at import, so each code stays on its turn; only the session id (now a
keyed pseudonym) changes on the ``TurnCodes``. All sessions of one export share one salt
(random unless given), as ``rapport.deid.deidentify_sessions`` does.
"""

from __future__ import annotations

from rapport.domain import CodedSession
from rapport.errors import RapportInputError
from rapport.research.sources import CodedCorpus


def deidentify_corpus(corpus: CodedCorpus, *, salt: str | None = None
                      ) -> tuple[CodedCorpus, dict[str, int]]:
    """A de-identified copy of ``corpus`` and the counts of identifiers replaced, by type."""
    try:
        from rapport.deid import deidentify_sessions
    except ImportError as exc:  # the research extra is optional
        raise RapportInputError(f"de-identification is not installed ({exc.name} missing)",
                                fix="pip install 'rapportkit[research]', or pass "
                                "--keep-identifiers for data you may share identified",
                                code="missing_extra") from None
    done = deidentify_sessions([c.session for c in corpus.coded], salt=salt)
    coded = []
    totals: dict[str, int] = {}
    for original, (session, report) in zip(corpus.coded, done, strict=True):
        codes = tuple(tc.model_copy(update={"session_id": session.id})
                      for tc in original.codes)
        coded.append(CodedSession(session=session, codes=codes, families=original.families,
                                  models=original.models))
        for kind, n in report.counts.items():
            totals[kind] = totals.get(kind, 0) + n
    return CodedCorpus(coded=coded, families=corpus.families, models=corpus.models), totals
