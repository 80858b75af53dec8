"""scikit-learn's and imbalanced-learn's estimator checks on every public estimator.

Estimators are discovered from the public API (``imgbalance.__all__`` and
its sub-packages), so a new estimator is checked without touching this
file.  No upstream check sends image arrays: the 3-D/4-D paths are tested
in the estimators' own test modules.
"""

import inspect

import imblearn.utils.estimator_checks as imblearn_checks
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator
from sklearn.utils import estimator_checks as sklearn_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

import imgbalance

PUBLIC_MODULES = (
    imgbalance,
    imgbalance.augmentation,
    imgbalance.feature_extraction,
    imgbalance.sampling,
    imgbalance.search,
)


def _public_estimator_classes():
    classes = {}
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                classes[name] = obj
    return [classes[name] for name in sorted(classes)]


# Constructor arguments that let the checks' 2-D data (each row a 1 x
# n_features image, see imgbalance._validation) be meaningful.
_CHECK_PARAMS = {
    "AdaptiveSMOTE": [dict(random_state=0)],
    # A 1-pixel-high image only has 1 x 1 cells.
    "HOGTransformer": [
        dict(pixels_per_cell=(1, 1), cells_per_block=(1, 1)),
        # square roots of the pixels: non-negative input only (positive_only tag)
        dict(pixels_per_cell=(1, 1), cells_per_block=(1, 1), transform_sqrt=True),
    ],
    "AugmentationOverSampler": [
        dict(random_state=0),
        dict(random_state=0, width_shift_range=0.3, zoom_range=0.2, horizontal_flip=True),
    ],
    # SMOTE needs k_neighbors + 1 samples of the smallest class; the sampler
    # checks use classes of 2 to 3 samples in places.
    "ImageResampler": [
        dict(random_state=0),  # the default sampler, RandomOverSampler(random_state=0)
        dict(sampler=RandomUnderSampler(random_state=0)),
        dict(sampler=SMOTE(k_neighbors=1, random_state=0)),
    ],
}


def _instances():
    for cls in _public_estimator_classes():
        for params in _CHECK_PARAMS.get(cls.__name__, [dict()]):
            yield cls(**params)


ESTIMATORS = list(_instances())


def _expected_failed_checks(estimator):
    name = type(estimator).__name__
    reasons = {
        "ImageReshaper": (
            "ImageReshaper outputs image batches (n_samples, 1, n_features) for "
            "2-D input without image_shape: checks that expect a 2-D output "
            "(feature-name counts, dataframe output) do not apply to n-D output."
        ),
        "ImageLayout": (
            "ImageLayout outputs 4-D image batches (a network's input): checks "
            "that expect a 2-D output (feature-name counts, dataframe output) "
            "do not apply to n-D output."
        ),
    }
    if name in reasons:
        reason = reasons[name]
        return {
            "check_transformer_get_feature_names_out": reason,
            "check_transformer_get_feature_names_out_pandas": reason,
            "check_set_output_transform_pandas": reason,
            "check_global_output_transform_pandas": reason,
        }
    return {}


def test_every_public_estimator_is_checked():
    names = {type(est).__name__ for est in ESTIMATORS}
    assert names == {
        "AdaptiveSMOTE",
        "AugmentationOverSampler",
        "HOGTransformer",
        "ImageFlattener",
        "ImageLayout",
        "ImageReshaper",
        "ImageResampler",
    }


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


SAMPLERS = [est for est in ESTIMATORS if hasattr(est, "fit_resample")]


@imblearn_checks.parametrize_with_checks(SAMPLERS)
def test_imblearn_compatible_sampler(estimator, check):
    check(estimator)


# AdaptiveSMOTE, like SMOTE, works on feature tables (after a feature step).
IMAGE_ESTIMATORS = [est for est in ESTIMATORS if type(est).__name__ != "AdaptiveSMOTE"]


@pytest.mark.parametrize("estimator", IMAGE_ESTIMATORS, ids=lambda e: type(e).__name__)
def test_tags_declare_image_input(estimator):
    tags = estimator.__sklearn_tags__()
    assert tags.input_tags.two_d_array
    assert tags.input_tags.three_d_array


# scikit-learn defines these checks but its suite does not yield them (1.9):
# run them on every transformer, since feature names and set_output are part
# of the contract.
OUTPUT_CHECKS = [
    "check_get_feature_names_out_error",
    "check_transformer_get_feature_names_out",
    "check_transformer_get_feature_names_out_pandas",
    "check_set_output_transform",
    "check_set_output_transform_pandas",
    "check_global_output_transform_pandas",
]
TRANSFORMERS = [est for est in ESTIMATORS if hasattr(est, "transform")]


@pytest.mark.parametrize("check_name", OUTPUT_CHECKS)
@pytest.mark.parametrize("estimator", TRANSFORMERS, ids=lambda e: type(e).__name__)
def test_feature_names_and_set_output(estimator, check_name, request):
    reason = _expected_failed_checks(estimator).get(check_name)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    getattr(sklearn_checks, check_name)(type(estimator).__name__, estimator)
