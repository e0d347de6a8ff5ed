"""Alerts over a client's administrations of one instrument.

Every alert names the rule that fired and the numbers behind it. Rules:

* ``safety.risk_item`` (urgent): a risk item (PHQ-9 item 9) above zero;
  ``safety.risk_item_unanswered`` (urgent): a risk item left blank ("ask directly"). Always
  on; there is deliberately no setting that hides them.
* ``not_on_track.reliable_deterioration``: reliable worsening since the first score.
* ``not_on_track.no_reliable_improvement``: no reliable improvement by session N, for a
  client whose first score was in the clinical range (one who started below the cut-off
  has little room to improve reliably, so the rule would only ever fire).
* ``not_on_track.outside_expected_band``: worse than the clinic's own expected-change band.
* ``alliance.below_cut_off``: an alliance total on the concern side of its alert threshold
  (SRS: below 36; an alert threshold, not a clinical range).
* ``alliance.drop``: an alliance total at least D points below the previous one (compared
  exactly, so a drop of exactly D is a drop).
* ``alliance.rupture_repaired`` / ``alliance.rupture_unrepaired`` / ``alliance.rupture_open``:
  V-shaped rupture-repair detection (:mod:`rapport.measures.rupture`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rapport.measures.change import classify_change
from rapport.measures.exact import exact
from rapport.measures.expected import ExpectedChangeModel
from rapport.measures.rupture import RuptureSettings, detect_ruptures
from rapport.measures.schema import Instrument
from rapport.measures.scoring import Score, in_clinical_range

Severity = Literal["urgent", "warning", "info"]


class Administration(BaseModel):
    """One scored administration: what the store will hand over for each session."""

    model_config = ConfigDict(frozen=True)

    session: int = Field(ge=1)
    score: Score
    date: dt.date | None = None


class Alert(BaseModel):
    """An alert: which rule fired, at which session, and the numbers behind it."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    session: int
    message: str
    numbers: dict[str, float]


class NotOnTrackRules(BaseModel):
    """Which not-on-track rules run (outcome measures). Safety flags are not in here."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reliable_deterioration: bool = True
    no_improvement_by_session: int | None = Field(default=6, ge=2)


class AllianceRules(BaseModel):
    """Alliance alert settings; ``None`` values take the instrument's own defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    below_cut_off: bool = True
    drop_points: float | None = Field(default=None, gt=0)
    rupture: RuptureSettings = RuptureSettings()


def _totals(administrations: Sequence[Administration]) -> list[tuple[int, float]]:
    return [(a.session, a.score.total) for a in sorted(administrations, key=lambda a: a.session)
            if a.score.total is not None]


def safety_alerts(administrations: Sequence[Administration]) -> list[Alert]:
    """Urgent alerts for every risk item above zero or left unanswered. Takes no options,
    by design."""
    alerts = []
    for a in administrations:
        for flag in a.score.safety_flags:
            if flag.reason == "unanswered":
                alerts.append(Alert(rule="safety.risk_item_unanswered", severity="urgent",
                                    session=a.session, message=flag.message,
                                    numbers={"item_number": float(flag.item_number)}))
            else:
                assert flag.value is not None
                alerts.append(Alert(rule="safety.risk_item", severity="urgent",
                                    session=a.session, message=flag.message,
                                    numbers={"item_number": float(flag.item_number),
                                             "item_value": flag.value}))
    return alerts


