"""Print the analysis JSON Schema (``make schema`` writes docs/schema/analysis.schema.json)."""

from __future__ import annotations

import json
import sys

from rapport.pipeline.sections import load_sections
from rapport.report.document import analysis_schema


def render() -> str:
    return json.dumps(analysis_schema(load_sections()), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
