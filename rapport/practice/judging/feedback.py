"""Feedback in plain words: what the reply did, what the moment needed, one exemplar, and
one next step tied to what was missing or harmful. Deterministic: the same judgement gives
the same words."""

from __future__ import annotations

from rapport.practice.drills import Drill
from rapport.practice.judgement import Feedback, ReplyCode

#: Each code as a trainee reads it (the codebook's names, in words).
CODE_WORDS: dict[str, str] = {
    "simple_reflection": "said back what the client said",
    "complex_reflection": "reflected a feeling or meaning under the words",
    "open_question": "asked an open question", "closed_question": "asked a closed question",
    "affirm": "named a strength or effort", "validation": "said the reaction makes sense",
    "normalize": "said many people feel this way",
    "seek_permission": "asked before offering anything",
    "emphasize_autonomy": "said the choice is the client's",
    "advice_without_permission": "gave advice or a suggestion without asking first",
    "persuade": "argued for change", "confront": "corrected or disagreed from above",
    "explain_process": "explained what happens or why",
    "metacommunication": "talked about the conversation itself",
    "repair": "owned or welcomed the complaint",
    "self_disclosure": "shared something about yourself",
    "boundary_statement": "stated the frame",
    "asks_about_suicide": "asked directly about suicide",
    "safety_planning": "moved to keeping the client safe",
    "minimise_or_reassure": "reassured or played it down",
    "ignores_cue": "passed over what the client just said"}

ASK_FIRST = ("Before any suggestion, ask whether they want one "
             "(\"Would it help if I shared an idea or two?\").")
#: The fix for the first harmful or missing thing found, in this order.
HARM_STEPS: tuple[tuple[str, str], ...] = (
    ("confront", "Drop the correction: say back what you heard before anything else."),
    ("advice_without_permission", ASK_FIRST),
    ("ignores_cue", "Stay with what the client just said before you move anywhere else."),
    ("persuade", "Leave out the reasons to change; reflect the client's own reasons instead."),
    ("minimise_or_reassure", "Hold back the reassurance; name what they feel first."))
SKILL_STEPS: dict[str, str] = {
    "empathy": "Name the feeling under the words as a statement (\"It sounds like ...\").",
    "validation": "Tie the reaction to their situation: \"Given ..., it makes sense that "
                  "you ...\".",
    "affirmation": "Name the strength the act shows (\"That took real determination\"), "
                   "not just the act.",
    "autonomy": "Ask permission or say the choice is theirs, and invite their own ideas first.",
    "transparency": "Explain why in plain words, then check how it lands or offer a choice.",
    "rupture_confrontation": "Welcome the complaint, own your part, and ask what would help more.",
    "rupture_withdrawal": "Gently notice the pulling back and invite their real view, "
                          "with no pressure.",
    "boundaries": "Say the no clearly and warmly, give a brief reason, and leave room to talk.",
    "cultural_humility": "Acknowledge the difference openly and ask what it means to them.",
    "confidentiality": "Answer plainly, including the limits (serious risk to them or others), "
                       "and keep them talking.",
    "sustain_talk": "Reflect their reasons for not changing, without arguing.",
    "suicide_risk": "Ask directly, in words: \"Are you thinking about ending your life?\""}
GIVES_IN_STEP = "Keep the frame: say no kindly and clearly, then talk about what the request means."
#: The fix for each R1 harm other than ``confront`` (rules.harmful's reasons).
R1_STEPS: dict[str, str] = {
    "gives in": GIVES_IN_STEP,
    "promises secrecy": "Don't promise total secrecy: say plainly what stays private and its "
                        "limits (serious risk to them or others, a child's safety, a court), "
                        "then invite them to go on.",
    "threatens": "Leave out the threat (the police, sectioning): stay calm, ask what is "
                 "happening for them, and plan their safety together."}
