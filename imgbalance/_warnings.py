"""Warnings that point at the user's code."""

import sys
import warnings

__all__ = ["warn_caller"]

# Frames of these packages are skipped: a warning raised while fitting
# points at the user's line, whether the estimator was called directly
# (through scikit-learn's _fit_context and imbalanced-learn's fit_resample)
# or by a pipeline or a search.
_LIBRARIES = ("imgbalance", "sklearn", "imblearn", "joblib")


def warn_caller(message, category=UserWarning):
    """``warnings.warn`` at the first frame outside the libraries above."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] in _LIBRARIES:
        frame, level = frame.f_back, level + 1
    # level counts from the caller of warn_caller, warnings.warn from itself
    warnings.warn(message, category, stacklevel=level + 1)
