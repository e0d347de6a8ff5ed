"""Check a rendered page's speaker colours: one colour per role, and no other use of them.

Used by the report tests and the web page tests alike. An element drawn in a role's colour
names the role in its class (``role-therapist``); the check reads every SVG ``fill`` and
``stroke`` and every inline ``background``, and the page's stylesheets, and fails when

- an element of role R is drawn in another role's colour, or not in R's colour at all;
- an element without a role class is drawn in a role's colour (a behaviour bar in the
  therapist's blue would read as "therapist");
- the stylesheet uses a role's colour in a rule that is not about that role.

It returns what it saw per role, so a test can also insist that the charts it expects
were actually there.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from rapport.report.colours import ROLE_COLOURS

ROLES = {role.value: colour.upper() for role, colour in ROLE_COLOURS.items()}
BY_COLOUR = {colour: role for role, colour in ROLES.items()}
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


class _Colours(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: Counter[str] = Counter()  # "role:tag" -> elements checked
        self.problems: list[str] = []
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "style":
            self._in_style = True
        classes = values.get("class", "").split()
        roles = [c.removeprefix("role-") for c in classes
                 if c.removeprefix("role-") in ROLES and c.startswith("role-")]
        painted = [c.upper() for key in ("fill", "stroke", "style")
                   for c in _HEX.findall(values.get(key, ""))]
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)[:160]}>"
        if not roles:
            self.problems += [f"{where} uses the {BY_COLOUR[c]} colour without being the "
                              f"{BY_COLOUR[c]}" for c in painted if c in BY_COLOUR]
            return
        if len(set(roles)) > 1:
            self.problems.append(f"{where} claims several roles")
            return
        role = roles[0]
        wrong = [c for c in painted if c in BY_COLOUR and BY_COLOUR[c] != role]
        if wrong:
            self.problems.append(f"{where} is the {role} but drawn in {wrong}")
        if tag in ("rect", "line", "polyline", "path", "circle") and ROLES[role] not in painted:
            self.problems.append(f"{where} is the {role} but not drawn in {ROLES[role]}")
        kind = "swatch" if "swatch" in classes else "turn" if "turn" in classes else tag
        self.seen[f"{role}:{kind}"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)


def _check_css(css: str) -> list[str]:
    problems = []
    defined = dict(re.findall(r"--(therapist|client|other):\s*(#[0-9a-fA-F]{6})", css))
    problems += [f"the stylesheet sets --{role} to {defined.get(role)}, not {colour}"
                 for role, colour in ROLES.items() if defined.get(role, "").upper() != colour]
    without_props = re.sub(r"--(therapist|client|other):\s*#[0-9a-fA-F]{6};?", "", css)
    problems += [f"the stylesheet uses the {BY_COLOUR[c.upper()]} colour {c} directly"
                 for c in _HEX.findall(without_props) if c.upper() in BY_COLOUR]
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for role in re.findall(r"var\(--(therapist|client|other)\)", body):
            if f"role-{role}" not in selector:
                problems.append(f"the rule {selector.strip()!r} uses --{role}, but is not "
                                f"about the {role}")
    return problems


def check_role_colours(page: str) -> Counter[str]:
    """Fail (AssertionError listing every problem) unless each speaker role has one colour
    on ``page``; return how many role-coloured elements of each kind it has."""
    parser = _Colours()
    parser.feed(page)
    css = "\n".join(parser.css)
    by_class = [k for k in parser.seen if k.endswith((":swatch", ":turn"))]
    problems = parser.problems + (
        _check_css(css) if css else
        [f"no stylesheet colours the {', '.join(by_class)}"] if by_class else [])
    assert not problems, "\n".join(problems)
    return parser.seen
