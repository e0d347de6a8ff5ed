"""Rebuild the six free instrument definitions from the project's checked text packs.

Item text, stem, option labels, licence, copyright and sources are copied verbatim from
``../shared/data/instruments/<id>.yaml``; the scoring fields (with their sources) are set
here. Run from the repository root:

    .venv/bin/python tests/measures/build_free_instruments.py

test_measures_instruments.py checks the result against the packs field by field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT.parent / "shared" / "data" / "instruments"
DST = ROOT / "rapport" / "measures" / "instruments"


def bands(rows: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
    return [{"min": lo, "max": hi, "label": label} for lo, hi, label in rows]


SPEC: dict[str, dict[str, Any]] = {
    "phq9": {
        "kind": "outcome",
        "construct": "Depression severity over the last 2 weeks",
        "direction": "higher_is_worse",
        "bands": bands(
            [
                (1, 4, "Minimal depression"),
                (5, 9, "Mild depression"),
                (10, 14, "Moderate depression"),
                (15, 19, "Moderately severe depression"),
                (20, 27, "Severe depression"),
            ]
        ),
        "bands_source": (
            "S-LHC-PHQ9 LOINC scoring text; S-VISTA. A total of 0 has no band on the "
            "official scoring text."
        ),
        "cut_off": {
            "value": 10,
            "meaning": "probable major depression / caseness (IAPT: > 9)",
            "source": "S-ARROLL2010; S-MEASURES (NCT05134103)",
        },
        "reliable_change": {
            "threshold": 6,
            "source": "NHS Talking Therapies (IAPT) convention, S-MEASURES (NCT05134103)",
        },
        "missing": {
            "max_missing": 0,
            "method": "none",
            "source": "No sourced missing-item rule in the pack: every item is required.",
        },
        "risk": ["phq9_9"],
    },
    "gad7": {
        "kind": "outcome",
        "construct": "Generalised anxiety over the last 2 weeks",
        "direction": "higher_is_worse",
        "bands": bands(
            [
                (0, 4, "minimal anxiety"),
                (5, 9, "mild anxiety"),
                (10, 14, "moderate anxiety"),
                (15, 21, "severe anxiety"),
            ]
        ),
        "bands_source": "S-ARABPSY-GAD7 (cut points 5, 10, 15); S-FULLREM; S-22ZERO",
        "cut_off": {
            "value": 10,
            "meaning": (
                "recommended cut point for further evaluation (Spitzer 2006); IAPT and a "
                "later meta-analysis use >= 8"
            ),
            "source": "S-ARABPSY-GAD7; S-MEASURES",
        },
        "reliable_change": {
            "threshold": 4,
            "source": "NHS Talking Therapies (IAPT) convention, S-MEASURES (NCT05134103)",
        },
        "missing": {
            "max_missing": 0,
            "method": "none",
            "source": "No sourced missing-item rule in the pack: every item is required.",
        },
    },
    "phq2": {
        "kind": "screener",
        "construct": "Depression screen (PHQ-9 items 1-2)",
        "direction": "higher_is_worse",
        "cut_off": {
            "value": 3,
            "meaning": "positive screen; give the full PHQ-9",
            "source": "S-HINDAWI-PHQ2; S-ARROLL2010",
        },
        "missing": {
            "max_missing": 0,
            "method": "none",
            "source": "Two-item screener: both items are required.",
        },
    },
    "gad2": {
        "kind": "screener",
        "construct": "Anxiety screen (GAD-7 items 1-2)",
        "direction": "higher_is_worse",
        "cut_off": {
            "value": 3,
            "meaning": "positive screen; give the full GAD-7",
            "source": "S-AWELL-GAD2 quoting Kroenke 2007 [M]",
        },
        "missing": {
            "max_missing": 0,
            "method": "none",
            "source": "Two-item screener: both items are required.",
        },
    },
    "who5": {
        "kind": "outcome",
        "construct": "Positive well-being over the last two weeks",
        "direction": "higher_is_better",
        "cut_off": {
            "value": 13,
            "meaning": (
                "raw score below 13 (percentage 50 or less) = poor well-being; "
                "screen for depression"
            ),
            "source": "S-INSPQ; S-MEASURES (valant); S-MANNKI",
        },
        "reliable_change": {
            "threshold": 2.5,
            "source": "10 percentage points = 2.5 raw points, S-MEASURES (valant)",
        },
        "missing": {
            "max_missing": 0,
            "method": "none",
            "source": "All five items are needed; do not impute (S-IC-CHARTER) [M]",
        },
        "scaled": {"factor": 4, "label": "percentage"},
    },
    "k10": {
        "kind": "outcome",
        "construct": "Non-specific psychological distress over the last 30 days",
        "direction": "higher_is_worse",
        "bands": bands(
            [(10, 15, "low"), (16, 21, "moderate"), (22, 29, "high"), (30, 50, "very high")]
        ),
        "bands_source": (
            "ABS 4817.0.55.001 bands via S-MEASURES. The clinical bands of S-EAPASSIST "
            "(<20 well, 20-24 mild, 25-29 moderate, >=30 severe) are an alternative set."
        ),
        "cut_off": {
            "value": 20,
            "meaning": "20 or more = at least likely mild psychological distress (clinical bands)",
            "source": "S-EAPASSIST",
        },
        "missing": {
            "max_missing": 1,
            "method": "prorate",
            "round_total": True,
            "source": (
                "S-PMHC: one missing item, total = round(sum / 9 * 10); more than one "
                "missing, no total"
            ),
        },
    },
}


def text_fields(src: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    # WHO-5: the form's example sentence is kept (verbatim) after the instruction, since
    # leaving it out would be a deviation the owner asks to be marked.
    parts = [src[key] for key in ("instruction", "example") if key in src]
    if parts:
        out["instruction"] = "\n\n".join(parts)
    return out


def main() -> None:
    for iid, spec in SPEC.items():
        src = yaml.safe_load((SRC / f"{iid}.yaml").read_text(encoding="utf-8"))
        risk = set(spec.pop("risk", []))
        items = []
        for it in src["items"]:
            row = {"id": it["id"], "text": it["text"]}
            if it.get("loinc"):
                row["loinc"] = it["loinc"]
            if it["id"] in risk:
                row["risk_item"] = True
            items.append(row)
        options = [
            {k: o[k] for k in ("value", "label", "loinc_answer") if k in o} for o in src["options"]
        ]
        options.sort(key=lambda o: o["value"])
        lic = src["licence"]
        quotes = [
            {k: q[k] for k in ("text", "source", "translation") if k in q}
            for q in lic.get("quotes", [])
        ]
        cp = src["copyright"]
        other = [cp[k] for k in ("alternative_line", "loinc_copyright_field") if k in cp]
        other += [alt["text"] for alt in cp.get("alternative_lines", [])]
        copyright_ = {
            "required_line": cp["required_line"],
            "citation": cp.get("citation") or cp.get("required_citation"),
        }
        if cp.get("required_citation") and cp.get("citation"):
            other.append(cp["required_citation"])
        copyright_["other_lines"] = other
        loinc = {
            "panel": (src.get("loinc", {}).get("panel") or {}).get("code"),
            "total": (src.get("loinc", {}).get("total_score") or {}).get("code"),
        }
        canon = src["source"]["canonical_text"]
        doc = {
            "id": iid,
            "name": src["name"],
            "short_name": src["short_name"],
            "version": src["version"],
            "kind": spec.pop("kind"),
            "validated": True,
            "assesses": spec.pop("construct"),
            "direction": spec.pop("direction"),
            "stem": src["stem"],
            **text_fields(src),
            "options": options,
            "items": items,
            "scoring": "sum",
        }
        doc.update(spec)
        doc.update(
            {
                "loinc": loinc,
                "licence": {
                    "kind": "free",
                    "status": lic["status"],
                    "quotes": quotes,
                    "caveats": lic.get("caveats", []),
                },
                "copyright": copyright_,
                "text_source": (", ".join(canon) if isinstance(canon, list) else canon)
                + ". "
                + " ".join(src["source"]["note"].split()),
                "sources": dict(src.get("sources", {})),
                "notes": [
                    ("Item text, stem, option labels, licence and copyright copied verbatim "
                    f"from shared/data/instruments/{iid}.yaml (see its wording_discrepancies).")
                ],
            }
        )
        header = (
            f"# {src['short_name']} definition for Rapport. Item text, stem, option labels, "
            "licence and copyright\n"
            f"# are copied verbatim from the project's checked text pack ({iid}.yaml); "
            "do not edit them.\n"
            "# Schema: docs/measures.md. Scoring fields cite their source keys (see `sources`).\n"
        )
        (DST / f"{iid}.yaml").write_text(
            header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        print("wrote", iid)


if __name__ == "__main__":
    main()
