"""Self-contained HTML report: one file, inline CSS and JS, no network, prints to PDF.

Templates live in ``templates/`` and are rendered with autoescaping on, so session text
can never inject markup. Sections render their own fragments with :func:`render_fragment`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from rapport.report.document import AnalysisDocument
from rapport.report.section import AnalysisContext, ReportSection

#: Okabe–Ito colour-blind-safe palette, used by every chart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("rapport.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v: "—" if v is None else f"{v:.0%}"
    env.filters["num"] = lambda v, d=2: "—" if v is None else f"{v:.{d}f}"
    env.globals["palette"] = PALETTE
    return env


def render_fragment(template: str, **values: Any) -> str:
    """Render a section's fragment template (autoescaped)."""
    return _env().get_template(template).render(**values)


def render_report(doc: AnalysisDocument, ctx: AnalysisContext,
                  sections: list[ReportSection]) -> str:
    """The whole report page for one analysed session."""
    fragments = []
    for section in sections:
        result = ctx.results.get(section.name)
        if result is not None:
            fragments.append({"name": section.name, "title": section.title,
                              "html": Markup(section.render_html(result, ctx))})  # noqa: S704
    code_names = sorted({name for t in doc.turns for name, c in t.codes.items()
                         if c.value not in (False, None)})
    return _env().get_template("report.html.j2").render(
        doc=doc, fragments=fragments, code_names=code_names)
