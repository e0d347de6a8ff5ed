"""The one error type for bad user input.

Every problem a user can fix (a malformed transcript, an unknown speaker label, a missing
key file) is raised as :class:`RapportInputError`. The CLI prints it as one short block
and exits with status 2; the web API turns it into its JSON error shape. Anything else
is a bug and may show a traceback.
"""

from __future__ import annotations


class RapportInputError(Exception):
    """Input the user can fix: says what is wrong, where, and how to fix it.

    >>> err = RapportInputError("no speaker labels found", where="notes.txt:1",
    ...                         fix="start each turn with 'T:' or 'C:'")
    >>> print(err)
    notes.txt:1: no speaker labels found
      fix: start each turn with 'T:' or 'C:'
    """

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None,
                 code: str = "bad_input") -> None:
        self.what = what
        self.where = where
        self.fix = fix
        self.code = code
        super().__init__(self.render())

    def render(self) -> str:
        head = f"{self.where}: {self.what}" if self.where else self.what
        return f"{head}\n  fix: {self.fix}" if self.fix else head

    def at(self, where: str) -> RapportInputError:
        """Return a copy located at ``where`` when the raiser did not know it."""
        if self.where:
            return self
        return RapportInputError(self.what, where=where, fix=self.fix, code=self.code)
