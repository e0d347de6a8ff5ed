"""Scoring every instrument against hand-computed totals, keys, missing rules and flags."""

from __future__ import annotations

import inspect

import pytest

from rapport.errors import RapportInputError
from rapport.measures import AllianceRules, NotOnTrackRules, get_instrument, score
from rapport.measures import alerts as alerts_module
from rapport.measures.scoring import answers_from_list


def _score(name: str, values: list[float | None]):  # type: ignore[no-untyped-def]
    instrument = get_instrument(name)
    return score(instrument, answers_from_list(instrument, values))


# (instrument, answers in item order, expected total, expected band, clinical range?)
CASES = [
    ("phq9", [3, 3, 2, 2, 2, 2, 2, 1, 0], 17, "Moderately severe depression", True),
    ("phq9", [0] * 9, 0, "Minimal depression", False),  # 0-4 minimal (clinical review)
    ("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "Mild depression", False),
    ("gad7", [2, 2, 2, 1, 1, 1, 1], 10, "moderate anxiety", True),
    ("gad7", [0, 1, 0, 1, 0, 1, 0], 3, "minimal anxiety", False),
    ("phq2", [1, 2], 3, None, True),
    ("gad2", [1, 1], 2, None, False),
    ("who5", [3, 3, 2, 2, 2], 12,  # raw < 13 (<= 50 %): poor well-being
     "percentage 50 or less: poor well-being; screen for depression", True),
    ("who5", [5, 4, 4, 3, 4], 20, None, False),
    ("k10", [1, 2, 3, 4, 5, 1, 2, 3, 4, 5], 30, "very high", True),
    ("k10", [1] * 10, 10, "low", False),
    ("srs", [9.5, 9.0, 8.7, 9.1], 36.3, None, False),
    ("srs", [8.0, 9.0, 9.0, 9.9], 35.9, None, True),
    ("ors", [5.0, 6.0, 7.0, 6.5], 24.5, None, True),
    ("wai_sr", [5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4], 54, None, None),
    # ARM-5: item 3 reversed on 1-7 (8 - x): 7, 6, (8-2)=6, 5, 7 -> mean 6.2
    ("arm5", [7, 6, 2, 5, 7], 6.2, None, None),
    ("sai", [7, 6, 5, 6, 7, 5], 6.0, None, None),
    ("checkin", [8, 9, 7, 10, 9], 43, None, None),
]


@pytest.mark.parametrize(("name", "values", "total", "band", "clinical"), CASES)
def test_totals_bands_and_cut_offs(name: str, values: list[float], total: float,
                                   band: str | None, clinical: bool | None) -> None:
    result = _score(name, list(values))
    assert result.total == pytest.approx(total)
    assert result.band == band
    assert result.in_clinical_range is clinical
    assert result.missing == [] and not result.prorated


def test_reverse_key_changes_the_mean() -> None:
    high = _score("arm5", [4, 4, 1, 4, 4])
    low = _score("arm5", [4, 4, 7, 4, 4])
    assert high.total == pytest.approx((4 * 4 + 7) / 5)
    assert low.total == pytest.approx((4 * 4 + 1) / 5)


def test_who5_percentage() -> None:
    result = _score("who5", [3, 3, 2, 2, 2])
    assert result.scaled_total == 48


def test_wai_sr_subscales() -> None:
    result = _score("wai_sr", [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2])
    # task 1,2,10,12 = 1+2+5+2; bond 3,5,7,9 = 3+5+2+4; goal 4,6,8,11 = 4+1+3+1
    assert result.subscales == {"task": 10, "bond": 14, "goal": 9}


def test_k10_prorates_one_missing_item() -> None:
    # PMHC-MDS: one missing item -> round(sum / 9 * 10); 26 / 9 * 10 = 28.89 -> 29
    result = _score("k10", [3, 3, 3, 3, 3, 3, 2, 3, 3, None])
    assert result.total == 29 and result.prorated and result.missing == ["k10_10"]
    assert "estimated" in (result.note or "")
    assert _score("k10", [3] * 9 + [None]).total == 30  # 27 / 9 * 10


def test_totals_round_halves_up_like_the_manuals() -> None:
    from rapport.measures.scoring import _round_half_up

    assert _round_half_up(24.5) == 25 and _round_half_up(23.5) == 24
    assert round(24.5) == 24  # Python rounds halves to even, hence the helper


def test_k10_two_missing_items_give_no_total() -> None:
    result = _score("k10", [3, 3, 3, 3, 3, 3, 3, 3, None, None])
    assert result.total is None and result.band is None and result.in_clinical_range is None
    assert "allows 1" in (result.note or "")


def test_phq9_needs_every_item() -> None:
    result = _score("phq9", [1, 1, 1, 1, None, 1, 1, 1, 0])
    assert result.total is None and result.missing == ["phq9_5"]


@pytest.mark.parametrize("value", [1, 2, 3])
def test_item9_above_zero_raises_an_urgent_flag(value: int) -> None:
    result = _score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, value])
    assert [f.item for f in result.safety_flags] == ["phq9_9"]
    assert result.safety_flags[0].value == value
    assert "urgent" in result.safety_flags[0].message
    # the message names the item in words, never by its field id
    assert ("item 9 (thoughts that you would be better off dead, or of hurting yourself)"
            in result.safety_flags[0].message)
    assert "phq9_9" not in result.safety_flags[0].message


