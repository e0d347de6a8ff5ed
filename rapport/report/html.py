"""Self-contained HTML report: one file, inline CSS, SVG and JS, no network, prints to PDF.

Templates live in ``templates/`` and are rendered with autoescaping on, so session text
can never inject markup. Each box renders its own sections' fragments with its own
templates (through :func:`template_env`); this page puts them together with the figures
a section shows at the top (``header_html``) and the tags it puts on transcript turns
(``turn_marks``, e.g. ``rupture:withdrawal``) for the transcript filter. The inline script
is project-written (Apache-2.0, like the rest of Rapport); no third-party code is embedded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from rapport.report.colours import PALETTE, ROLE_COLOURS, TOGETHER, role_css
from rapport.report.document import AnalysisDocument, TurnOut
from rapport.report.section import AnalysisContext, Computed
from rapport.wording import plural

#: The favicon of every page and report: an inline SVG (no request, works offline and in
#: a report opened from disk), two overlapping circles in the palette's first two colours.
FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'"
           "%3E%3Ccircle cx='12' cy='16' r='10' fill='%230072B2'/%3E%3Ccircle cx='20' "
           "cy='16' r='10' fill='%23E69F00' fill-opacity='.8'/%3E%3C/svg%3E")



@cache
def template_env(package: str) -> Environment:
    """The Jinja environment for ``package``'s ``templates/`` folder, one per package:
    autoescaped (session text can never inject markup), with the shared filters (``pct``,
    ``num``), the colour-blind-safe ``palette`` and ``role_colours`` (one colour per
    speaker role, :mod:`rapport.report.colours`). Used by the report, the nonverbal
    section and the web pages alike."""
    env = Environment(loader=PackageLoader(package, "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v: "—" if v is None else f"{v:.0%}"
    env.filters["num"] = lambda v, d=2: "—" if v is None else f"{v:.{d}f}"
    env.filters["plural"] = plural
    env.globals["palette"] = PALETTE
    env.globals["role_colours"] = {role.value: c for role, c in ROLE_COLOURS.items()}
    env.globals["role_css"] = role_css()
    env.globals["together"] = TOGETHER
    env.globals["favicon"] = FAVICON
    return env


def _env() -> Environment:
    return template_env("rapport.report")


def report_css() -> str:
    """The report's stylesheet with the role colours filled in (the report, the corpus
    index and the web session page all use it)."""
    return _env().get_template("report.css").render()


def render_fragment(template: str, **values: Any) -> str:
    """Render a section's fragment template (autoescaped)."""
    return _env().get_template(template).render(**values)


def turn_tokens(turn: TurnOut, marks: list[str]) -> list[str]:
    """Filter tokens of a turn: ``name`` for a multi-label code that applies,
    ``family=label`` for a single-label family, plus the sections' marks."""
    tokens = []
    for name, code in turn.codes.items():
        if code.value is True:
            tokens.append(name)
        elif code.value is not False and not _is_number(code.value):
            # a score (empathy 1.3) is no category to filter by
            tokens.append(f"{name}={code.value}")
    return sorted({*tokens, *marks})


def _is_number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _plain_code(name: str, value: object) -> str:
    return name if value is True else f"{name}: {value}"


def _plain_token(token: str) -> str:
    return token


@dataclass(frozen=True)
class Words:
    """How codes read on the page: ``code(name, value)`` for a turn's code, ``token(t)``
    for a filter choice. The pipeline supplies the therapist's words
    (:mod:`rapport.pipeline.words`); without it the names are shown as stored."""

    code: Callable[[str, object], str] = _plain_code
    token: Callable[[str], str] = _plain_token


def report_parts(doc: AnalysisDocument, ctx: AnalysisContext,
                 computed: list[Computed[Any]], words: Words | None = None
                 ) -> dict[str, Any]:
    """The pieces the report page is built from (section fragments, header figures, filter
    tokens per turn, the words for codes), so another page (the web session page) can
    embed the same sections."""
    fragments, headers = [], []
    marks: dict[int, list[str]] = {}
    for done in computed:
        if html := done.render_html(ctx):
            fragments.append({"name": done.name, "title": done.title,
                              "html": Markup(html)})  # noqa: S704
        if header := done.header_html(ctx):
            headers.append(Markup(header))  # noqa: S704
        for index, tags in done.turn_marks().items():
            marks.setdefault(index, []).extend(tags)
    tokens = {t.index: turn_tokens(t, marks.get(t.index, [])) for t in doc.turns}
    all_tokens = sorted({tok for toks in tokens.values() for tok in toks})
    mark_names = sorted({m for ms in marks.values() for m in ms})
    code_names = [t for t in all_tokens if t not in mark_names]
    words = words or Words()
    return {"fragments": fragments, "headers": headers, "tokens": tokens,
            "code_names": code_names, "mark_names": mark_names,
            "code_words": words.code, "token_words": words.token}


def render_report(doc: AnalysisDocument, ctx: AnalysisContext,
                  computed: list[Computed[Any]], words: Words | None = None) -> str:
    """The whole report page for one analysed session."""
    return _env().get_template("report.html.j2").render(
        doc=doc, **report_parts(doc, ctx, computed, words))
