"""The report section "risk": risk language first, with evidence and the therapist's reply.

Shown before everything else in the terminal, the HTML/PDF report and the web session page,
and stored at the top level of the analysis document (``risk``). A document analysed before
risk language was checked, or a session the risk coder could not read (not English, or the
coder not run), says "not checked for risk" — never "no risk".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from rapport.report.section import AnalysisContext, ReportSection
from rapport.risk.codes import RISK_CODES, RISK_LABELS
from rapport.risk.model import HISTORY_THRESHOLD
from rapport.risk.reply import ReplyKind

if TYPE_CHECKING:
    from rich.console import Console

State = Literal["urgent", "history"]

RESPONSE_WORDS = {"asked_directly": "asked directly about it",
                  "explored": "explored it (did not ask directly)",
                  "moved_on": "moved on without following it up",
                  "none": "did not reply before the client spoke again or the session ended"}
STATE_WORDS = {"urgent": "current or recent: follow up",
               "history": "past attempt, self-harm or abuse mentioned"}
NOT_CHECKED = ("not checked for risk: this analysis was made before Rapport checked "
               "transcripts for risk language; analyse the transcript again to check it")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RiskCodeOut(_Out):
    name: str
    label: str = Field(description="The code in plain words.")
    confidence: float = Field(ge=0, le=1, description="Calibrated probability that it applies.")


class RiskEvidence(_Out):
    start: int = Field(ge=0, description="Character offset in the turn's text.")
    end: int = Field(ge=0)
    text: str


class RiskResponse(_Out):
    kind: ReplyKind
    turn_index: int | None = Field(default=None, description="The therapist's reply turn.")
    confidence: float | None = Field(default=None, ge=0, le=1)


class RiskTurn(_Out):
    turn_index: int = Field(ge=0)
    speaker: str
    codes: list[RiskCodeOut]
    state: State
    evidence: RiskEvidence
    response: RiskResponse


class RiskResult(_Out):
    checked: bool = Field(description="False: the transcript was not checked for risk "
                                      "(which is not the same as no risk).")
    model: str | None = None
    note: str | None = None
    turns: list[RiskTurn] = Field(default_factory=list)

    @property
    def urgent(self) -> list[RiskTurn]:
        return [t for t in self.turns if t.state == "urgent"]


def _locate(text: str, phrase: str) -> RiskEvidence:
    start = text.find(phrase) if phrase else -1
    if start < 0:
        return RiskEvidence(start=0, end=len(text), text=text)
    return RiskEvidence(start=start, end=start + len(phrase), text=phrase)


class RiskSection(ReportSection[RiskResult]):
    name = "risk"
    title = "Risk language"
    result_model = RiskResult
    top_level = True

    def compute(self, ctx: AnalysisContext) -> RiskResult:
        from rapport.risk.coder import load_coder, therapist_before

        session = ctx.session
        coded_by = [m for m in ctx.coded.models if m.startswith("risk@")]
        if not coded_by:
            reason = ("the risk coder did not run on this session (it reads English only)"
                      if ctx.coded.models else "the risk coder did not run")
            return RiskResult(checked=False, note=f"not checked for risk: {reason}")
        coder = load_coder()
        flagged = []
        for tc in ctx.coded.codes:
            found = [c for c in tc.codes if c.name in RISK_CODES and c.value is True]
            if found:
                flagged.append((tc.turn_index, found))
        turns = []
        texts = [session.turns[i].text for i, _ in flagged]
        contexts = [therapist_before(session, i) for i, _ in flagged]
        history = coder.model.history_proba(contexts, texts)
        for (i, found), p_history in zip(flagged, history, strict=True):
            turn = session.turns[i]
            # "when in doubt, urgent" (the codebook): history needs a clear lean
            state: State = "history" if p_history >= HISTORY_THRESHOLD else "urgent"
            strongest = max(found, key=lambda c: c.confidence)
            phrase = strongest.evidence[0] if strongest.evidence else ""
            turns.append(RiskTurn(
                turn_index=i, speaker=turn.speaker,
                codes=[RiskCodeOut(name=c.name, label=RISK_LABELS[c.name],
                                   confidence=round(c.confidence, 3)) for c in found],
                state=state, evidence=_locate(turn.text, phrase),
                response=self._response(ctx, i)))
        return RiskResult(checked=True, model=coded_by[0], turns=turns)

    @staticmethod
    def _response(ctx: AnalysisContext, index: int) -> RiskResponse:
        from rapport.risk.reply import reply_to

        reply = reply_to(ctx.session, index)
        return RiskResponse(kind=reply.kind, turn_index=reply.turn_index,
                            confidence=reply.confidence)

    def not_stored(self) -> RiskResult:
        return RiskResult(checked=False, note=NOT_CHECKED)

    def metrics(self, result: RiskResult) -> dict[str, float | None]:
        if not result.checked:
            return {"risk.turns": None, "risk.urgent": None}
        return {"risk.turns": float(len(result.turns)), "risk.urgent": float(len(result.urgent))}

    def render_terminal(self, result: RiskResult, console: Console) -> None:
        if not result.checked:
            console.print(f"[bold]{self.title}[/]: {result.note}")
            return
        if not result.turns:
            console.print(f"[bold]{self.title}[/]: none found (a prompt for your judgement, "
                          "not a risk assessment; see docs/risk.md for what it misses)")
            return
        console.print(f"[bold red]{self.title}: {len(result.urgent)} urgent, "
                      f"{len(result.turns) - len(result.urgent)} history[/]")
        for t in result.turns:
            what = ", ".join(f"{c.label} ({c.confidence:.0%})" for c in t.codes)
            style = "bold red" if t.state == "urgent" else "yellow"
            console.print(f"  [{style}]turn {t.turn_index}[/] ({t.speaker}): {what} — "
                          f"{STATE_WORDS[t.state]}")
            console.print(f"    \u201c{t.evidence.text}\u201d")
            reply = RESPONSE_WORDS[t.response.kind]
            at = f" (turn {t.response.turn_index})" if t.response.turn_index is not None else ""
            console.print(f"    therapist {reply}{at}")

    def header_html(self, result: RiskResult, ctx: AnalysisContext) -> str:
        from rapport.report.html import template_env

        return template_env("rapport.risk").get_template("risk.html.j2").render(
            result=result, title=self.title, states=STATE_WORDS, replies=RESPONSE_WORDS)

    def turn_marks(self, result: RiskResult) -> dict[int, list[str]]:
        return {t.turn_index: [f"risk:{t.state}"] for t in result.turns}
