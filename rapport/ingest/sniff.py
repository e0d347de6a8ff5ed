"""Recognise files that are not transcripts at all, from their first bytes.

People drop the recording itself, a PDF or a zip where a transcript belongs. Saying
exactly what the file is, and what to do instead, beats a decoding error.
"""

from __future__ import annotations

_TRANSCRIBE_FIX = (
    "this is a recording, not a transcript: analyse it under its own ending "
    "(`rapport analyze session.m4a`), or make a transcript first with "
    "`rapport transcribe session.m4a --out session.jsonl` (both need the transcribe extra; "
    "docs/transcribe.md); a transcript made elsewhere goes with "
    "`rapport analyze session.json --audio session.wav`")

#: (offset, signature, what it is, fix)
_SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"fLaC", "FLAC audio", _TRANSCRIBE_FIX),
        (0, b"OggS", "Ogg audio/video", _TRANSCRIBE_FIX),
    (0, b"#!AMR", "AMR audio", _TRANSCRIBE_FIX),
    (0, b"\x1a\x45\xdf\xa3", "Matroska/WebM video", _TRANSCRIBE_FIX),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "Windows Media audio/video", _TRANSCRIBE_FIX),
    (4, b"ftyp", "MP4/MOV/M4A audio or video", _TRANSCRIBE_FIX),
    (0, b"\x89PNG\r\n\x1a\n", "PNG image", "pass the transcript, not a picture of it"),
    (0, b"\xff\xd8\xff", "JPEG image", "pass the transcript, not a picture of it"),
    (0, b"GIF87a", "GIF image", "pass the transcript, not a picture of it"),
    (0, b"GIF89a", "GIF image", "pass the transcript, not a picture of it"),
    (0, b"%PDF-", "PDF document",
     "export or copy the transcript as plain text (.txt), WebVTT or SRT"),
    (0, b"PK\x03\x04", "zip archive (or a Word/Excel document)",
     "unzip it, or save the document as plain text (.txt) or CSV"),
    (0, b"PK\x05\x06", "empty zip archive", "pass the transcript file itself"),
    (0, b"\x1f\x8b", "gzip archive", "decompress it first (gunzip)"),
    (4, b"1AY&SY", "bzip2 archive", "decompress it first (bunzip2)"),
    (0, b"\xfd7zXZ\x00", "xz archive", "decompress it first (unxz)"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive", "extract it first"),
    (0, b"Rar!\x1a\x07", "RAR archive", "extract it first"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Word/Excel document",
     "save it as plain text (.txt) or CSV"),
    (0, b"{\\rtf", "RTF document", "save it as plain text (.txt)"),
    (0, b"SQLite format 3\x00", "SQLite database", "export the transcript as text or CSV"),
    (0, b"\x7fELF", "program (ELF executable)", "pass a transcript file"),
)
#: Second byte of an MPEG audio (MP3) or ADTS (AAC) frame header.
_MPEG_SYNC = frozenset(bytes([b]) for b in (0xFB, 0xFA, 0xF3, 0xF2, 0xE3, 0xE2, 0xF1, 0xF9))
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body", "<?xml")


def sniff_binary(data: bytes) -> tuple[str, str] | None:
    """``(what it is, how to fix)`` when the bytes are a known non-text file type."""
    if data[:4] == b"RIFF" and data[8:12] in {b"WAVE", b"AVI ", b"WEBP"}:
        kind = {b"WAVE": "WAV audio", b"AVI ": "AVI video", b"WEBP": "WebP image"}[data[8:12]]
        fix = _TRANSCRIBE_FIX if kind != "WebP image" else "pass the transcript"
        return kind, fix
    id3 = data[:3] == b"ID3" and data[3:4] in {b"\x02", b"\x03", b"\x04"}
    if id3 or (data[:1] == b"\xff" and data[1:2] in _MPEG_SYNC):
        return "MP3/AAC audio", _TRANSCRIBE_FIX
    if data[:2] == b"MZ" and b"\x00" in data[:64]:
        return "Windows program", "pass a transcript file"
    for offset, signature, what, fix in _SIGNATURES:
        if data[offset:offset + len(signature)] == signature:
            return what, fix
    return None


def sniff_markup(text: str) -> str | None:
    """A description when decoded text is a web page or XML rather than a transcript."""
    head = text.lstrip()[:200].casefold()
    if head.startswith(_HTML_STARTS):
        return "HTML page" if "html" in head or head.startswith(("<head", "<body")) else \
            "XML document"
    return None
