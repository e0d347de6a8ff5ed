"""The practice room in plain words, for every face (pages, terminal, CSV): skills,
verdicts and codes as a trainee reads them. Names stay the machine's; words are for people.

>>> code_in_words("complex_reflection", 0.83)
'a complex reflection (adds meaning or feeling the client implied) — 83% sure'
"""

from __future__ import annotations

#: skill -> (short name, what it practises); the order of docs/practice.md.
SKILL_WORDS: dict[str, tuple[str, str]] = {
    "empathy": ("Reflecting feeling", "reflecting the feeling under the words"),
    "validation": ("Validating", "saying the reaction makes sense given the situation"),
    "affirmation": ("Affirming", "naming a specific strength or effort"),
    "autonomy": ("Autonomy", "asking permission before information or advice"),
    "transparency": ("Transparency", "explaining the process and the reason for it"),
    "rupture_confrontation": ("Rupture: confrontation",
                              "answering \u201cthis isn't helping\u201d without defending"),
    "rupture_withdrawal": ("Rupture: withdrawal",
                           "answering \u201cI guess\u2026 fine\u201d by making room"),
    "boundaries": ("Boundaries", "holding the frame kindly"),
    "cultural_humility": ("Cultural humility", "curiosity about difference, no assumptions"),
    "confidentiality": ("Confidentiality", "honest answers, including the limits"),
    "sustain_talk": ("Sustain talk", "rolling with reasons not to change, not arguing"),
    "suicide_risk": ("Suicide risk", "asking directly about suicide and staying with it"),
}

VERDICT_WORDS: dict[str, tuple[str, str]] = {
    "met": ("Met", "Your reply did what this moment needed."),
    "partly": ("Partly met", "Your reply did some of what this moment needed."),
    "not_met": ("Not met yet", "Your reply missed what this moment needed."),
}

CODE_WORDS: dict[str, str] = {
    "simple_reflection": "a simple reflection (says back what the client said)",
    "complex_reflection": "a complex reflection (adds meaning or feeling the client implied)",
    "open_question": "an open question",
    "closed_question": "a closed (yes/no) question",
    "affirm": "an affirmation of a strength or effort",
    "validation": "validation (the reaction makes sense)",
    "normalize": "normalising (others feel this too)",
    "seek_permission": "asking permission first",
    "emphasize_autonomy": "leaving the choice with the client",
    "advice_without_permission": "advice without asking first",
    "persuade": "persuading or arguing for change",
    "confront": "confronting or disagreeing",
    "explain_process": "explaining the process and why",
    "metacommunication": "talking about the conversation itself",
    "repair": "repairing the relationship (owning your part)",
    "self_disclosure": "telling something about yourself",
    "boundary_statement": "stating a boundary",
    "asks_about_suicide": "asking directly about suicide",
    "safety_planning": "planning for safety",
    "minimise_or_reassure": "minimising or reassuring too soon",
    "ignores_cue": "passing over what the client signalled",
}

UNSURE_NOTE = ("The judge is not sure about this reply: take the verdict lightly, compare "
               "your reply with the exemplar, and ask your supervisor if in doubt.")


def skill_name(skill: str) -> str:
    return SKILL_WORDS.get(skill, (skill.replace("_", " ").capitalize(), ""))[0]


def verdict_name(verdict: str) -> str:
    return VERDICT_WORDS.get(verdict, (verdict, ""))[0]


def percent_sure(confidence: float) -> str:
    return f"{round(max(0.0, min(1.0, confidence)) * 100):d}% sure"


def code_in_words(code: str, confidence: float) -> str:
    return f"{CODE_WORDS.get(code, code.replace('_', ' '))} — {percent_sure(confidence)}"
