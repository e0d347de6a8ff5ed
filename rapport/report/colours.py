"""The colours of every chart, in the HTML report and in the web app alike.

Each speaker role has one colour wherever it appears (talk-time bars, timeline lanes,
movement lines, transcript turns, legend and table swatches), so a reader who learns
"blue is the therapist" on one chart can trust it on the next. Everything that is not a
person (behaviour codes, synchrony, questionnaire lines) takes one of the other
colours, never a role's. All come from the Okabe–Ito colour-blind-safe palette, and no
chart relies on colour alone (labels, dashes and bar heights say the same).
"""

from __future__ import annotations

from types import MappingProxyType

from rapport.domain import Role

#: Okabe–Ito: blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, black.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION = PALETTE[:6]
#: a light grey for uncoded turns and neutral talk (a behaviour, so not a role's grey)
GREY = "#999999"

#: One colour per speaker role: the only place these are decided. "Other" speakers (an
#: interpreter, a parent) are a dark grey, set apart from the light grey of uncoded turns.
ROLE_COLOURS = MappingProxyType({Role.THERAPIST: BLUE, Role.CLIENT: ORANGE,
                                 Role.OTHER: "#5A5A5A"})
#: Measures of the two people together (movement synchrony): no person's colour.
TOGETHER = GREEN
#: Questionnaire lines on the web, by instrument kind: the client answers them all, and
#: none is a speaker, so none takes a role's colour.
MEASURE_COLOURS = MappingProxyType({"outcome": GREEN, "alliance": PINK,
                                    "screener": VERMILLION})


def role_colour(role: Role | str) -> str:
    """The colour of ``role`` (a :class:`Role` or its value, e.g. ``"client"``).

    >>> role_colour("therapist")
    '#0072B2'
    """
    return ROLE_COLOURS[Role(role)]


def role_css() -> str:
    """The role colours as CSS custom properties (``--therapist``, ``--client``,
    ``--other``), for stylesheets that colour turns and swatches by class."""
    return " ".join(f"--{role.value}: {colour};" for role, colour in ROLE_COLOURS.items())
