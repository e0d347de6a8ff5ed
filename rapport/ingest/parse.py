"""The dispatcher: bytes → text → format parser → validated sessions."""

from __future__ import annotations

from rapport.errors import RapportInputError
from rapport.ingest.api import ImportResult, RoleMap
from rapport.ingest.assemble import assemble
from rapport.ingest.decode import decode
from rapport.ingest.detect import detect_format
from rapport.ingest.formats import ALIASES, BY_NAME, TEXT_FORMATS
from rapport.ingest.raw import Context
from rapport.settings import Settings


def parse(data: bytes, *, name: str, roles: RoleMap, fmt: str | None, settings: Settings,
          where: str, encoding: str | None = None) -> ImportResult:
    """Parse one input completely, or raise one :class:`RapportInputError` about it."""
    ctx = Context(name=name, where=where, roles=roles, settings=settings)
    if len(data) > settings.max_file_bytes:
        raise ctx.error(f"input is {len(data):,} bytes, over the limit of "
                        f"{settings.max_file_bytes:,}",
                        fix="split the file, or raise RAPPORT_MAX_FILE_BYTES",
                        code="too_large")
    if fmt is not None:
        fmt = ALIASES.get(fmt.casefold(), fmt.casefold())
        if fmt not in TEXT_FORMATS:
            raise RapportInputError(f"unknown format {fmt!r}", where="--format",
                                    fix=f"use one of: {', '.join(TEXT_FORMATS)}",
                                    code="bad_format")
    text, warnings = decode(data, ctx, encoding)
    chosen = fmt or detect_format(text, name)
    raws = BY_NAME[chosen].parser()(text, ctx)
    done = assemble(raws, chosen, ctx)
    general = [*warnings, *ctx.warnings, *done.general]
    return ImportResult(sessions=done.sessions, format=chosen,
                        warnings=[*warnings, *ctx.warnings, *done.warnings],
                        per_session=done.per_session, general=general,
                        unmatched_flags=done.unmatched_flags)
