"""The displays, in the style of scikit-learn's display tests (Agg backend).

References are independent of the display code: the sampler's own output
and provenance, ``cv_results_`` read directly, ``recall_score`` of models
refitted here, and scikit-learn's ``ConfusionMatrixDisplay``.
"""

import subprocess
import sys

import warnings

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.metrics import ConfusionMatrixDisplay, recall_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.svm import LinearSVC

from imgbalance import AugmentationOverSampler, HOGTransformer, describe_strategy, make_resampling_search
from imgbalance.datasets import make_long_tailed
from imgbalance.display import AugmentedSamplesDisplay, StrategyComparisonDisplay, save_comparison_figures

HOG = HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))


@pytest.fixture
def pyplot():
    """matplotlib.pyplot on the Agg backend, every figure closed afterwards."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


@pytest.fixture(scope="module")
def long_tailed(digits_images):
    X, y = make_long_tailed(*digits_images, imbalance_ratio=10, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def split(long_tailed):
    return train_test_split(*long_tailed, test_size=0.3, stratify=long_tailed[1], random_state=0)


@pytest.fixture(scope="module")
def search(split):
    X_train, _, y_train, _ = split
    search = make_resampling_search(
        ["none", "class_weight", "random_under"], features=HOG,
        param_grid={"clf__C": [0.01, 1.0]}, cv=3, search="grid",
    )
    return search.fit(X_train, y_train)


def _sampler():
    return AugmentationOverSampler(rotation_range=15, zoom_range=0.1, random_state=0)


# ---------------------------------------------------------------- augmented samples


def test_augmented_samples_from_sampler(pyplot, long_tailed):
    X, y = long_tailed
    X_before, y_before = X.copy(), y.copy()
    sampler = _sampler()
    display = AugmentedSamplesDisplay.from_sampler(sampler, X, y, n_per_class=5, random_state=0)

    # the reference: the sampler's own output and provenance record
    reference = clone(sampler)
    X_res, y_res = reference.fit_resample(X, y)
    new, sources = X_res[len(X):], reference.source_indices_
    classes = np.unique(y_res[len(X):])
    assert display.display_labels == [str(c) for c in classes]
    assert len(display.originals) == len(display.augmented) == len(classes)
    for klass, originals, augmented in zip(classes, display.originals, display.augmented):
        assert originals.shape == augmented.shape == (5, 8, 8)
        for original, image in zip(originals, augmented):
            rows = np.flatnonzero((new == image).all(axis=(1, 2)))
            assert rows.size >= 1 and np.all(y_res[len(X) + rows] == klass)
            assert any(np.array_equal(X[sources[r]], original) for r in rows)
    # inputs untouched, the sampler passed left unfitted
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    assert not hasattr(sampler, "source_indices_")

    # attributes and labels
    assert display.axes_.shape == (2 * len(classes), 5)
    assert display.bounding_ax_ is None
    assert display.figure_ is display.axes_[0, 0].figure
    assert display.axes_[0, 0].get_ylabel() == f"{classes[0]}\noriginal"
    assert display.axes_[1, 0].get_ylabel() == f"{classes[0]}\naugmented"
    np.testing.assert_array_equal(display.axes_[1, 2].images[0].get_array(),
                                  display.augmented[0][2])
    np.testing.assert_array_equal(display.axes_[0, 2].images[0].get_array(),
                                  display.originals[0][2])


def test_augmented_samples_random_state(pyplot, long_tailed):
    X, y = long_tailed
    first, second, other = (
        AugmentedSamplesDisplay.from_sampler(_sampler(), X, y, classes=[8, 9], random_state=seed)
        for seed in (1, 1, 2)
    )
    for a, b in zip(first.augmented, second.augmented):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(first.augmented, other.augmented))


def test_augmented_samples_ax_honoured(pyplot, long_tailed):
    X, y = long_tailed
    fig, ax = pyplot.subplots()
    display = AugmentedSamplesDisplay.from_sampler(
        _sampler(), X, y, classes=[9, 7], n_per_class=3, ax=ax,
        display_labels=["nine", "seven"],
    )
    assert display.bounding_ax_ is ax and display.figure_ is fig
    assert not ax.axison
    assert display.axes_.shape == (4, 3)
    assert all(a.figure is fig for a in display.axes_.flat)
    assert [display.axes_[r, 0].get_ylabel() for r in (0, 2)] == ["nine\noriginal", "seven\noriginal"]

    fig, axes = pyplot.subplots(4, 3)
    display.plot(ax=axes)
    assert display.figure_ is fig and display.bounding_ax_ is None
    assert display.axes_[3, 2] is axes[3, 2]
    with pytest.raises(ValueError, match=r"12 Axes \(4 x 3\); got 6"):
        display.plot(ax=axes[:2])


def test_augmented_samples_fewer_images_than_asked(pyplot):
    X = np.random.default_rng(0).random((12, 6, 6))
    y = np.array([0] * 10 + [1] * 2)
    display = AugmentedSamplesDisplay.from_sampler(
        AugmentationOverSampler(sampling_strategy={1: 5}, rotation_range=10, random_state=0),
        X, y, n_per_class=8,
    )
    assert display.axes_.shape == (2, 3)  # 3 new images, not 8


def test_augmented_samples_other_provenance(pyplot, long_tailed):
    X, y = long_tailed
    # RandomOverSampler records sample_indices_ (originals first): exact copies
    X_flat = X.reshape(len(X), -1)
    with pytest.raises(ValueError, match="pass images"):
        AugmentedSamplesDisplay.from_sampler(RandomOverSampler(random_state=0), X_flat, y)
    # flattened input with the sampler's image_shape
    display = AugmentedSamplesDisplay.from_sampler(
        AugmentationOverSampler(rotation_range=10, image_shape=(8, 8), random_state=0),
        X_flat, y, n_per_class=2,
    )
    assert display.originals[0].shape == (2, 8, 8)
    # SMOTE's samples have no single source image
    with pytest.raises(TypeError, match="source_indices_.*SMOTE-like"):
        AugmentedSamplesDisplay.from_sampler(SMOTE(random_state=0), X_flat, y)
    with pytest.raises(ValueError, match=r"classes \[0\] got no new images"):
        AugmentedSamplesDisplay.from_sampler(_sampler(), X, y, classes=[0, 9])
    with pytest.raises(ValueError, match="n_per_class must be an int >= 1; got 0"):
        AugmentedSamplesDisplay.from_sampler(_sampler(), X, y, n_per_class=0)


def test_augmented_samples_sample_indices(pyplot):
    X = np.random.default_rng(0).random((12, 5, 5, 3))
    y = np.array([0] * 9 + [1] * 3)

    class Copies(RandomOverSampler):  # n-D input, like ImageResampler(RandomOverSampler())
        def _check_X_y(self, X, y):
            return X, y, False

        def _fit_resample(self, X, y):
            X_res, y_res = super()._fit_resample(X.reshape(len(X), -1), y)
            return X_res.reshape(-1, *X.shape[1:]), y_res

    display = AugmentedSamplesDisplay.from_sampler(Copies(random_state=0), X, y, n_per_class=4)
    np.testing.assert_array_equal(display.originals[0], display.augmented[0])
    assert display.axes_.shape == (2, 4)
    # float RGB beyond [0, 1] is rescaled for imshow, not clipped
    display.originals[0] = display.originals[0] * 4 - 1
    display.plot()
    shown = display.axes_[0, 0].images[0].get_array()
    assert shown.min() >= 0 and shown.max() <= 1


def test_augmented_samples_colour_uint8(pyplot):
    X = np.random.default_rng(0).integers(0, 256, (10, 9, 9, 3), dtype=np.uint8)
    y = np.array([0] * 8 + [1] * 2)
    display = AugmentedSamplesDisplay.from_sampler(
        AugmentationOverSampler(rotation_range=20, random_state=0), X, y, n_per_class=3
    )
    image = display.axes_[1, 0].images[0].get_array()
    assert image.shape == (9, 9, 3) and image.dtype == np.uint8


# ---------------------------------------------------------------- strategy comparison


def _reference(search, metric="score"):
    """Best candidate per strategy, straight from cv_results_."""
    results = search.cv_results_
    best = {}
    for i, params in enumerate(results["params"]):
        name = describe_strategy(params)
        if name not in best or results[f"mean_test_{metric}"][i] > results[f"mean_test_{metric}"][best[name]]:
            best[name] = i
    return best


def test_strategy_comparison_from_search(pyplot, search, split):
    X_train, X_test, y_train, y_test = split
    display = StrategyComparisonDisplay.from_search(
        search, X_test, y_test, X_train=X_train, y_train=y_train, n_jobs=2
    )
    best = _reference(search)
    assert display.strategies == ["none", "class_weight", "random_under"]
    for name, scores in zip(display.strategies, display.cv_scores):
        i = best[name]
        expected = [search.cv_results_[f"split{k}_test_score"][i] for k in range(3)]
        np.testing.assert_allclose(scores, expected)
        np.testing.assert_allclose(np.mean(scores), search.cv_results_["mean_test_score"][i])
        # recall of a model refitted here
        model = clone(search.estimator).set_params(**search.cv_results_["params"][i])
        y_pred = model.fit(X_train, y_train).predict(X_test)
        np.testing.assert_allclose(
            display.per_class_recall[display.strategies.index(name)],
            recall_score(y_test, y_pred, average=None),
        )
    assert display.best_strategy == next(
        n for n, i in best.items() if i == search.best_index_
    )

    # attributes, labels
    assert display.ax_.get_xlabel() == "balanced accuracy (3-fold cross-validation)"
    assert [t.get_text() for t in display.ax_.get_yticklabels()] == display.strategies
    assert display.ax_recall_.get_ylabel() == "recall on the test set"
    assert [t.get_text() for t in display.ax_recall_.get_legend().get_texts()] == display.strategies
    assert [t.get_text() for t in display.ax_recall_.get_xticklabels()] == [str(c) for c in range(10)]
    assert display.figure_ is display.ax_.figure is display.ax_recall_.figure
    # the class with the lowest mean recall stands out
    worst = int(np.argmin(display.per_class_recall.mean(axis=0)))
    assert display.ax_recall_.get_xticklabels()[worst].get_color() == "tab:red"


def test_strategy_comparison_needs_training_data(pyplot, search, split):
    _, X_test, _, y_test = split
    with pytest.raises(ValueError, match=r"Strategies \[.*\] are not the refitted.*X_train"):
        StrategyComparisonDisplay.from_search(search, X_test, y_test)
    with pytest.raises(ValueError, match="both X_test and y_test"):
        StrategyComparisonDisplay.from_search(search, X_test)
    with pytest.raises(ValueError, match="unfitted (Strategy)?(Halving)?GridSearchCV"):
        StrategyComparisonDisplay.from_search(clone(search))
    # without test data: the scores only
    display = StrategyComparisonDisplay.from_search(search)
    assert display.ax_recall_ is None and display.per_class_recall is None
    assert display.ax_.get_xlabel().startswith("balanced accuracy")


def test_strategy_comparison_list_of_searches(pyplot, split):
    """One search per strategy (as imgbalance compare runs): no refit needed."""
    X_train, X_test, y_train, y_test = split
    searches = [
        make_resampling_search([s], features=HOG, param_grid={"clf__C": [0.1]}, cv=2).fit(X_train, y_train)
        for s in ("none", "random_over")
    ]
    display = StrategyComparisonDisplay.from_search(searches, X_test, y_test,
                                                    display_labels=list("abcdefghij"))
    assert display.strategies == ["none", "random_over"]
    for s, recall in zip(searches, display.per_class_recall):
        np.testing.assert_allclose(recall, recall_score(y_test, s.predict(X_test), average=None))
    assert display.ax_.get_xlabel() == "balanced accuracy (2-fold cross-validation)"
    assert display.ax_recall_.get_xticklabels()[0].get_text() == "a"


def test_strategy_comparison_plain_grid_search_multimetric(pyplot, split):
    X_train, X_test, y_train, y_test = split
    pipeline = Pipeline([("features", HOG), ("resample", "passthrough"),
                         ("clf", LinearSVC(C=0.1))])
    grid = [{"resample": ["passthrough"], "clf__class_weight": [None, "balanced"]},
            {"resample": [RandomUnderSampler(random_state=0)]}]
    search = GridSearchCV(
        pipeline, grid, cv=StratifiedKFold(2, shuffle=True, random_state=0),
        scoring={"bal": "balanced_accuracy", "acc": "accuracy"}, refit="bal",
    ).fit(X_train, y_train)
    display = StrategyComparisonDisplay.from_search(search, X_test, y_test,
                                                    X_train=X_train, y_train=y_train)
    assert sorted(display.strategies) == ["class_weight", "none", "random_under"]
    best = _reference(search, "bal")
    for name, scores in zip(display.strategies, display.cv_scores):
        np.testing.assert_allclose(np.mean(scores), search.cv_results_["mean_test_bal"][best[name]])
    assert display.ax_.get_xlabel() == "bal (2-fold cross-validation)"
    search.refit = False
    with pytest.raises(ValueError, match="refit=False"):
        StrategyComparisonDisplay.from_search(search)


def test_strategy_comparison_ax_honoured(pyplot):
    y_true = np.array([0] * 6 + [1] * 3 + [2] * 3)
    y_pred = {"none": np.array([0] * 6 + [0, 1, 1] + [2, 2, 0]),
              "smote": np.array([0] * 5 + [1] + [1, 1, 1] + [2, 2, 2])}
    cv_scores = {"none": [0.6, 0.7, 0.65], "smote": [0.8, 0.7, 0.75]}
    fig, ax = pyplot.subplots()
    display = StrategyComparisonDisplay.from_predictions(y_true, y_pred, cv_scores=cv_scores, ax=ax)
    assert display.bounding_ax_ is ax and display.figure_ is fig and not ax.axison
    np.testing.assert_allclose(display.per_class_recall,
                               [[1, 2 / 3, 2 / 3], [5 / 6, 1, 1]])
    assert display.best_strategy == "smote"
    assert display.ax_.get_yticklabels()[1].get_fontweight() == "bold"

    fig, axes = pyplot.subplots(1, 2)
    display.plot(ax=axes)
    assert display.ax_ is axes[0] and display.ax_recall_ is axes[1]
    # recall only: one Axes used as it is
    fig, ax = pyplot.subplots()
    display = StrategyComparisonDisplay.from_predictions(y_true, y_pred, ax=[ax])
    assert display.ax_ is None and display.ax_recall_ is ax
    assert display.best_strategy == "none"  # without scores: the first one
    with pytest.raises(ValueError, match=r"1 Axes \(1 x 1\); got 2"):
        display.plot(ax=axes)


def test_strategy_comparison_bad_input(pyplot):
    y = [0, 1, 1]
    with pytest.raises(TypeError, match="y_pred must be a non-empty dict"):
        StrategyComparisonDisplay.from_predictions(y, [0, 1, 1])
    with pytest.raises(ValueError, match=r"cv_scores has strategies \['a'\] but y_pred has \['b'\]"):
        StrategyComparisonDisplay.from_predictions(y, {"b": y}, cv_scores={"a": [1.0]})
    with pytest.raises(ValueError, match="display_labels has 3 names for 2 classes"):
        StrategyComparisonDisplay.from_predictions(y, {"b": y}, display_labels=list("abc"))
    with pytest.raises(ValueError, match="Nothing to draw"):
        StrategyComparisonDisplay(["a"], None).plot()


def test_confusion_matrix_matches_sklearn(pyplot):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, 60)
    y_pred = {"a": rng.integers(0, 4, 60), "b": y_true}
    display = StrategyComparisonDisplay.from_predictions(
        y_true, y_pred, cv_scores={"a": [0.9], "b": [0.2]}, display_labels=list("wxyz"))
    drawn = display.plot_confusion_matrix()  # the best by cv: "a"
    reference = ConfusionMatrixDisplay.from_predictions(y_true, y_pred["a"], normalize="true")
    np.testing.assert_allclose(drawn.confusion_matrix, reference.confusion_matrix)
    counts = display.plot_confusion_matrix("b", normalize=False)
    np.testing.assert_array_equal(counts.confusion_matrix, np.diag(np.bincount(y_true)))
    with pytest.raises(ValueError, match=r"strategy must be one of \['a', 'b'\]; got 'c'"):
        display.plot_confusion_matrix("c")


def test_save_comparison_figures(pyplot, tmp_path):
    from PIL import Image

    n_open = len(pyplot.get_fignums())
    y_true = [0, 0, 0, 1, 1, 2]
    y_pred = {"none": [0, 0, 0, 0, 1, 0], "augmentation": [0, 0, 1, 1, 1, 2]}
    display, paths = save_comparison_figures(
        tmp_path, y_true, y_pred, cv_scores={"none": [0.5, 0.6], "augmentation": [0.7, 0.8]},
        display_labels=["cat", "dog", "bird"], score_name="balanced accuracy",
    )
    assert [p.name for p in paths] == ["recall_by_strategy.png", "confusion_matrix.png"]
    for path in paths:
        with Image.open(path) as image:
            assert image.format == "PNG" and min(image.size) > 200
    assert len(pyplot.get_fignums()) == n_open  # no pyplot figure left open
    assert display.ax_recall_.get_xticklabels()[2].get_text() == "bird"


# ---------------------------------------------------------------- matplotlib optional


def test_import_does_not_import_matplotlib():
    code = ("import sys, imgbalance, imgbalance.display; "
            "print(any(m.split('.')[0] == 'matplotlib' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("draw", ["augmented", "comparison", "save"])
def test_matplotlib_missing(monkeypatch, long_tailed, tmp_path, draw):
    for name in ("matplotlib", "matplotlib.pyplot", "matplotlib.axes", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    X, y = long_tailed
    with pytest.raises(ImportError, match=r"requires matplotlib.*pip install 'imgbalance\[plot\]'"):
        if draw == "augmented":
            AugmentedSamplesDisplay.from_sampler(_sampler(), X, y)
        elif draw == "comparison":
            StrategyComparisonDisplay.from_predictions(y, {"none": y})
        else:
            save_comparison_figures(tmp_path, y, {"none": y})


def test_strategy_comparison_halving_search_uses_last_round(pyplot, split):
    X_train, _, y_train, _ = split
    search = make_resampling_search(
        ["none", "random_over"], features=HOG, param_grid={"clf__C": [0.001, 0.01, 0.1, 1.0]},
        cv=2, search="halving", search_params={"min_resources": 120, "factor": 2},
    ).fit(X_train, y_train)
    results = search.cv_results_
    last = np.flatnonzero(results["iter"] == results["iter"].max())
    in_last = {describe_strategy(results["params"][i]) for i in last}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        display = StrategyComparisonDisplay.from_search(search)
    said = [str(w.message) for w in caught if "before its last round" in str(w.message)]
    dropped = {"none", "random_over"} - in_last
    assert len(said) == (1 if dropped else 0)
    assert all(f"eliminated {sorted(dropped)}" in m and "search='grid'" in m for m in said)
    assert set(display.strategies) == in_last
    for name, scores in zip(display.strategies, display.cv_scores):
        of_name = [i for i in last if describe_strategy(results["params"][i]) == name]
        assert np.isclose(np.mean(scores), results["mean_test_score"][of_name].max())
    assert display.best_strategy == describe_strategy(search.best_params_)


def test_a_grid_search_beside_a_halving_one_covers_what_halving_dropped(pyplot, split):
    X_train, _, y_train, _ = split
    kwargs = dict(features=HOG, param_grid={"clf__C": [0.001, 0.01, 0.1, 1.0]}, cv=2)
    halving = make_resampling_search(
        ["none", "class_weight", "random_over"], **kwargs,
        search_params={"min_resources": 120, "factor": 2},
    ).fit(X_train, y_train)
    grid = make_resampling_search(["none", "class_weight", "random_over"], search="grid",
                                  **kwargs).fit(X_train, y_train)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is left out: no warning
        display = StrategyComparisonDisplay.from_search([halving, grid])
    assert sorted(display.strategies) == ["class_weight", "none", "random_over"]


def test_ax_placed_by_coordinates_is_refused(pyplot):
    fig = pyplot.figure()
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    with pytest.raises(ValueError, match="placed by coordinates"):
        StrategyComparisonDisplay.from_predictions([0, 1], {"a": [0, 1]}, cv_scores={"a": [1.0]}, ax=ax)


def test_from_search_leaves_the_grid_objects_unfitted(pyplot):
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.datasets import load_digits
    from sklearn.model_selection import GridSearchCV

    from imgbalance.search import make_strategy_pipeline

    digits = load_digits()
    keep = np.r_[np.flatnonzero(digits.target == 3)[:80], np.flatnonzero(digits.target == 8)[:20]]
    X, y = digits.data[keep], (digits.target[keep] == 8).astype(int)
    ros, rus = RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0)
    pipe = make_strategy_pipeline("random_over", features="pixels", image_shape=(8, 8))
    search = GridSearchCV(pipe, [{"resample": [ros]}, {"resample": [rus]}], cv=3,
                          scoring="balanced_accuracy").fit(X, y)
    StrategyComparisonDisplay.from_search(search, X, y, X_train=X, y_train=y)
    assert not hasattr(ros, "sampling_strategy_") and not hasattr(rus, "sampling_strategy_")
