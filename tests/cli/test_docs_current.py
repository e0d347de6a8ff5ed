"""Generated references must match the code: regenerate with `make docs-cli` / `make schema`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_current() -> None:
    from rapport.cli.docs import render

    committed = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/cli.md is out of date: run `make docs-cli`"


def test_every_command_help_has_an_example() -> None:
    from rapport.cli.docs import _commands, _help

    for path in _commands([]):
        text = _help(path)
        if "Commands:" in text:  # a group: its subcommands carry the examples
            continue
        assert "Example" in text, f"rapport {' '.join(path)} --help shows no example"


def test_schema_is_current_and_only_grows() -> None:
    from rapport.pipeline.schema import render

    committed = json.loads((ROOT / "docs/schema/analysis.schema.json").read_text("utf-8"))
    current = json.loads(render())
    assert committed == current, "docs/schema/analysis.schema.json is stale: run `make schema`"


def test_cli_import_stays_light() -> None:
    """`rapport --help` must stay fast: no numeric or database stack at import."""
    code = ("import sys; from rapport.cli import build_app; build_app(); "
            "print(','.join(m for m in ('numpy','pandas','sklearn','sqlalchemy','onnxruntime',"
            "'cv2','parselmouth','fastapi','scipy','pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_openapi_document_is_current() -> None:
    from rapport.web.openapi_doc import render

    committed = (ROOT / "docs/openapi.json").read_text(encoding="utf-8")
    assert committed == render(), "docs/openapi.json is out of date: run `make openapi`"


def test_architecture_diagram_is_current() -> None:
    from rapport.cli.architecture import DOC, with_diagram

    text = DOC.read_text(encoding="utf-8")
    assert with_diagram(text) == text, "run `make docs-architecture`"


def test_architecture_contracts_hold() -> None:
    """The dependency rules of docs/architecture.md, as `make lint` checks them."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=root, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout[-3000:]
