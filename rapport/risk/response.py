"""Did the therapist respond to risk talk? The reply read by rule and by model.

A reply that asks about suicide, self-harm, safety or the abuse in so many words is
``asked_directly`` whatever the model says (:func:`asks_directly`); otherwise the reply
model decides between ``asked_directly``, ``explored`` and ``moved_on``.

The rule overrides the model, so it must not fire on everyday questions: a question
counts only when one sentence holds both the asking words and a risk topic named
unambiguously ("a plan to end your life", not "a plan for the drinking"; "feel safe",
not "safe to drive"). What it misses, the reply model still reads.

>>> asks_directly("When you say you want it to stop, do you mean ending your life?")
True
>>> asks_directly("So how many drinks would you say, on a normal weekend?")
False
>>> asks_directly("Would you like to make a plan for the drinking this week?")
False
>>> asks_directly("Can I ask what 'like this' means to you?")
False
"""

from __future__ import annotations

import re

from rapport.risk.rules import normalise

_HARM_VERB = (r"(?:end|kill|hurt|harm|die|stab|shoot|attack|poison|take (?:those |the |these "
              r"|all (?:of )?(?:the |those |your )?)?(?:pills|tablets|them|an overdose)|take "
              r"your (?:own )?life|do it|act on)")
#: someone whose safety a therapist asks about
_PERSON = (r"(?:you|he|she|they|we|everyone|everybody|anyone|(?:your|her|his|the|their) "
           r"(?:\w+ )?(?:mum|mam|mom|mother|dad|father|son|daughter|sister|brother|gran|nan|"
           r"grandma|kids|children|child|baby|family|partner|wife|husband)|you and (?:your |"
           r"the )?\w+)")
#: "... safe", "... safe to go home", not "... safe to drive"
_SAFE = (r"(?: (?:completely|really|totally|still|all|at home|feeling|keeping|staying))* safe"
         r"\b(?! to (?!go home|be at home|stay)\b)")
_TOPIC = (r"(?:suicid\w*|kill(?:ing)? (?:your ?self|yourself)|end(?:ing)? (?:your (?:own )?"
          r"life|it all)|tak(?:e|ing) your (?:own )?life|hurt(?:ing)? (?:your ?self|yourself|"
          r"him|her|them|anyone|someone|the baby)|harm(?:ing)? (?:your ?self|yourself|him|her|"
          r"them|anyone)|self harm\w*|cut(?:ting)? (?:your ?self|yourself)|burn(?:ing)? "
          r"yourself|overdos\w*|"
          # safety: how safe a person is, not whether something is safe to do
          r"feel(?:ing)? safe|safe (?:at home|tonight|with\b)|keep(?:ing)? (?:your ?self|"
          r"yourself|you) safe|stay(?:ing)? safe|safety plan\w*|"
          + _PERSON + r" (?:is|are|was|were|s|re)" + _SAFE + r"|"
          # wishing to be dead, not whether a pet died
          r"(?:want(?:ed|ing)?|wish(?:ed|ing)?|rather|better off) (?:you (?:were|could|"
          r"would) |to )?(?:be )?(?:dead|die|dying)|thoughts? (?:of|about) (?:dying|death|"
          r"being dead|not being here)|not (?:be|being) here|(?:not|never|n t) wake up|"
          # a plan, the means: to end a life, not for the week
          r"plan(?:s|ned|ning)? (?:to|on|for how|how) (?:you d |you would |to )?" + _HARM_VERB
          + r"|(?:have|got|made) (?:a |any )?plans?(?: in mind)? *$|means (?:to|of) "
          + _HARM_VERB + r"|(?:access to|have) (?:any |the |those |her |his |your |their |a )?"
          r"(?:pills|tablets|gun|guns|rifle|weapons?|knife|knives|rope)\b|(?:saved|saving|"
          r"stockpil\w*|collect\w*|hoard\w*) (?:up )?(?:the |your |any |some )?(?:pills|"
          r"tablets)|(?:too many|extra) (?:pills|tablets)|kill(?:ing)? (?:him|her|them|"
          r"someone|anyone)|guns?|weapons?|knife|knives|rifle|machete|cutlass|"
          # harm from others
          r"(?:hurt|hurts|hurting|hit|hits|hitting|threaten|threatens|threatening) you\b|"
          r"abus(?:e|ed|es|ing|ive)\b(?! (?:alcohol|drugs|substances|cannabis|the system))|"
          r"touched you\b|police|social services|safeguarding|act on (?:it|them|those|these|"
          r"that|the (?:thoughts|urges|feelings)))")
_ASK = re.compile(r"\b(?:are you|have you|do you|did you|is (?:he|she|it|someone|anyone|there)|"
                  r"does (?:he|she)|has (?:he|she|anyone)|would you|could you|when you say|"
                  r"what do you mean|do you mean|how often|how long|how close|how many|are "
                  r"the (?:kids|children)|is anyone|can i ask|i need to ask|i want to ask|i m "
                  r"going to ask|i have to ask)\b(?:.{0,120}?\b)?" + _TOPIC)
#: the question's word order ("is she safe?", "are you safe?") stands alone; a statement's
#: ("she's safe") counts only after asking words (in _TOPIC), as "you're safe now" reassures
_IS_SAFE = re.compile(r"\b(?:is|are|was|were) " + _PERSON + _SAFE)
_SENTENCE = re.compile(r"[^.?!]+")


def asks_directly(reply: str) -> bool:
    """The reply asks about suicide, self-harm, safety or the harm in so many words (the
    asking words and the topic in one sentence)."""
    for part in _SENTENCE.findall(reply):
        text = normalise(part).text
        if _ASK.search(text) or _IS_SAFE.search(text):
            return True
    return False
