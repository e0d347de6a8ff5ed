"""Code and analyse sessions: the single path from a parsed session to a finished report.

Every face calls this module (CLI ``analyze``/``code``, web upload, the demo, batch and
research exports): it selects the coders, applies the language rule once, codes, runs the
report sections and builds the document. Reading files is ingest's job
(:mod:`rapport.ingest.files`); writing them is :mod:`rapport.pipeline.outputs`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapport.coding.utterance.punctuation import UNPUNCTUATED_NOTE, coded_without_punctuation
from rapport.domain import Code, CodedSession, Session, SessionCoder, TurnCodes, codes_language
from rapport.pipeline.coders import all_families, load_coders
from rapport.pipeline.sections import load_sections
from rapport.report.document import AnalysisDocument, build_document
from rapport.report.section import AnalysisContext, Computed, compute_sections

if TYPE_CHECKING:
    from rich.console import Console

    from rapport.ingest.files import ReadSession
    from rapport.settings import Settings


@dataclass(frozen=True)
class AnalyzeOptions:
    """What to run: the coder preset, which coders (None: the defaults), media inputs
    (``audio``/``video`` paths) and options for sections (``{"nonverbal": {...}}``)."""

    preset: str = "fast"
    coders: tuple[str, ...] | None = None
    media: Mapping[str, Path] = field(default_factory=dict)
    section_options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, *, preset: str | None = None,
                      coders: Sequence[str] | None = None,
                      media: Mapping[str, Path] | None = None) -> AnalyzeOptions:
        return cls(preset=preset or settings.preset,
                   coders=tuple(coders) if coders else None, media=dict(media or {}))

    def load_coders(self) -> list[SessionCoder]:
        return load_coders(self.preset, self.coders)


@dataclass
class Analysis:
    """A finished analysis: the document plus what rendering needs."""

    document: AnalysisDocument
    context: AnalysisContext
    computed: list[Computed[Any]]

    @property
    def session_id(self) -> str:
        return self.document.session.id

    def to_json(self) -> str:
        return self.document.model_dump_json(indent=2)

    def to_html(self) -> str:
        from rapport.pipeline.words import code_words, token_words
        from rapport.report.html import Words, render_report

        return render_report(self.document, self.context, self.computed,
                             Words(code=code_words, token=token_words))

    def print_summary(self, console: Console) -> None:
        from rapport.report.terminal import print_summary

        print_summary(self.document, self.computed, console)


def code_session(session: Session, coders: Sequence[SessionCoder]) -> CodedSession:
    """Code one session with every coder and merge the codes per turn.

    The language rule lives here, once: the bundled coders read English (any ``en-*``);
    a session in another language keeps its turns and the language-independent sections.
    """
    merged: list[list[Code]] = [[] for _ in session.turns]
    models = {c.model_id: [c.model_id] for c in coders}
    for coder in coders if codes_language(session.language) else ():
        coded = coder.code_session(session)
        for tc in coded:
            merged[tc.turn_index].extend(tc.codes)
        # a coder may hand a session to a companion model (the utterance coder's
        # punctuation-free one); the record names the models that made the codes
        used = list(dict.fromkeys(c.source for tc in coded for c in tc.codes))
        models[coder.model_id] = used or [coder.model_id]
    codes = tuple(TurnCodes(session_id=session.id, turn_index=i,
                            codes=tuple(_risk_is_not_change_talk(c)))
                  for i, c in enumerate(merged))
    return CodedSession(session=session, codes=codes, families=all_families(coders),
                        models=tuple(m for ids in models.values() for m in ids))


#: ``source`` of a code changed by a rule of the pipeline rather than made by a coder.
RISK_RULE = "rule:risk-is-not-change-talk"


def _risk_is_not_change_talk(codes: list[Code]) -> list[Code]:
    """A turn with risk language never counts as change talk ("I've been thinking about
    how I'd do it" is not a step towards change): its ``change`` label becomes
    ``neutral``, marked as the pipeline's rule."""
    if not any(c.value is True and c.name.startswith("risk_") for c in codes):
        return codes
    return [Code(name=c.name, value="neutral", confidence=1.0, source=RISK_RULE,
                 evidence=("risk language: not counted as change talk",))
            if c.name == "client_talk" and c.value == "change" else c for c in codes]


def code_sessions(sessions: Iterable[Session], coders: Sequence[SessionCoder]
                  ) -> list[CodedSession]:
    return [code_session(s, coders) for s in sessions]


def analyze_coded(coded: CodedSession, *, media: Mapping[str, Path] | None = None,
                  options: Mapping[str, Any] | None = None,
                  warnings: Iterable[str] = ()) -> Analysis:
    """Run every registered report section over one coded session."""
    notes = [UNPUNCTUATED_NOTE] if coded_without_punctuation(coded.models) else []
    ctx = AnalysisContext(coded=coded, media=dict(media or {}), options=dict(options or {}),
                          warnings=[*warnings, *notes])
    computed = compute_sections(ctx, load_sections())
    return Analysis(document=build_document(ctx, computed), context=ctx, computed=computed)


def analyze(session: Session, options: AnalyzeOptions | None = None, *,
            warnings: Iterable[str] = ()) -> Analysis:
    """One session from parsed turns to the finished analysis."""
    options = options or AnalyzeOptions()
    coded = code_session(session, options.load_coders())
    return analyze_coded(coded, media=options.media, options=options.section_options,
                         warnings=warnings)


def analyze_all(read: Iterable[ReadSession], options: AnalyzeOptions | None = None
                ) -> Iterator[Analysis]:
    """Analyses of sessions read by :func:`rapport.ingest.read_sessions`, one at a time,
    each carrying the warnings that concern it."""
    for item in read:
        yield analyze(item.session, options, warnings=item.warnings)
