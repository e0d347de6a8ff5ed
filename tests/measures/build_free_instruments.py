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
                (0, 4, "Minimal depression"),
                (5, 9, "Mild depression"),
                (10, 14, "Moderate depression"),
                (15, 19, "Moderately severe depression"),
                (20, 27, "Severe depression"),
            ]
        ),
        "bands_source": (
            "Cut points 5/10/15/20 (Kroenke 2001, via S-MINDSANCTUARY); 0-4 = minimal "
            "(none-minimal in Kroenke & Spitzer 2002, the PHQ instruction manual [M]). "
            "S-LHC-PHQ9 and S-VISTA print the first band as 1-4, which would leave a total "
            "of 0 without a band; a clinical review asked for 0-4."
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
        "risk": {"phq9_9": "thoughts that you would be better off dead, or of hurting "
                           "yourself"},
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
        "bands": bands(
            [
                (0, 7, "percentage 28 or less: likely depression; give the PHQ-9"),
                (8, 12, "percentage 50 or less: poor well-being; screen for depression"),
            ]
        ),
        "bands_source": (
            "S-SMAAT (percentage <= 28 = likely depression; raw <= 7); S-INSPQ (percentage "
            "<= 50 = poor well-being, screen for depression; raw <= 12). Above 50 % no band."
        ),
        "reliable_change": {
            "reliability": 0.91,
            "sd": 5.49,
            "source": (
                "Jacobson-Truax with the clinical-sample figures of Dadfar M et al., "
                "Reliability, validity, and factorial structure of the WHO-5 in Iranian "
                "psychiatric outpatients, Trends Psychiatry Psychother 2018 (abstract, "
                "https://core.ac.uk/works/66722617): n = 116, raw mean 8.95, SD 5.49, "
                "Cronbach's alpha .91 -> 1.96 x sqrt(2) x 5.49 x sqrt(.09) = 4.56 raw points"
            ),
        },
        "meaningful_change": {
            "points": 2.5,
            "label": "clinically meaningful change (10 percentage points)",
            "source": "S-MEASURES (valant: 'A 10% difference indicates a significant change')",
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
            "ABS 4817.0.55.001 bands (S-ABS-4363; S-MEASURES), the one band system used "
            "here. The clinical bands of S-EAPASSIST (<20 well, 20-24 mild, 25-29 "
            "moderate, >=30 severe) are a different system and are not mixed in."
        ),
        "cut_off": {
            "value": 22,
            "meaning": "22 or more = high or very high psychological distress (ABS bands)",
            "source": "S-ABS-4363 (ABS bands: high 22-29, very high 30-50); S-MEASURES",
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
        risk: dict[str, str] = spec.pop("risk", {})
        items = []
        for it in src["items"]:
            row = {"id": it["id"], "text": it["text"]}
            if it["id"] in risk:  # how alerts name it, in words
                row["alert_label"] = risk[it["id"]]
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
