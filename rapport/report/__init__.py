"""Report: terminal, JSON and HTML views of an analysis, built from registered sections."""
