"""The judge reads English only: a reply it can tell is another language is judged
``unsure`` with one clear next step, never a confident verdict about passing over the cue.
(A refusal would lose the reply on the web page, which re-shows the form only for an empty or
too long reply; so the judge answers, and says it cannot judge.)"""

from __future__ import annotations

import pytest

from rapport.practice import judge_reply, load_drills
from rapport.practice.judging.language import reply_language

DRILLS = {d.id: d for d in load_drills()}
NOT_ENGLISH = [
    ("empathy-01", ("Parece que te sientes muy sola y agotada por las noches, aunque la "
                    "quieres mucho.")),
    ("empathy-01", ("Es klingt, als wärst du nachts sehr einsam und erschöpft, obwohl du sie "
                    "liebst.")),
    ("validation-01", "Tiene todo el sentido que te sientas así después de lo que pasó."),
    ("empathy-01", "On dirait que tu te sens très seule la nuit, et que c'est épuisant."),
    ("empathy-01", "Похоже, вы очень устали и вам одиноко по ночам."),
]


@pytest.mark.parametrize(("drill_id", "reply"), NOT_ENGLISH)
def test_a_reply_not_in_english_is_unsure_and_says_why(drill_id: str, reply: str) -> None:
    judgement = judge_reply(DRILLS[drill_id], reply)
    assert judgement.unsure
    assert judgement.confidence < 0.5
    assert not judgement.has("ignores_cue")
    assert judgement.codes == ()
    assert judgement.rule == "english_only"
    assert "English" in judgement.feedback.did and "English" in judgement.feedback.next_step
    assert "passed over" not in judgement.feedback.did


@pytest.mark.parametrize("reply", [
    "It sounds like you're exhausted and it's lonely at 3am.", "No.", "ok", "Okay.",
    "u r so tired n it's lonely", "No, me neither.", "Are you thinking about suicide?",
    "Hmm.", "I don't want you to die.", "Si, that makes sense.", "Gracias for telling me.",
])
def test_english_replies_are_read_as_english(reply: str) -> None:
    assert reply_language(reply) is None


def test_every_drill_text_reads_as_english() -> None:
    from rapport.practice.judging.signals import drill_texts

    assert [t for t in drill_texts(list(DRILLS.values())) if reply_language(t)] == []


def test_every_development_reply_reads_as_english() -> None:
    from pathlib import Path

    from rapport.practice.evalset import load_replies

    dev = Path(__file__).resolve().parents[2] / "data" / "practice" / "dev"
    replies = [r for name in ("replies.jsonl", "replies-2.jsonl")
               for r in load_replies(dev / name)]
    assert [r.reply for r in replies if reply_language(r.reply)] == []
