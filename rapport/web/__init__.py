"""The web app (``rapport serve``): FastAPI, server-rendered pages and a JSON API.

- ``app.py`` builds the application (``create_app``) from a :class:`rapport.store.Store`;
- ``identity.py`` resolves who is asking (session cookie or API token) and checks CSRF;
- ``errors.py`` is the one error shape ``{ok, error, code, status}`` and its statuses;
- ``api/`` the JSON API under ``/api/v1``; ``pages/`` the HTML pages.

Permissions are not decided here: every read and write goes through ``rapport.store``
(and ``rapport.caseload``), whose queries are scoped by :mod:`rapport.store.permissions`
and audited with the interface ``web`` (pages) or ``api`` (JSON).
"""
