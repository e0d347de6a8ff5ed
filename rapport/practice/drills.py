"""The drill library: one YAML file per skill under ``drills/``, shipped with the package.

Every field is checked on load, so a typo in a drill file stops the app with one error
that names the file, the drill and the field rather than surfacing as a broken page later.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from rapport.errors import RapportInputError

Skill = Literal[
    "empathy", "validation", "affirmation", "autonomy", "transparency",
    "rupture_confrontation", "rupture_withdrawal", "boundaries", "cultural_humility",
    "confidentiality", "sustain_talk", "suicide_risk",
]
SKILLS: tuple[str, ...] = Skill.__args__  # type: ignore[attr-defined]

BoundaryCase = Literal["gift", "phone_number", "social_media", "over_time", "romantic_feelings"]
BOUNDARY_CASES: tuple[str, ...] = BoundaryCase.__args__  # type: ignore[attr-defined]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1200)]
DrillId = Annotated[str, StringConstraints(pattern=r"^[a-z_]+-[0-9]{2}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Turn(_Strict):
    speaker: Literal["client", "therapist"]
    text: Text


class Mistake(_Strict):
    description: Text
    example: Text


class Drill(_Strict):
    id: DrillId
    skill: Skill
    case: BoundaryCase | None = None
    title: Text
    context: list[Turn] = Field(min_length=1, max_length=3)
    client_turn: Text
    target: Text
    good_reply_does: list[Text] = Field(min_length=1, max_length=3)
    exemplars: list[Text] = Field(min_length=2, max_length=3)
    common_mistakes: list[Mistake] = Field(min_length=2, max_length=4)
    notes: Text | None = None


def _where(name: str, index: int, raw: object, loc: tuple[int | str, ...]) -> str:
    drill_id = raw.get("id") if isinstance(raw, dict) else None
    field = ".".join(str(part) for part in loc) or "(the drill)"
    return f"{name}: drill {index + 1}" + (f" ({drill_id})" if drill_id else "") + f", {field}"


def parse_drill_file(name: str, text: str) -> list[Drill]:
    """Parse one drill file's text; ``name`` is used only to say where a problem is."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RapportInputError(f"not valid YAML ({exc.__class__.__name__})", where=name,
                                fix="check the indentation and quoting near the line shown"
                                ) from None
    if not isinstance(raw, list) or not raw:
        raise RapportInputError("a drill file must be a non-empty list of drills", where=name,
                                fix="start each drill with '- id: ...'")
    skill_of_file = name.rsplit("/", 1)[-1].removesuffix(".yaml")
    drills = []
    for index, item in enumerate(raw):
        try:
            drill = Drill.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise RapportInputError(first["msg"], where=_where(name, index, item, first["loc"]),
                                    fix="see docs/practice.md for the drill schema") from None
        if drill.skill != skill_of_file:
            raise RapportInputError(f"skill {drill.skill!r} in the file for {skill_of_file!r}",
                                    where=_where(name, index, item, ("skill",)),
                                    fix="move the drill to the file named after its skill")
        if (drill.case is None) != (drill.skill != "boundaries"):
            raise RapportInputError("'case' is required for boundary drills and only for them",
                                    where=_where(name, index, item, ("case",)),
                                    fix=f"use one of {', '.join(BOUNDARY_CASES)} on boundaries")
        if drill.id.rsplit("-", 1)[0] != drill.skill:
            raise RapportInputError(f"id {drill.id!r} does not start with its skill",
                                    where=_where(name, index, item, ("id",)),
                                    fix=f"name it like '{drill.skill}-01'")
        drills.append(drill)
    return drills


def drill_files() -> list[Traversable]:
    folder = resources.files("rapport.practice") / "drills"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def load_drills() -> list[Drill]:
    """Every drill in the library, in file then file order; ids are unique."""
    drills: list[Drill] = []
    seen: dict[str, str] = {}
    for file in drill_files():
        name = f"drills/{file.name}"
        for drill in parse_drill_file(name, file.read_text(encoding="utf-8")):
            if drill.id in seen:
                raise RapportInputError(f"drill id {drill.id!r} used twice",
                                        where=f"{name}, id (first in {seen[drill.id]})",
                                        fix="give each drill its own id")
            seen[drill.id] = name
            drills.append(drill)
    return drills