#: What the reply did that no code names, in the words of ``did``.
R1_WORDS: dict[str, str] = {"gives in": "It gave in to the request.",
                            "promises secrecy": "It promised total secrecy.",
                            "threatens": "It threatened the client (the police, sectioning)."}
#: On a suicide drill once the question is asked: the fix for putting it off, and for
#: answering it for the client.
STAY_WITH_RISK_STEP = ("Once you have asked, stay with it now: ask about a plan and what would "
                       "keep them safe; never put it off to another time or topic.")
LET_THEM_ANSWER_STEP = ("After the question, let them answer: don't answer for them or "
                        "reassure; whatever they say, stay with it and ask about safety.")
ONE_WORD_STEP = "Answer in a full sentence that shows what you heard."
KEEP_STEP = "Keep this move, then stop and let the client answer."
#: Past this many words a met reply is also told to say it shorter (a drill's exemplars
#: run 10-30 words; a short reply was told "fewer words" too).
LONG_REPLY_WORDS = 40
KEEP_SHORTER_STEP = ("Keep this move; next time try it in fewer words and then let the "
                     "client answer.")


def describe_codes(codes: tuple[ReplyCode, ...]) -> str:
    words = [CODE_WORDS[c.code] for c in codes if c.code in CODE_WORDS]
    if not words:
        return "The reply did none of the moves the codebook looks for."
    if len(words) == 1:
        return f"You {words[0]}."
    return "You " + ", ".join(words[:-1]) + f" and {words[-1]}."


def next_step(drill: Drill, verdict: str, codes: tuple[ReplyCode, ...], rule: str,
              harm: str | None = None, *, words: int = 0) -> str:
    """The one fix for the first harmful or missing thing; "keep this move" when met (a
    harm caps the verdict below ``met``, so a met reply is never told to undo one)."""
    names = {c.code for c in codes}
    if rule == "R3" and verdict == "not_met":
        return ONE_WORD_STEP
    if verdict == "met":
        return KEEP_SHORTER_STEP if words > LONG_REPLY_WORDS else KEEP_STEP
    if harm in R1_STEPS:
        return R1_STEPS[harm]
    step = _suicide_step(names) if drill.skill == "suicide_risk" else None
    for code, harm_step in HARM_STEPS:
        if step is None and code in names and not (
                code == "advice_without_permission"
                and drill.skill in ("transparency", "confidentiality")):
            step = harm_step
    return step or SKILL_STEPS[drill.skill]


def _suicide_step(names: set[str]) -> str | None:
    """On a suicide drill the missing question comes before any other fix; once asked,
    putting it off or answering for the client is the fix."""
    if not names & {"asks_about_suicide", "safety_planning"}:
        return SKILL_STEPS["suicide_risk"]
    if "confront" in names:
        return None
    if "ignores_cue" in names:
        return STAY_WITH_RISK_STEP
    if "minimise_or_reassure" in names:
        return LET_THEM_ANSWER_STEP
    return None


def make_feedback(drill: Drill, verdict: str, codes: tuple[ReplyCode, ...], rule: str, *,
                  unsure: bool, confidence: float, harm: str | None = None,
                  words: int = 0) -> Feedback:
    did = describe_codes(codes)
    if harm in R1_WORDS:
        did = R1_WORDS[harm] if not codes else f"{did} {R1_WORDS[harm]}"
    step = next_step(drill, verdict, codes, rule, harm, words=words)
    if unsure:
        did = (f"{did} The judge is not sure how this reply meets the target "
               f"({confidence:.0%} sure of '{verdict.replace('_', ' ')}'), so it neither "
               "praises nor faults it: compare it with the exemplar yourself.")
        if step in (KEEP_STEP, KEEP_SHORTER_STEP):  # check the skill, not "keep this move"
            step = SKILL_STEPS[drill.skill]
        step = f"Check against the target; if it falls short: {step[0].lower()}{step[1:]}"
    return Feedback(did=did, needed=drill.target, exemplar=drill.exemplars[0], next_step=step)
