"""The client record: users, clients, consents, sessions, stored analyses, audit.

Everything goes through :class:`~rapport.store.database.Store`; each command is one
transaction (``with store.transaction(username) as tx: ...``) and every store function
takes that ``tx``: it checks permissions (:mod:`rapport.store.permissions`), encrypts
what identifies or quotes the client (:mod:`rapport.store.crypto`) and writes the audit
log. See ``docs/record.md``.
"""
