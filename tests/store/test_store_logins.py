"""Sign-ins are touched at most once a minute (no write per request), yet idle expiry holds."""

from __future__ import annotations

import datetime as dt

from record_fixtures import People

from rapport.store.database import Store
from rapport.store.logins import TOUCH_EVERY, resume_web_session, start_web_session
from rapport.store.models import WebSession
from rapport.store.permissions import resolve_actor

IDLE, ABSOLUTE = dt.timedelta(minutes=30), dt.timedelta(hours=12)


def test_touch_at_most_once_a_minute(store: Store, people: People) -> None:
    with store.transaction(people.therapist) as tx:
        token, sign_in = start_web_session(tx, resolve_actor(tx.db, people.therapist))
    with store.transaction(None) as tx:
        first = tx.db.get(WebSession, sign_in.id)
        assert first is not None
        start = first.last_seen_at

    def seen(at: dt.datetime) -> dt.datetime:
        with store.transaction(None) as tx:
            assert resume_web_session(tx.db, token, idle=IDLE, absolute=ABSOLUTE, now=at)
        with store.transaction(None) as tx:
            row = tx.db.get(WebSession, sign_in.id)
            assert row is not None
            return row.last_seen_at

    assert seen(start + dt.timedelta(seconds=30)) == start  # no write within the minute
    later = start + TOUCH_EVERY + dt.timedelta(seconds=1)
    assert seen(later) == later
    # The stored last use may be up to a minute old: never end a sign-in early, so it
    # lives until the idle limit plus that minute since the last touch, and then ends.
    alive = later + IDLE + dt.timedelta(seconds=30)
    assert seen(alive) == alive
    with store.transaction(None) as tx:
        assert resume_web_session(tx.db, token, idle=IDLE, absolute=ABSOLUTE,
                                  now=alive + IDLE + TOUCH_EVERY + dt.timedelta(seconds=1)
                                  ) is None
