"""Did the therapist respond to risk talk? The reply read by rule and by model.

A reply that asks about suicide, self-harm, safety or the abuse in so many words is
``asked_directly`` whatever the model says (:func:`asks_directly`); otherwise the reply
model decides between ``asked_directly``, ``explored`` and ``moved_on``.

>>> asks_directly("When you say you want it to stop, do you mean ending your life?")
True
>>> asks_directly("So how many drinks would you say, on a normal weekend?")
False
"""

from __future__ import annotations

import re

from rapport.risk.rules import normalise

_TOPIC = (r"(?:suicid\w*|kill(?:ing)? (?:your ?self|yourself)|end(?:ing)? (?:your|it)|take your "
          r"(?:own )?life|taking your (?:own )?life|hurt(?:ing)? (?:your ?self|yourself|him|her|"
          r"them|anyone|someone|the baby)|harm(?:ing)? (?:your ?self|yourself|him|her|them|"
          r"anyone)|self harm\w*|cut(?:ting)? (?:your ?self|yourself)|burn(?:ing)? yourself|"
          r"overdos\w*|safe\b|safety|dying|die\b|dead\b|not (?:be|being) here|wake up|plan\b|"
          r"pills|tablets|means|rope|gun|weapon|knife|is (?:he|she|someone|anyone) hurting|"
          r"does (?:he|she) (?:hit|hurt)|(?:he|she) hurt(?:s|ing)? you|abus\w*|touch(?:ed|es|"
          r"ing)? you|at home|police|report\w*|social services|safeguarding|act on)")
_ASK = re.compile(r"\b(?:are you|have you|do you|did you|is (?:he|she|it|someone|anyone|there)|"
                  r"does (?:he|she)|has (?:he|she|anyone)|would you|could you|when you say|"
                  r"what do you mean|do you mean|how often|how long|how close|how many|are "
                  r"the (?:kids|children)|is anyone|can i ask|i need to ask|i want to ask|i m "
                  r"going to ask|i have to ask)\b[^?.!]{0,120}?\b" + _TOPIC)


def asks_directly(reply: str) -> bool:
    """The reply asks about suicide, self-harm, safety or the harm in so many words."""
    return bool(_ASK.search(normalise(reply).text))
