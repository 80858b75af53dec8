"""The one place where imgbalance touches private scikit-learn API.

Private names used, and where they live upstream (scikit-learn 1.9):

* ``sklearn.utils._param_validation``: ``HasMethods``, ``Interval`` and
  ``StrOptions``, the constraint objects of ``_parameter_constraints``;
* ``sklearn.base._fit_context``: the decorator that validates parameters
  before ``fit``/``fit_resample`` (exported here as :func:`fit_context`);
* ``sklearn.utils.validation._check_feature_names_in``: the input-feature
  check of ``get_feature_names_out`` (exported as
  :func:`check_feature_names_in`).

``check_target_type`` is public (``imblearn.utils``); it is re-exported so
that samplers import their upstream helpers from one module.  Every module
of imgbalance imports these from here, under plain names, so that an
upstream release that moves them breaks this file only.
"""

from imblearn.utils import check_target_type
from sklearn.base import _fit_context as fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_feature_names_in as check_feature_names_in

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "check_feature_names_in",
    "check_target_type",
    "fit_context",
]
