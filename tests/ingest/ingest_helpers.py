"""Helpers for the ingest tests: parse bytes with the real settings and role flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import RapportInputError
from rapport.ingest import ImportResult, RoleMap, parse_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def parse(text: str | bytes, name: str = "s.txt", **kwargs: object) -> ImportResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_bytes(data, name=name, **kwargs)  # type: ignore[arg-type]


def parse_error(text: str | bytes, name: str = "s.txt", **kwargs: object
                ) -> RapportInputError:
    with pytest.raises(RapportInputError) as info:
        parse(text, name, **kwargs)
    return info.value


def roles(therapist: tuple[str, ...] = (), client: tuple[str, ...] = (),
          other: tuple[str, ...] = ()) -> RoleMap:
    return RoleMap(therapist=therapist, client=client, other=other)
