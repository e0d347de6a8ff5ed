"""The one analysis pipeline: parsed sessions in, coded tables and finished reports out.

CLI, web, batch, research exports and the demo call these names and nothing deeper:

- :class:`AnalyzeOptions`, :func:`analyze` (one session), :func:`analyze_all` (sessions
  read by :func:`rapport.ingest.read_sessions`), :func:`analyze_coded`;
- :func:`code_session`, :func:`code_sessions` and :func:`code_table_stream` (the streaming
  ``rapport code``), with the coder registry (:data:`CODERS`, :func:`load_coders`);
- :func:`load_stored` (a stored document back into renderable sections);
- :func:`write_atomically`, :func:`output_targets`; the rename map
  (:func:`current_code_name`).
"""

from rapport.pipeline.analysis import (
    Analysis,
    AnalyzeOptions,
    analyze,
    analyze_all,
    analyze_coded,
    code_session,
    code_sessions,
)
from rapport.pipeline.coders import CODERS, CoderSpec, all_families, known_families, load_coders
from rapport.pipeline.corpus_index import write_index
from rapport.pipeline.outputs import output_targets, write_atomically
from rapport.pipeline.renames import current_code_name, current_column
from rapport.pipeline.sections import load_sections
from rapport.pipeline.stored import StoredAnalysis, load_stored
from rapport.pipeline.table import BASE_COLUMNS, code_columns, code_table

__all__ = [
    "BASE_COLUMNS",
    "CODERS",
    "Analysis",
    "AnalyzeOptions",
    "CoderSpec",
    "StoredAnalysis",
    "all_families",
    "analyze",
    "analyze_all",
    "analyze_coded",
    "code_columns",
    "code_session",
    "code_sessions",
    "code_table",
    "current_code_name",
    "current_column",
    "known_families",
    "load_coders",
    "load_sections",
    "load_stored",
    "output_targets",
    "write_atomically",
    "write_index",
]
