"""A project as agreement, adjudication and export read it: every unit's turns, each
coder's codes, the decisions and the gold, gathered through the store's audited reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapport.errors import RapportInputError
from rapport.store.coding import (
    Decision,
    ProjectView,
    all_codes,
    decisions,
    show_project,
    unit_turns,
)
from rapport.store.tx import Tx
from rapport.workbench.agreement import (
    GOLD,
    MODEL,
    Codings,
    PairAgreement,
    disagreements,
    gold_labels,
    pair_agreement,
)
from rapport.workbench.codebook import Codebook


@dataclass
class UnitState:
    id: int
    label: str
    position: int
    timed: bool
    turns: list[dict[str, Any]]
    #: coder -> turn -> codes (None: not coded yet; a finished coder's blank turn is []).
    codes: dict[str, dict[int, list[str] | None]]
    notes: dict[str, dict[int, str]]
    modes: set[str]
    history: list[Decision]
    gold: dict[int, list[str] | None] = field(default_factory=dict)
    disputed: list[int] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(g is not None for g in self.gold.values())

    @property
    def session_key(self) -> str:
        return f"unit-{self.id}"


@dataclass
class ProjectState:
    project: ProjectView
    codebook: Codebook
    units: list[UnitState]
    hidden: int  # units whose codes the actor may not see yet (their own, unfinished)

    def codings(self) -> dict[str, dict[tuple[int, int], list[str] | None]]:
        """Every coding (coders, gold, model) keyed by (unit id, turn index)."""
        out: dict[str, dict[tuple[int, int], list[str] | None]] = {
            name: {} for name in (*self.project.coders, GOLD, MODEL)}
        for unit in self.units:
            for turn in unit.turns:
                i = int(turn["index"])
                for coder in self.project.coders:
                    out[coder][unit.id, i] = unit.codes.get(coder, {}).get(i)
                out[GOLD][unit.id, i] = unit.gold.get(i)
                out[MODEL][unit.id, i] = list(turn.get("model") or [])
        return out

    def roles(self) -> dict[tuple[int, int], str]:
        return {(u.id, int(t["index"])): str(t["role"]) for u in self.units for t in u.turns}

    def pairs(self) -> list[PairAgreement]:
        """Coder with coder, each coder with the gold, the model with each coder."""
        codings: Codings = self.codings()
        roles = self.roles()
        mixed = len({m for u in self.units for m in u.modes}) > 1
        coders = list(self.project.coders)
        wanted = [(a, b) for i, a in enumerate(coders) for b in coders[i + 1:]]
        wanted += [(c, GOLD) for c in coders] + [(MODEL, c) for c in coders]
        return [pair_agreement(self.codebook, roles, codings, a, b, mixed_modes=mixed)
                for a, b in wanted]


def project_state(tx: Tx, project_id: int) -> ProjectState:
    project = show_project(tx, project_id)
    codebook = Codebook.model_validate(project.codebook)
    units: list[UnitState] = []
    hidden = 0
    for position, view in enumerate(project.units, start=1):
        try:
            raw = all_codes(tx, project_id, view.id)
        except RapportInputError as exc:
            if exc.code != "not_found":
                raise
            hidden += 1
            continue
        turns = unit_turns(tx, project_id, view.id)
        codes: dict[str, dict[int, list[str] | None]] = {}
        notes: dict[str, dict[int, str]] = {}
        modes: set[str] = set()
        for coder in project.coders:
            given = raw.get(coder, {})
            done = coder in view.finished
            codes[coder] = {i: (list(given[i].labels) if i in given else ([] if done else None))
                            for i in range(view.n_turns)}
            notes[coder] = {i: c.note for i, c in given.items() if c.note}
            modes |= {c.mode for c in given.values()}
        history = decisions(tx, project_id, view.id)
        decided = {d.turn_index: list(d.labels) for d in history}  # newest wins
        unit = UnitState(id=view.id, label=view.label, position=position, timed=view.timed,
                         turns=turns, codes=codes, notes=notes, modes=modes, history=history)
        unit.gold = gold_labels(codes, decided, view.n_turns)
        unit.disputed = disagreements(codes, view.n_turns)
        units.append(unit)
    return ProjectState(project=project, codebook=codebook, units=units, hidden=hidden)
