"""The dispatcher: bytes → text → format parser → validated sessions."""

from __future__ import annotations

from collections.abc import Callable

from rapport.errors import RapportInputError
from rapport.ingest.api import ImportResult, RoleMap
from rapport.ingest.assemble import assemble
from rapport.ingest.csv_table import parse_csv
from rapport.ingest.decode import decode
from rapport.ingest.detect import ALIASES, FORMATS, detect_format
from rapport.ingest.jsonl import parse_jsonl
from rapport.ingest.plain_text import parse_text
from rapport.ingest.raw import Context, RawSession
from rapport.ingest.srt import parse_srt
from rapport.ingest.webvtt import parse_webvtt
from rapport.ingest.whisper_json import parse_whisper
from rapport.settings import Settings

PARSERS: dict[str, Callable[[str, Context], list[RawSession]]] = {
    "text": parse_text, "vtt": parse_webvtt, "srt": parse_srt, "whisper": parse_whisper,
    "csv": parse_csv, "jsonl": parse_jsonl,
}


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
        if fmt not in FORMATS:
            raise RapportInputError(f"unknown format {fmt!r}", where="--format",
                                    fix=f"use one of: {', '.join(FORMATS)}",
                                    code="bad_format")
    text, warnings = decode(data, ctx, encoding)
    chosen = fmt or detect_format(text, name)
    raws = PARSERS[chosen](text, ctx)
    sessions, notes = assemble(raws, chosen, ctx)
    return ImportResult(sessions=sessions, format=chosen,
                        warnings=[*warnings, *ctx.warnings, *notes])
