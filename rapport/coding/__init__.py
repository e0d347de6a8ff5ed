"""Coding: label each utterance the way a trained human coder would.

Each coder is a :class:`~rapport.domain.SessionCoder` in its own sub-package
(``utterance``, ``relationship``); the registry that selects and runs them is
:mod:`rapport.pipeline.coders`. The agreement statistics the coders are evaluated with
are public here for the research box.
"""

from rapport.coding.agreement import (
    cohen_kappa,
    confusion_matrix,
    krippendorff_alpha,
    per_label_scores,
    undefined_agreement,
)

__all__ = ["cohen_kappa", "confusion_matrix", "krippendorff_alpha", "per_label_scores",
           "undefined_agreement"]
