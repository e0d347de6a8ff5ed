"""Rapport: a privacy-first toolkit that helps therapists build and keep trust.

The package is organised one folder per architectural box (see ``docs/architecture.md``):
``ingest`` reads transcripts into the :mod:`rapport.domain` model, ``coding`` labels
utterances, ``nonverbal`` reads audio and video, ``measures`` scores questionnaires,
``profile`` turns codes into a relationship profile, ``report`` renders it, ``store``
keeps the client record, ``web`` serves it and ``batch`` scales it out.
"""

__version__ = "0.1.0"
