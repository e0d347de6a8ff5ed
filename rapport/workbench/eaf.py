"""ELAN ``.eaf`` (EAF 3.0) of one timed session: the turns, and a tier per coder, the gold
and the model, each annotation spanning its turn and holding the codes given to it.

The EAF XML schema (EAFv3.0.xsd) is not bundled with any package this project can install
offline, so :func:`check_eaf` checks the structure the schema prescribes (element order,
required attributes, unique ids, time-slot references that resolve, ordered times,
annotations of one tier that do not overlap); docs/workbench.md says so.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from rapport.errors import RapportInputError
from rapport.workbench.agreement import GOLD, MODEL
from rapport.workbench.state import ProjectState, UnitState

SCHEMA_URL = "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LINGUISTIC_TYPE = "rapport-turn"
#: Top-level elements in the order EAF 3.0 requires (each may repeat from TIER on).
ORDER = ("HEADER", "TIME_ORDER", "TIER", "LINGUISTIC_TYPE", "LOCALE", "LANGUAGE",
         "CONSTRAINT", "CONTROLLED_VOCABULARY", "LEXICON_REF", "EXTERNAL_REF")


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def unit_eaf(state: ProjectState, unit: UnitState, *, now: dt.datetime | None = None) -> str:
    """The EAF document of one unit (refused for a session without turn times)."""
    if not unit.timed:
        raise RapportInputError(f"{unit.label} has no turn times", where="--format eaf",
                                fix="export a session transcribed with times (e.g. from "
                                "subtitles or ELAN), or use --format csv", code="untimed")
    ET.register_namespace("xsi", XSI)
    root = ET.Element("ANNOTATION_DOCUMENT", {
        "AUTHOR": "Rapport coding workbench",
        "DATE": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "FORMAT": "3.0", "VERSION": "3.0", f"{{{XSI}}}noNamespaceSchemaLocation": SCHEMA_URL})
    header = ET.SubElement(root, "HEADER", {"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"})
    slots_el = ET.SubElement(root, "TIME_ORDER")
    spans: list[tuple[int, int]] = []
    for turn in unit.turns:
        start = _ms(float(turn["start"]))
        end = max(start + 1, _ms(float(turn["end"])))
        spans.append((start, end))
    times = sorted({t for span in spans for t in span})
    slot_of = {t: f"ts{i}" for i, t in enumerate(times, start=1)}
    for t in times:
        ET.SubElement(slots_el, "TIME_SLOT", {"TIME_SLOT_ID": slot_of[t], "TIME_VALUE": str(t)})
    counter = 0

    def tier(tier_id: str, values: list[str | None], participant: str = "") -> None:
        nonlocal counter
        el = ET.SubElement(root, "TIER", {"LINGUISTIC_TYPE_REF": LINGUISTIC_TYPE,
                                          "TIER_ID": tier_id, "PARTICIPANT": participant})
        last_end = -1
        for (start, end), value in zip(spans, values, strict=True):
            if value is None or start < last_end:
                continue  # overlapping turns: ELAN allows no overlap within one tier
            counter += 1
            ann = ET.SubElement(ET.SubElement(el, "ANNOTATION"), "ALIGNABLE_ANNOTATION", {
                "ANNOTATION_ID": f"a{counter}", "TIME_SLOT_REF1": slot_of[start],
                "TIME_SLOT_REF2": slot_of[end]})
            ET.SubElement(ann, "ANNOTATION_VALUE").text = value
            last_end = end

    tier("turns", [f"{t['speaker']}: {t['text']}" for t in unit.turns])
    codings = state.codings()
    for coding in (*state.project.coders, GOLD, MODEL):
        labels = [codings[coding].get((unit.id, int(t["index"]))) for t in unit.turns]
        tier(f"codes {coding}", [None if c is None else ", ".join(c) for c in labels],
             participant=coding if coding not in (GOLD, MODEL) else "")
    ET.SubElement(root, "LINGUISTIC_TYPE", {"GRAPHIC_REFERENCES": "false",
                                            "LINGUISTIC_TYPE_ID": LINGUISTIC_TYPE,
                                            "TIME_ALIGNABLE": "true"})
    prop = ET.Element("PROPERTY", {"NAME": "lastUsedAnnotationId"})
    prop.text = str(counter)
    header.append(prop)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _root_problems(root: ET.Element) -> list[str]:
    problems = [f"ANNOTATION_DOCUMENT lacks {attr}"
                for attr in ("AUTHOR", "DATE", "FORMAT", "VERSION") if attr not in root.attrib]
    try:
        dt.datetime.fromisoformat(root.get("DATE", ""))
    except ValueError:
        problems.append("DATE is not an xs:dateTime")
    tags = [child.tag for child in root]
    ranks = [ORDER.index(t) if t in ORDER else -1 for t in tags]
    if -1 in ranks:
        problems.append(f"unknown element {tags[ranks.index(-1)]}")
    if ranks != sorted(ranks):
        problems.append("top-level elements are not in the schema's order")
    if tags.count("HEADER") != 1 or tags.count("TIME_ORDER") != 1:
        problems.append("needs exactly one HEADER and one TIME_ORDER")
    header = root.find("HEADER")
    if header is not None and header.get("TIME_UNITS", "milliseconds") != "milliseconds":
        problems.append("TIME_UNITS must be milliseconds")
    return problems


def _slots(root: ET.Element, problems: list[str]) -> dict[str, int]:
    slots: dict[str, int] = {}
    for slot in root.iter("TIME_SLOT"):
        sid, value = slot.get("TIME_SLOT_ID"), slot.get("TIME_VALUE")
        if not sid or sid in slots:
            problems.append(f"TIME_SLOT id {sid!r} missing or repeated")
        elif value is None or not value.isdigit():
            problems.append(f"TIME_SLOT {sid} has no non-negative TIME_VALUE")
        else:
            slots[sid] = int(value)
    return slots


def _annotation_problems(tier: ET.Element, slots: dict[str, int], ann_ids: set[str]
                         ) -> list[str]:
    problems = []
    tid = tier.get("TIER_ID")
    last_end = -1
    for ann in tier.iter("ALIGNABLE_ANNOTATION"):
        aid = ann.get("ANNOTATION_ID", "")
        if not aid or aid in ann_ids:
            problems.append(f"ANNOTATION_ID {aid!r} missing or repeated")
        ann_ids.add(aid)
        ref1, ref2 = ann.get("TIME_SLOT_REF1", ""), ann.get("TIME_SLOT_REF2", "")
        if ref1 not in slots or ref2 not in slots:
            problems.append(f"annotation {aid} refers to an unknown time slot")
            continue
        if slots[ref1] >= slots[ref2]:
            problems.append(f"annotation {aid} ends before it starts")
        if slots[ref1] < last_end:
            problems.append(f"annotation {aid} overlaps the one before in tier {tid}")
        last_end = slots[ref2]
        if ann.find("ANNOTATION_VALUE") is None:
            problems.append(f"annotation {aid} has no ANNOTATION_VALUE")
    return problems


def check_eaf(text: str) -> list[str]:
    """Problems of an EAF 3.0 document against the schema's structure (empty: none)."""
    try:
        # Python's expat refuses entity-expansion bombs since 3.7.1 (expat 2.4 limits);
        # this reads files Rapport wrote, in tests and checks.
        root = ET.fromstring(text)  # noqa: S314
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != "ANNOTATION_DOCUMENT":
        return [f"root is {root.tag}, not ANNOTATION_DOCUMENT"]
    problems = _root_problems(root)
    slots = _slots(root, problems)
    types = {t.get("LINGUISTIC_TYPE_ID") for t in root.findall("LINGUISTIC_TYPE")}
    tier_ids: set[str] = set()
    ann_ids: set[str] = set()
    for tier in root.findall("TIER"):
        tid = tier.get("TIER_ID")
        if not tid or tid in tier_ids:
            problems.append(f"TIER_ID {tid!r} missing or repeated")
        tier_ids.add(tid or "")
        if tier.get("LINGUISTIC_TYPE_REF") not in types:
            problems.append(f"tier {tid} refers to an undefined LINGUISTIC_TYPE")
        problems += _annotation_problems(tier, slots, ann_ids)
    header = root.find("HEADER")
    last = header.find("PROPERTY[@NAME='lastUsedAnnotationId']") if header is not None else None
    if last is not None and ann_ids and last.text != str(len(ann_ids)):
        problems.append("lastUsedAnnotationId does not match the annotations")
    return problems
