"""The one place where imgbalance touches private scikit-learn API.

Private names used, and where they live upstream (scikit-learn 1.9):

* ``sklearn.utils._param_validation``: ``HasMethods``, ``Interval`` and
  ``StrOptions``, the constraint objects of ``_parameter_constraints``;
* ``sklearn.base._fit_context``: the decorator that validates parameters
  before ``fit``/``fit_resample`` (exported here as :func:`fit_context`);
* ``sklearn.utils.validation._check_feature_names_in``: the input-feature
  check of ``get_feature_names_out`` (exported as
  :func:`check_feature_names_in`);
* ``BaseEstimator._validate_params``: the check of ``_parameter_constraints``
  (:func:`validate_params`, for an estimator whose ``fit`` is not wrapped by
  ``_fit_context`` or runs inside another one that skips nested validation);
* ``_sklearn_output_config``: where ``set_output`` records its container
  (:func:`record_output_config`, for transformers whose output stays NumPy);
* the ``callback_ctx`` keyword of ``BaseSearchCV._run_search`` and of its
  ``evaluate_candidates`` (scikit-learn 1.9 onwards; :func:`callback_kwargs`);
* imbalanced-learn's ``BaseOverSampler._sampling_strategy_docstring``
  (:data:`sampling_strategy_docstring`);
* ``sklearn.model_selection._search_successive_halving._SubsampleMetaSplitter``,
  the splitter a halving round passes to ``evaluate_candidates`` (its
  ``base_cv`` and ``fraction``; :data:`SubsampleMetaSplitter`), which
  ``StrategyHalvingGridSearchCV`` replaces by a stratified one.

One private hook is used elsewhere, because it is an override rather than a
name to import: ``AdaptiveSMOTE._validate_estimator`` (imbalanced-learn's
``SMOTE`` builds its neighbours estimator ``nn_k_`` there).

``check_target_type`` is public (``imblearn.utils``); it is re-exported so
that samplers import their upstream helpers from one module.  Every module
of imgbalance imports these from here, under plain names, so that an
upstream release that moves them breaks this file only.
"""

from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn import get_config
from sklearn.base import _fit_context as fit_context
from sklearn.model_selection._search_successive_halving import (
    _SubsampleMetaSplitter as SubsampleMetaSplitter,
)
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_feature_names_in as check_feature_names_in

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "SubsampleMetaSplitter",
    "callback_kwargs",
    "check_feature_names_in",
    "check_target_type",
    "fit_context",
    "record_output_config",
    "sampling_strategy_docstring",
    "validate_params",
]

#: imbalanced-learn's description of ``sampling_strategy`` for over-samplers.
sampling_strategy_docstring = BaseOverSampler._sampling_strategy_docstring


def validate_params(estimator):
    """Check ``estimator``'s parameters against its ``_parameter_constraints``.

    Raises scikit-learn's ``InvalidParameterError`` (a ``ValueError`` and a
    ``TypeError``) naming the parameter, the value and what is accepted.
    Nothing is checked under ``sklearn.config_context(skip_parameter_validation=True)``
    or for an estimator without scikit-learn's parameter validation.
    """
    if get_config()["skip_parameter_validation"] or not hasattr(estimator, "_validate_params"):
        return
    estimator._validate_params()


def record_output_config(estimator, transform):
    """Record a ``set_output(transform=...)`` setting where scikit-learn reads it."""
    estimator._sklearn_output_config = {"transform": transform}


def callback_kwargs(callback_ctx):
    """``{"callback_ctx": callback_ctx}``, or ``{}`` when there is none.

    scikit-learn 1.9 passes a callback context to ``_run_search`` and takes
    one in ``evaluate_candidates``; earlier releases know neither keyword.
    """
    return {} if callback_ctx is None else {"callback_ctx": callback_ctx}