def not_on_track_alerts(instrument: Instrument, administrations: Sequence[Administration],
                        rules: NotOnTrackRules | None = None, *,
                        expected: ExpectedChangeModel | None = None) -> list[Alert]:
    """Evaluate the not-on-track rules after every administration, as a live system would."""
    rules = rules or NotOnTrackRules()
    points = _totals(administrations)
    if len(points) < 2:
        return []
    alerts: list[Alert] = []
    first_session, intake = points[0]
    worse_is_higher = instrument.direction == "higher_is_worse"
    started_clinical = in_clinical_range(instrument, intake) is True
    for session, total in points[1:]:
        change = classify_change(instrument, intake, total)
        numbers = {"intake": intake, "score": total, "change": change.difference}
        if change.min_raw_change is not None:
            numbers["reliable_change_points"] = change.min_raw_change
        if rules.reliable_deterioration and change.category == "deteriorated":
            alerts.append(Alert(
                rule="not_on_track.reliable_deterioration", severity="warning", session=session,
                message=f"{instrument.short_name} {total:g} vs {intake:g} at intake: reliable "
                        f"worsening (change {change.difference:+g}, threshold "
                        f"{change.min_raw_change:g})", numbers=numbers))
        by = rules.no_improvement_by_session
        if (by is not None and started_clinical and change.reliable is not None
                and session >= by and change.category not in {"improved", "recovered"}):
            alerts.append(Alert(
                rule="not_on_track.no_reliable_improvement", severity="warning",
                session=session,
                message=f"no reliable improvement by session {session} (rule: by session "
                        f"{by}); {instrument.short_name} {intake:g} -> {total:g}",
                numbers={**numbers, "by_session": float(by)}))
        if expected is not None:
            relative = session - first_session + 1
            low, high = expected.band(intake, relative)
            if expected.off_track(intake, relative, total, higher_is_worse=worse_is_higher):
                alerts.append(Alert(
                    rule="not_on_track.outside_expected_band", severity="warning",
                    session=session,
                    message=f"{instrument.short_name} {total:g} is outside the clinic's "
                            f"expected band {low:.1f}-{high:.1f} for session {relative}",
                    numbers={**numbers, "expected": expected.predict(intake, relative),
                             "band_low": low, "band_high": high, "z": expected.z}))
    return alerts


def alliance_alerts(instrument: Instrument, administrations: Sequence[Administration],
                    rules: AllianceRules | None = None) -> list[Alert]:
    """Below cut-off, drop from the previous session, and rupture-repair events."""
    rules = rules or AllianceRules()
    points = _totals(administrations)
    defaults = instrument.alliance
    drop_points = rules.drop_points or (defaults.drop_alert_points if defaults else None)
    name = instrument.short_name
    alerts: list[Alert] = []
    # An alliance cut-off is an alert threshold (SRS: below 36), not a clinical range.
    side = "below" if instrument.direction == "higher_is_better" else "at or above"
    for index, (session, total) in enumerate(points):
        cut = instrument.cut_off
        if rules.below_cut_off and cut is not None and in_clinical_range(instrument, total):
            alerts.append(Alert(rule="alliance.below_cut_off", severity="warning",
                                session=session,
                                message=f"{name} {total:g} is {side} the alert threshold "
                                        f"{cut.value:g}",
                                numbers={"score": total, "cut_off": cut.value}))
        if index and drop_points is not None:
            previous = points[index - 1][1]
            fell = exact(previous) - exact(total)
            if fell >= exact(drop_points):
                alerts.append(Alert(
                    rule="alliance.drop", severity="warning", session=session,
                    message=f"{name} fell {float(fell):g} points since the previous "
                            f"session ({previous:g} -> {total:g}; rule: >= {drop_points:g})",
                    numbers={"previous": previous, "score": total,
                             "drop": float(fell), "rule_points": drop_points}))
    floor = defaults.rupture_min_drop if defaults else 0.0
    events = detect_ruptures(points, rules.rupture, min_drop=floor,
                             higher_is_better=instrument.direction == "higher_is_better")
    for event in events:
        numbers = {"baseline": event.baseline, "score": event.score, "drop": event.drop,
                   "sd_ref": event.sd_ref, "threshold": event.threshold,
                   "threshold_sd": rules.rupture.threshold_sd,
                   "repair_tolerance": event.tolerance}
        if event.status == "repaired":
            assert event.repair_session is not None and event.repair_score is not None
            alerts.append(Alert(
                rule="alliance.rupture_repaired", severity="info", session=event.repair_session,
                message=f"rupture at session {event.rupture_session} ({name} {event.score:g} "
                        f"vs baseline {event.baseline:.1f}, drop {event.drop:.1f} >= "
                        f"{event.threshold:.1f}) repaired at session {event.repair_session} "
                        f"({event.repair_score:g})",
                numbers={**numbers, "rupture_session": float(event.rupture_session),
                         "repair_score": event.repair_score}))
        else:
            alerts.append(Alert(
                rule=f"alliance.rupture_{event.status}", severity="warning",
                session=event.rupture_session,
                message=f"rupture at session {event.rupture_session}: {name} {event.score:g} vs "
                        f"baseline {event.baseline:.1f} (drop {event.drop:.1f} >= "
                        f"{event.threshold:.1f}); "
                        + ("not repaired within " f"{rules.rupture.repair_within} sessions"
                           if event.status == "unrepaired" else "watch for repair"),
                numbers=numbers))
    return alerts
