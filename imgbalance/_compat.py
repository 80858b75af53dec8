"""The one place where imgbalance touches private scikit-learn / imbalanced-learn API.

scikit-learn's parameter-validation helpers and ``_fit_context`` and
imbalanced-learn's target checking live in private modules. Every
estimator in imgbalance imports them from here, so that a new upstream
release that moves them breaks this file only.
"""

from imblearn.utils import check_target_type
from sklearn.base import _fit_context
from sklearn.utils.validation import _check_feature_names_in
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
)

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_check_feature_names_in",
    "_fit_context",
    "check_target_type",
]
