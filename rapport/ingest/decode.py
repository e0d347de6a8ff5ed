"""Bytes to text, refusing anything that would silently become mojibake.

Accepted without a word: UTF-8 (with or without a byte-order mark) and UTF-16 with a
byte-order mark. Anything else stops with the byte offset and line of the first byte that
is not UTF-8, unless the user names the encoding (``encoding=``), in which case the text is
decoded with it and a warning says so.
"""

from __future__ import annotations

import codecs
import re

from rapport.ingest.raw import Context
from rapport.ingest.sniff import sniff_binary, sniff_markup

_BOMS = ((codecs.BOM_UTF32_LE, None), (codecs.BOM_UTF32_BE, None),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
#: Control characters that never belong in a transcript (tab, newlines, form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x09), *range(0x0E, 0x20)))
#: UTF-8 read as Windows-1252/Latin-1 and saved again ("CafÃ©", "donâ€™t"): text that was
#: already garbled before it reached us. Rapport cannot undo it reliably, so it says so.
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â€[™œ\u009d\u0098\u0099“”˜–—¦]|Â[\u00a0-\u00bf]")
_ENCODING_FIX = ("save the file as UTF-8, or name its encoding (e.g. --encoding cp1252 "
                 "for Windows Western European, --encoding latin-1)")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, ctx: Context, encoding: str | None = None) -> tuple[str, list[str]]:
    """Return the text and any warnings, or raise the input error that explains the bytes."""
    if not data.strip():
        raise ctx.error("the file is empty", fix="pass a transcript with speaker turns",
                        code="empty")
    sniffed = None if data.startswith(tuple(b for b, _ in _BOMS)) else sniff_binary(data)
    if sniffed:
        what, fix = sniffed
        raise ctx.error(f"this is a {what} file, not a transcript", fix=fix,
                        code="not_a_transcript")
    warnings: list[str] = []
    if encoding:
        text = _decode_as(data, encoding, ctx)
        if codecs.lookup(encoding).name not in {"utf-8", "utf-8-sig", "ascii"}:
            warnings.append(f"decoded as {encoding} as requested; check that accented "
                            "letters look right")
    else:
        text = _decode_auto(data, ctx)
    _check_characters(text, ctx)
    garbled = _MOJIBAKE.search(text)
    if garbled:
        line = text.count("\n", 0, garbled.start()) + 1
        # the line number only: warnings never quote client text
        warnings.append(f"line {line} has characters like 'Ã©' or 'â€™': UTF-8 text that was "
                        "decoded with the wrong encoding (mojibake); check the export "
                        "settings of the tool that wrote the file")
    markup = sniff_markup(text)
    if markup:
        raise ctx.error(f"this is an {markup}, not a transcript",
                        fix="save or export the transcript as plain text (.txt), WebVTT or "
                        "SRT", code="not_a_transcript")
    if not text.strip():
        raise ctx.error("the file holds only white space", fix="pass a transcript",
                        code="empty")
    return text, warnings


def _decode_as(data: bytes, encoding: str, ctx: Context) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ctx.error(f"unknown encoding {encoding!r}",
                        fix="use a Python codec name such as utf-8, cp1252, latin-1, "
                        "utf-16", code="bad_encoding") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ctx.error(f"byte {exc.start} cannot be decoded as {encoding}",
                        _line_of(data, exc.start), fix=_ENCODING_FIX,
                        code="bad_encoding") from None


def _decode_auto(data: bytes, ctx: Context) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec is None:
                raise ctx.error("the file is UTF-32, which is not accepted",
                                fix="save it as UTF-8, or pass --encoding utf-32",
                                code="bad_encoding")
            try:
                return data.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise ctx.error(f"broken {codec.upper()} text at byte {exc.start}",
                                fix=_ENCODING_FIX, code="bad_encoding") from None
    if b"\x00" in data[:4096]:
        zeros = data[:4096].count(b"\x00")
        if zeros * 3 > min(len(data), 4096):
            raise ctx.error("looks like UTF-16 text without a byte-order mark",
                            fix="save it as UTF-8, or pass --encoding utf-16-le "
                            "(or utf-16-be)", code="bad_encoding")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        if not data[:exc.start].isascii():
            hint = " (the text before it is UTF-8: mixed encodings?)"
        raise ctx.error(f"byte {exc.start} (0x{data[exc.start]:02x}) is not UTF-8{hint}",
                        _line_of(data, exc.start), fix=_ENCODING_FIX,
                        code="bad_encoding") from None


def _check_characters(text: str, ctx: Context) -> None:
    # a substring test per character is ~10x faster than one regex scan on large files
    if not any(c in text for c in _CONTROL_CHARS):
        return
    match = _CONTROL.search(text)
    if match:
        char = match.group()
        line = text.count("\n", 0, match.start()) + 1
        what = "a NUL byte" if char == "\x00" else f"control character U+{ord(char):04X}"
        raise ctx.error(f"{what} in the text: this looks like a binary file", line,
                        fix="pass a plain-text transcript (UTF-8)", code="binary")
