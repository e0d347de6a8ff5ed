"""Write the JSON API's OpenAPI document without a server or a record on disk.

``make openapi`` writes ``docs/openapi.json``; a test regenerates it and compares, so
scripts written against the committed file match the code.
"""

from __future__ import annotations

import json
import sys


def render() -> str:
    import base64

    from rapport.settings import Settings
    from rapport.store.database import Store
    from rapport.web.app import create_app

    # A throwaway in-memory record: create_app refuses a record without the schema.
    store = Store("sqlite://", key=base64.b64encode(bytes(32)).decode())
    try:
        store.upgrade()
        app = create_app(Settings(database_url="sqlite://"), store=store)
        return json.dumps(app.openapi(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    finally:
        store.dispose()


if __name__ == "__main__":
    sys.stdout.write(render())
