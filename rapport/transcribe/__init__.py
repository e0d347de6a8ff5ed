"""Recordings to transcripts on this machine: speech recognition, who spoke when, and a
suggestion of roles that the user confirms (``rapport transcribe``, ``rapport analyze
RECORDING``, the web upload of media). Needs the ``transcribe`` extra (faster-whisper);
imported lazily so the default install stays light. See ``docs/transcribe.md``."""