def test_item9_flag_survives_missing_items_and_zero_does_not_flag() -> None:
    flagged = _score("phq9", [None, None, 0, 0, 0, 0, 0, 0, 2])
    assert flagged.total is None and len(flagged.safety_flags) == 1
    assert _score("phq9", [3] * 8 + [0]).safety_flags == []


def test_no_setting_can_hide_the_safety_flag() -> None:
    # No function of the scoring or alert path takes a parameter that could suppress it.
    words = ("safety", "hide", "suppress", "silence", "mute", "risk")
    for function in (score, alerts_module.safety_alerts, alerts_module.not_on_track_alerts,
                     alerts_module.alliance_alerts):
        for parameter in inspect.signature(function).parameters:
            assert not any(w in parameter for w in words), (function, parameter)
    for model in (NotOnTrackRules, AllianceRules):
        assert not any(any(w in f for w in words) for f in model.model_fields)
        with pytest.raises(ValueError, match="Extra inputs"):
            model.model_validate({"hide_safety_flags": True})


@pytest.mark.parametrize(("name", "answers", "message"), [
    ("phq9", {"phq9_1": 4}, "out of range"),
    ("phq9", {"phq9_1": -1}, "out of range"),
    ("phq9", {"phq9_1": 1.5}, "out of range"),
    ("phq9", {"phq9_10": 1}, "not an item"),
    ("phq9", {"phq9_1": "2"}, "not a number"),
    ("phq9", {"phq9_1": True}, "not a number"),
    ("k10", {"k10_1": 0}, "out of range"),  # Australian coding is 1-5
    ("srs", {"srs_1": 10.05}, "out of range"),  # steps of 0.1
    ("srs", {"srs_1": 10.5}, "out of range"),
    ("wai_sr", {"wai_sr_1": 6}, "out of range"),
])
def test_bad_answers_are_rejected_whole(name: str, answers: dict[str, object],
                                        message: str) -> None:
    instrument = get_instrument(name)
    full: dict[str, object] = dict.fromkeys(instrument.item_ids, instrument.value_range[0])
    full.update(answers)
    with pytest.raises(RapportInputError, match=message) as err:
        score(instrument, full)  # type: ignore[arg-type]
    assert err.value.fix


def test_answer_count_must_match() -> None:
    with pytest.raises(RapportInputError, match="3 answers given, PHQ-9 has 9 items"):
        answers_from_list(get_instrument("phq9"), [1, 2, 3])
