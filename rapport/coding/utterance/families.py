"""The five utterance code families (the names are the interface; see docs/codebook.md)."""

from __future__ import annotations

from rapport.domain import CodeFamily, Role

THERAPIST_BEHAVIOUR = CodeFamily(
    name="therapist_behaviour", kind="single",
    labels=("question", "reflection", "input", "other"), roles=(Role.THERAPIST,),
    description="Main MI behaviour of a therapist turn (AnnoMI main_therapist_behaviour).")
QUESTION_TYPE = CodeFamily(
    name="question_type", kind="single", labels=("open", "closed"), roles=(Role.THERAPIST,),
    parent=("therapist_behaviour", "question"),
    description="Open or closed question (questions only).")
REFLECTION_TYPE = CodeFamily(
    name="reflection_type", kind="single", labels=("simple", "complex"),
    roles=(Role.THERAPIST,), parent=("therapist_behaviour", "reflection"),
    description="Simple or complex reflection (reflections only).")
INPUT_TYPE = CodeFamily(
    name="input_type", kind="single",
    labels=("information", "advice", "options", "negotiation"), roles=(Role.THERAPIST,),
    parent=("therapist_behaviour", "input"),
    description="Kind of therapist input (input only).")
CLIENT_TALK = CodeFamily(
    name="client_talk", kind="single", labels=("change", "neutral", "sustain"),
    roles=(Role.CLIENT,),
    description="Change talk, neutral talk or sustain talk of a client turn.")

#: Parents come before their children: prediction relies on this order.
FAMILIES: tuple[CodeFamily, ...] = (
    THERAPIST_BEHAVIOUR, QUESTION_TYPE, REFLECTION_TYPE, INPUT_TYPE, CLIENT_TALK)
#: The two presets behind one API (see docs/models.md).
PRESETS = ("fast", "accurate")
#: The context-only variant for live use (practice replies): the fast preset trained on
#: the turn and the turns before it only. Kept out of PRESETS so ``all`` and the session
#: pipeline are unchanged; it is trained and evaluated by name.
LIVE_PRESET = "live"
MODEL_PRESETS = (*PRESETS, LIVE_PRESET)
FAMILY_BY_NAME = {f.name: f for f in FAMILIES}
#: The label set every saved model must match exactly.
LABEL_SET: dict[str, list[str]] = {f.name: list(f.labels) for f in FAMILIES}
