"""Every bad input either works correctly or raises a clear ValueError/TypeError.

The cases live in bad_input_cases.py; the docs page
docs/user_guide/reliability.rst is generated from them and checked here.
"""

import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

import bad_input_cases as cases

ALLOWED = ("works", "ValueError:", "TypeError:", "InvalidParameterError:", "FileNotFoundError:")
DOCS_PAGE = Path(__file__).parents[1] / "docs" / "user_guide" / "reliability.rst"


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    return cases.rows(tmp_path_factory.mktemp("memmap"))


def test_every_outcome_is_a_result_or_a_clear_error(matrix):
    bad = [row for row in matrix if not row[2].startswith(ALLOWED)]
    assert not bad, bad
    # a clear error: it says what it got, not a bare numpy message
    for target, case, outcome in matrix:
        assert "broadcast" not in outcome and "index" not in outcome.lower(), (target, case, outcome)


@pytest.mark.parametrize("case", ["1-D X", "5-D X", "empty X", "string array", "complex array",
                                  "object array of dicts", "image_shape inconsistent with X"])
def test_structural_errors_for_every_estimator(matrix, case):
    outcomes = {target: outcome for target, c, outcome in matrix if c == case}
    assert len(outcomes) == len(cases._estimators())
    if case == "object array of dicts":
        # a 2-D object array is a table, not images: ImageResampler hands it
        # to its sampler unchanged (see the next test)
        outcomes = {t: o for t, o in outcomes.items() if not t.startswith("ImageResampler")}
    assert all(o.startswith(("ValueError", "TypeError")) for o in outcomes.values()), outcomes


def test_tables_through_image_resampler_give_the_wrapped_samplers_outcome(matrix):
    outcomes = {t: o for t, c, o in matrix if c == "object array of dicts"}
    X, y = cases.error_cases()["object array of dicts"]
    for name, est in cases._estimators().items():
        if name.startswith("ImageResampler"):
            try:
                cases.run(clone(est.sampler), X, y)
                direct = "works"
            except (ValueError, TypeError) as exc:
                direct = f"{type(exc).__name__}: {exc}"
            assert outcomes[name] == direct, name
    assert outcomes["ImageResampler(RandomUnderSampler)"] == "works"  # as RandomUnderSampler


@pytest.mark.parametrize("case", ["NaN in X", "inf in X"])
def test_non_finite(matrix, case):
    outcomes = {t: o for t, c, o in matrix if c == case}
    # reshaping passes NaN through; every numeric kernel refuses it
    for name in ("HOGTransformer", "AugmentationOverSampler", "ImageResampler(SMOTE)"):
        assert re.match(r"ValueError: Input X contains (NaN|infinity)", outcomes[name])
    for name in ("ImageFlattener", "ImageReshaper", "ImageResampler(RandomUnderSampler)"):
        assert outcomes[name] == "works"


def test_y_of_another_length(matrix):
    estimators = cases._estimators()
    outcomes = {t: o for t, c, o in matrix if c == "y of another length" and t in estimators}
    for name, outcome in outcomes.items():
        if "Sampler" in name or "Resampler" in name:
            assert "inconsistent numbers of samples: [12, 11]" in outcome
        else:  # transformers ignore y, as scikit-learn's do
            assert outcome == "works"


@pytest.mark.parametrize("name", list(cases._estimators()))
@pytest.mark.parametrize("case", list(cases.EQUIVALENT_INPUTS))
def test_layouts_and_memory_kinds_give_the_clean_result(tmp_path, name, case):
    est = cases._estimators()[name]
    reference = cases.run(clone(est), cases.IMAGES)
    X = cases.EQUIVALENT_INPUTS[case](tmp_path)
    X_before = np.array(X, copy=True)
    result = cases.run(clone(est), X)
    if isinstance(reference, tuple):
        np.testing.assert_array_equal(result[0], reference[0])
        np.testing.assert_array_equal(result[1], reference[1])
    else:
        np.testing.assert_array_equal(result, reference)
    np.testing.assert_array_equal(np.asarray(X), X_before)  # not modified


def test_docs_page_shows_the_exact_messages(matrix):
    page = DOCS_PAGE.read_text()
    table = cases.rst_table(matrix)
    assert table in page, (
        "docs/user_guide/reliability.rst is out of date: regenerate its table with "
        "`python tests/bad_input_cases.py`"
    )
