"""Small project-written word lists the profile uses where no coder gives a code.

They are deliberately short and transparent: every match is shown as evidence, so a
reader can see why a turn counted. They are English-only; a non-English session gets
"approximated" notes rather than silently wrong numbers (see ``docs/metrics.md``).
The feeling words are our own list (not the NRC lexicon, which is research-only).
"""

from __future__ import annotations

import re
from functools import cache

#: Feeling words, grouped loosely by family; used to spot reflections *of feeling* and
#: client emotional disclosure when no coder provides ``emotional_disclosure``.
_FEELING_TEXT = """
afraid alone angry anger annoyed anxious anxiety ashamed betrayed bitter calm confused
content crushed defeated depressed desperate devastated disappointed discouraged
disgusted distressed down embarrassed empty excited exhausted fear feel feeling feelings
felt frightened frustrated frustrating frustration furious glad grief grieving guilt
guilty happy heartbroken helpless hopeful hopeless hurt hurting insecure irritated
jealous joy lonely loss lost mad miserable nervous numb overwhelmed overwhelming panic
panicky proud rejected relieved resentful sad sadness scared shame shaky shocked sorry
stressed stress stuck terrified tense tired torn trapped uneasy upset useless vulnerable
worried worry worthless
"""
FEELING_WORDS: frozenset[str] = frozenset(_FEELING_TEXT.split())

#: Phrases a therapist uses to ask permission before advice or information (MI practice).
PERMISSION_PATTERNS: tuple[str, ...] = (
    r"\b(is it|would it be|would that be) (ok|okay|alright|all right) (if|with you)\b",
    r"\bwould you (mind|like) (if i|me to)\b",
    r"\bcan i (share|tell you|offer|suggest|mention|give you)\b",
    r"\bmay i\b",
    r"\bdo you mind if\b",
    r"\bwould you be (interested|open|willing)\b",
    r"\bwith your permission\b",
)

#: Wording that offers a suggestion or tells what to do: a turn with it is never praised
#: as a reflection, whatever the utterance coder calls it (a moment praising advice
#: teaches the opposite of what it means to).
ADVICE_PATTERNS: tuple[str, ...] = (
    r"\b(another|one) thing (that )?(helps|works|you (could|can|might))\b",
    r"\bwhat (helps|works) (is|for)\b",
    r"\b(it|that|this) (might|may|would|could|will) help (to|if|you)\b",
    r"\byou (could|might|can) (also |always )?(try|just|start|stop|think about doing)\b",
    r"\byou (just )?(should|need to|have to|must|ought to|'d better)\b",
    r"\bwhat you (need|have|ought|should) (to )?do\b",
    r"\b(a lot of|many|most) people find\b",
    r"\bhave you (tried|thought about trying)\b",
    r"\bmy (advice|suggestion) (is|would be)\b",
    r"\bwhy don't you\b",
    r"\byou just (leave|go|walk|stop|tell|say|take|put|get)\b",
)

#: Phrases that explain the process or rationale (transparency about what and why).
PROCESS_PATTERNS: tuple[str, ...] = (
    r"\bthe reason i('m| am)? (ask|asking|mention)\b",
    r"\bwhat we('ll| will| can) do (today|now|in this session|here)\b",
    r"\bthe way (this|these sessions|we) work",
    r"\bi('m| am) asking (because|since)\b",
    r"\b(let me|i want to|i'd like to) explain\b",
    r"\b(everything|what) you (say|tell me) (here )?(stays|is) (confidential|between us)\b",
    r"\bhow (this|our sessions) (works?|will go)\b",
    r"\bbefore we (start|begin|end|finish)\b",
    r"\bfor the rest of (the|our|this) session\b",
)

#: Boundary-relevant topics, each with a note on good practice (never a judgement).
BOUNDARY_TOPICS: dict[str, tuple[str, str]] = {
    "contact outside sessions": (
        (r"\b(text|call|message|email|phone) (you|me) (at home|after hours|on the weekend|"
        r"outside)|\byour (personal|private|cell|mobile) (number|phone)|\bmy personal (number|"
        r"phone)|\bfacebook\b|\binstagram\b|\bfriend (you|me) on\b"),
        "Agree on how and when contact between sessions happens, and say it plainly."),
    "gifts": (
        r"\b(a|this|small|little) (gift|present) for you\b|\bbought you\b|\bgift for you\b",
        ("Explore what the gift means to the client before deciding; note it and the "
         "decision.")),
    "dual relationship": (
        (r"\b(be|become|stay) friends\b|\bgrab (a )?(coffee|drink|lunch)\b|\bwork for you\b|"
         r"\bhire you\b|\bdo business\b"),
        ("Keep one relationship: name the boundary warmly and explain why it protects the "
         "work.")),
    "romantic or sexual content": (
        r"\b(attracted to you|in love with you|date you|kiss you|crush on you|sexy)\b",
        ("Acknowledge the feeling without acting on it, keep the frame, and take it to "
         "supervision.")),
    "session frame": (
        (r"\b(go|run|stay) over (time)?\b|\bextra (session|time)\b|\bcome to (your|my) "
         r"house\b|\bmeet (outside|somewhere else)\b|\bmiss(ed)? (the|our|last) session\b"),
        "Hold the agreed frame (time, place, fees) consistently and explain any exception."),
}

_WORD = re.compile(r"[a-z']+")


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def feeling_words(text: str) -> list[str]:
    """The feeling words in ``text``, in order (lower case).

    >>> feeling_words("You felt scared and alone.")
    ['felt', 'scared', 'alone']
    """
    return [w for w in _WORD.findall(text.lower()) if w in FEELING_WORDS]


#: Words that point at a feeling without naming one: they help spot a reflection of
#: feeling ("you felt...") but are not what a report should call the feeling.
FEELING_VERBS = frozenset({"feel", "feeling", "feelings", "felt"})


def feeling_labels(words: list[str]) -> list[str]:
    """The feelings among ``words`` as a report names them: each once, verbs left out.

    >>> feeling_labels(["felt", "worry", "down", "down"])
    ['worry', 'down']
    """
    return [w for w in dict.fromkeys(words) if w not in FEELING_VERBS]


def first_match(patterns: tuple[str, ...], text: str) -> str | None:
    """The first phrase of ``text`` matched by any of ``patterns``, or None."""
    for pattern in _compiled(patterns):
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


def asks_permission(text: str) -> str | None:
    """The permission-asking phrase in ``text``, if any."""
    return first_match(PERMISSION_PATTERNS, text)


def advice_wording(text: str) -> str | None:
    """The suggestion or telling phrase in ``text``, if any."""
    return first_match(ADVICE_PATTERNS, text)


def explains_process(text: str) -> str | None:
    """The process/rationale-explaining phrase in ``text``, if any."""
    return first_match(PROCESS_PATTERNS, text)


def boundary_topic(text: str) -> tuple[str, str, str] | None:
    """``(topic, matched phrase, good-practice note)`` for a boundary-relevant turn."""
    for topic, (pattern, note) in BOUNDARY_TOPICS.items():
        found = _compiled((pattern,))[0].search(text)
        if found:
            return topic, found.group(0), note
    return None
