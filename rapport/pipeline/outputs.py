"""Writing what the pipeline produces: whole files or nothing, one file or one per session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rapport.errors import RapportInputError


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write through a temporary file and rename, so a crash leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_targets(out: Path, ids: Sequence[str], suffix: str) -> dict[str, Path]:
    """One session writes to ``out``; several write ``<id><suffix>`` inside folder ``out``."""
    if len(ids) == 1 and out.suffix:
        return {ids[0]: out}
    if out.exists() and not out.is_dir():
        raise RapportInputError(f"{len(ids)} sessions to write but {out} is a file",
                                where=str(out), fix="give a folder for several sessions")
    if out.suffix.lower() == suffix.lower() and not out.is_dir():
        # "--json one.json" for a corpus used to make a folder called one.json
        raise RapportInputError(f"{len(ids)} sessions to write but {out.name} names one "
                                f"{suffix} file", where=str(out),
                                fix=f"give a folder for several sessions, e.g. "
                                f"{out.with_suffix('')}/")
    safe = {i: "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in i) for i in ids}
    return {i: out / f"{safe[i]}{suffix}" for i in ids}
