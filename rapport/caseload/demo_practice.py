"""The demo trainee's practice history: a few replies, judged by the real judge.

``make demo`` and ``rapport db demo`` give the demo record a trainee (``tia``, supervised
by ``sam``; rapport/store/demo.py) so that the practice room, the trainee's progress and
the supervisor's practice view have something to show. Only the replies are written here;
each goes through :func:`rapport.caseload.practice.practise`, the same path as the web
page and the CLI, so every verdict, code and piece of feedback is the judge's own.
"""

from __future__ import annotations

from pathlib import Path

from rapport.caseload.practice import practise
from rapport.settings import get_settings
from rapport.store.database import Store
from rapport.store.tx import Tx

#: The demo trainee (one of rapport.store.demo.DEMO_USERS).
DEMO_TRAINEE = "tia"

#: (drill id, reply) in the order tia answered them: a miss and then a better try on three
#: skills, a first try on four more; enough reflections and questions (10) for the style
#: of the replies to be shown. Invented replies; the verdicts are not chosen here.
DEMO_ATTEMPTS: tuple[tuple[str, str], ...] = (
    ("empathy-01", ("Have you thought about asking your partner to do some of the night "
                    "feeds?")),
    ("empathy-01", ("You love her so much, and you're also completely worn out, and at three "
                    "in the morning it feels very lonely.")),
    ("validation-01", "You need to keep calm in front of the kids, whatever she does."),
    ("validation-01", ("Forty minutes late again, it makes sense you were furious, and I can "
                       "hear you wish the kids hadn't seen it.")),
    ("suicide_risk-01", "I'm sure they love you very much."),
    ("suicide_risk-01", ("That sounds painful. When you say they'd be better off without you, "
                         "are you thinking about killing yourself?")),
    ("rupture_withdrawal-01", ("Fine sounds a bit flat. I'd really like to hear what you "
                               "think, even if it's no.")),
    ("empathy-02", ("After twenty-two years they walked you out without even looking at "
                    "you. That sounds humiliating.")),
    ("cultural_humility-01", ("You're right that I may not understand. Would you be willing "
                              "to tell me what talking about this outside the family means "
                              "for you?")),
    ("autonomy-01", ("What have you tried so far? And if you'd like, I could share a few "
                     "ideas that help some people.")),
)


def seed_demo_practice(tx: Tx) -> int:
    """Judge and store the demo trainee's replies as the acting user (the trainee);
    returns the number of attempts stored."""
    for drill_id, reply in DEMO_ATTEMPTS:
        practise(tx, drill_id, reply)
    return len(DEMO_ATTEMPTS)


def seed_practice(key_file: Path) -> int:
    """Open the demo record just created and store the trainee's attempts as the trainee.
    ``key_file`` is the demo record's (when the key comes from RAPPORT_KEY there is no
    file: the settings have it)."""
    settings = get_settings(key_file=key_file) if key_file.is_file() else get_settings()
    store = Store.from_settings(settings)
    try:
        with store.transaction(DEMO_TRAINEE, interface="system") as tx:
            return seed_demo_practice(tx)
    finally:
        store.dispose()
