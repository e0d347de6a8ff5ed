"""The practice judge's parts: coders' signals, codebook codes, the codebook's rules, the
learned verdict layer and the feedback words (see docs/practice-judge.md)."""
