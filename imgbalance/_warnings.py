"""Warnings that point at the user's code, and imgbalance's warning classes."""

import sys
import warnings

__all__ = ["ChannelsFirstWarning", "warn_caller"]


class ChannelsFirstWarning(UserWarning):
    """Image input that looks channels-first, ``(n_samples, n_channels, height, width)``.

    imgbalance reads 4-D arrays as channels-last, ``(n_samples, height,
    width, n_channels)``, and never transposes by itself: it warns when the
    second axis is 1, 3 or 4 and the last axis is larger, and names the fix,
    ``X.transpose(0, 2, 3, 1)``.  Filter it if the layout is intended::

        warnings.filterwarnings("ignore", category=ChannelsFirstWarning)
    """

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
