"""The whole process as one searchable object, on real image data.

n-D image arrays go from start to end through imbalanced-learn pipelines;
searches tune which sampler to use, sampler, augmentation, HOG and
classifier parameters, with balanced scoring and error_score="raise".
"""

import pickle
from collections import Counter

import joblib
import numpy as np
import pytest
from imblearn.ensemble import BalancedBaggingClassifier, EasyEnsembleClassifier
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    RandomizedSearchCV,
    KFold,
    StratifiedKFold,
    cross_validate,
)
from sklearn.svm import SVC, LinearSVC

import imgbalance.feature_extraction._hog_transformer as hog_module
from imgbalance import (
    STRATEGIES,
    AugmentationOverSampler,
    HOGTransformer,
    ImageFlattener,
    ImageReshaper,
    ImageResampler,
    describe_strategy,
    make_resampling_search,
)
from imgbalance.datasets import make_long_tailed
from imgbalance.feature_extraction import hog_pixel_weight

CV = StratifiedKFold(3, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def digits_lt():
    from sklearn.datasets import load_digits

    digits = load_digits()
    return make_long_tailed(digits.images, digits.target, imbalance_ratio=10, random_state=0)


@pytest.fixture(scope="module")
def fashion_lt(fashion_mnist_subset):
    X, y = fashion_mnist_subset
    return make_long_tailed(X, y, imbalance_ratio=10, random_state=0)


def _augment_hog_smote_easy():
    return Pipeline(
        [
            ("augment", AugmentationOverSampler(rotation_range=10, horizontal_flip=True, random_state=0)),
            ("hog", HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2))),
            ("resample", SMOTE(random_state=0)),
            ("clf", EasyEnsembleClassifier(estimator=LinearSVC(C=0.1), n_estimators=3, random_state=0)),
        ]
    )


def _flatten_smote_reshape_hog():
    return Pipeline(
        [
            ("flatten", ImageFlattener()),
            ("resample", SMOTE(random_state=0)),
            ("reshape", ImageReshaper(image_shape=(28, 28))),
            ("hog", HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2))),
            ("clf", LinearSVC(C=0.1)),
        ]
    )


def _under_hog_svc():
    return Pipeline(
        [
            ("resample", ImageResampler(RandomUnderSampler(random_state=0))),
            ("hog", HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2))),
            ("clf", SVC()),
        ]
    )


def _bagging_augment():
    return Pipeline(
        [
            ("flatten", ImageFlattener()),
            (
                "clf",
                BalancedBaggingClassifier(
                    estimator=LinearSVC(C=0.01),
                    sampler=AugmentationOverSampler(image_shape=(28, 28), rotation_range=10, random_state=0),
                    n_estimators=3,
                    random_state=0,
                ),
            ),
        ]
    )


PIPELINES = [_augment_hog_smote_easy, _flatten_smote_reshape_hog, _under_hog_svc, _bagging_augment]


@pytest.mark.parametrize("make_pipeline", PIPELINES, ids=lambda f: f.__name__.strip("_"))
def test_pipelines_on_long_tailed_fashion_mnist(fashion_lt, make_pipeline):
    X, y = fashion_lt
    assert X.ndim == 3
    results = cross_validate(
        make_pipeline(), X, y, cv=CV, scoring="balanced_accuracy", error_score="raise",
        return_estimator=True,
    )
    # ten classes: chance is 0.1; HOG + a linear model is far above it
    assert results["test_score"].mean() > 0.5
    fitted = results["estimator"][0]
    cloned = clone(fitted)
    assert cloned.get_params().keys() == fitted.get_params().keys()
    for blob in (pickle.dumps(fitted),):
        restored = pickle.loads(blob)
        np.testing.assert_array_equal(restored.predict(X[:200]), fitted.predict(X[:200]))


def test_joblib_round_trip(tmp_path, digits_lt):
    X, y = digits_lt
    search = make_resampling_search(
        ["none", "smote"],
        features=HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2)),
        param_grid={"clf__C": [0.1]},
    ).fit(X, y)
    joblib.dump(search, tmp_path / "search.joblib")
    restored = joblib.load(tmp_path / "search.joblib")
    np.testing.assert_array_equal(restored.predict(X), search.predict(X))
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(search.best_estimator_)).predict(X), search.predict(X)
    )


def _strategy_grid():
    pipe = Pipeline(
        [
            ("augment", "passthrough"),
            ("hog", HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))),
            ("resample", "passthrough"),
            ("clf", LinearSVC()),
        ]
    )
    grid = [
        {"resample": ["passthrough"], "clf__C": [0.1, 1.0], "hog__pixels_per_cell": [(2, 2), (4, 4)]},
        {"resample": [SMOTE(random_state=0)], "resample__k_neighbors": [1, 2], "clf__C": [0.1]},
        {"resample": [RandomUnderSampler(random_state=0)], "clf__C": [0.1]},
        {
            "augment": [AugmentationOverSampler(random_state=0)],
            "augment__rotation_range": [0, 15],
            "augment__horizontal_flip": [False, True],
            "clf__C": [0.1],
        },
    ]
    return pipe, grid


@pytest.mark.parametrize("search_cls", [GridSearchCV, RandomizedSearchCV, HalvingGridSearchCV])
def test_searches_over_samplers_and_their_parameters(digits_lt, search_cls):
    X, y = digits_lt
    pipe, grid = _strategy_grid()
    grid[0]["hog__pixels_per_cell"] = [(2, 2), (4, 4)]
    kwargs = dict(scoring="balanced_accuracy", cv=CV, error_score="raise")
    if search_cls is RandomizedSearchCV:
        kwargs.update(n_iter=6, random_state=0)
    if search_cls is HalvingGridSearchCV:
        kwargs.update(random_state=0, min_resources=300)
    search = search_cls(pipe, grid, **kwargs).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores))
    assert search.best_score_ > 0.7
    strategies = {describe_strategy(p) for p in search.cv_results_["params"]}
    if search_cls is GridSearchCV:
        assert strategies == {"none", "smote", "random_under", "augmentation"}
        assert len(scores) == 4 + 2 + 1 + 4
    assert search.predict(X).shape == y.shape


def test_grid_search_errors_are_raised_not_nan(digits_lt):
    X, y = digits_lt
    pipe = Pipeline([("hog", HOGTransformer(pixels_per_cell=(8, 8), cells_per_block=(2, 2))), ("clf", LinearSVC())])
    with pytest.raises(ValueError, match="smaller than one HOG block"):
        GridSearchCV(pipe, {"clf__C": [1.0]}, cv=CV, error_score="raise").fit(X, y)


class _CountingKernel:
    def __init__(self, kernel):
        self.kernel = kernel
        self.images = 0
        self.calls = 0

    def __call__(self, images, **params):
        self.calls += 1
        self.images += len(images)
        return self.kernel(images, **params)


def _count_hog_work(monkeypatch, X, y, memory):
    counter = _CountingKernel(hog_module.hog_batch)
    monkeypatch.setattr(hog_module, "hog_batch", counter)
    fits = []
    original_fit = HOGTransformer.fit

    def counting_fit(self, X, y=None):
        fits.append(len(X))
        return original_fit(self, X, y)

    monkeypatch.setattr(HOGTransformer, "fit", counting_fit)
    pipe = Pipeline(
        [("hog", HOGTransformer(cells_per_block=(1, 1))), ("resample", "passthrough"), ("clf", LinearSVC())],
        memory=memory,
    )
    grid = {
        "hog__pixels_per_cell": [(2, 2), (4, 4)],
        "resample": ["passthrough", SMOTE(random_state=0)],
        "clf__C": [0.1, 1.0],
    }
    GridSearchCV(pipe, grid, cv=CV, refit=False, error_score="raise").fit(X, y)
    return fits, counter


def test_memory_computes_hog_once_per_fold_and_setting(tmp_path, digits_lt, monkeypatch):
    X, y = digits_lt
    n_candidates, n_folds, n_hog_settings = 8, 3, 2
    fits, counter = _count_hog_work(monkeypatch, X, y, memory=None)
    assert len(fits) == n_candidates * n_folds
    images_without_cache = counter.images

    monkeypatch.undo()
    fits, counter = _count_hog_work(monkeypatch, X, y, memory=str(tmp_path))
    assert len(fits) == n_hog_settings * n_folds
    # HOG of the training folds: once per fold and setting; of the
    # validation folds: once per candidate (Pipeline caches fitting only).
    train_images = n_hog_settings * (n_folds - 1) * len(X)
    val_images = n_candidates * len(X)
    assert counter.images == train_images + val_images
    assert counter.images < images_without_cache


@pytest.mark.parametrize(
    "est",
    [
        HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        AugmentationOverSampler(rotation_range=10, random_state=0),
        ImageResampler(SMOTE(random_state=0)),
        ImageFlattener(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_estimators_hash_stably_for_the_cache(est, digits_lt):
    X, y = digits_lt
    before = joblib.hash(clone(est))
    fitted = clone(est)
    if hasattr(fitted, "fit_resample"):
        fitted.fit_resample(X, y)
    else:
        fitted.fit(X)
    assert joblib.hash(clone(est)) == before
    assert joblib.hash(clone(fitted)) == before
    assert joblib.hash(pickle.loads(pickle.dumps(clone(est)))) == before


# --- the builder -------------------------------------------------------------


def test_builder_compares_every_strategy(digits_lt):
    X, y = digits_lt
    search = make_resampling_search(
        features=HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2)),
        param_grid={"clf__C": [0.1, 1.0]},
        augmentation=AugmentationOverSampler(rotation_range=10), search="grid",
    )
    assert isinstance(search, GridSearchCV)
    assert search.error_score == "raise"
    search.fit(X, y)
    names = [describe_strategy(p) for p in search.cv_results_["params"]]
    assert Counter(names) == {s: 2 for s in STRATEGIES}
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    # easy_ensemble got clf__C routed to its base estimator
    easy = [p for p in search.cv_results_["params"] if describe_strategy(p) == "easy_ensemble"]
    assert {p["clf__estimator__C"] for p in easy} == {0.1, 1.0}
    # the augmentation strategy's sampler got the search's seed
    aug = [p for p in search.cv_results_["params"] if describe_strategy(p) == "augmentation"][0]
    assert aug["augment"].random_state == 0


def test_builder_pixels_and_search_kinds(digits_lt):
    X, y = digits_lt
    flat = X.reshape(len(X), -1)
    for kind in ("randomized", "halving"):
        search = make_resampling_search(
            ["none", "random_under", "class_weight"],
            features="pixels",
            image_shape=(8, 8),
            search=kind,
            n_iter=3,
            param_grid={"clf__C": [0.01, 0.1]},
        ).fit(flat, y)
        assert search.best_score_ > 0.7


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(strategies=["smote", "magic"]), ValueError, "strategies"),
        (dict(strategies=[]), ValueError, "strategies"),
        (dict(features="sift"), ValueError, "features must be one of .*hog\\+pixels"),
        (dict(features=object()), TypeError, "features"),
        (dict(search="bayes"), ValueError, "search"),
        (dict(random_state=None), TypeError, "random_state"),
        (dict(strategies=["class_weight"], classifier=EasyEnsembleClassifier()), ValueError, "class_weight"),
        (dict(param_grid={"clf__C": 0.1}), TypeError, r"param_grid\['clf__C'\] must be a list"),
        (dict(param_grid={"clf__C": "0.1"}), TypeError, "Wrap a single value"),
        (dict(search_params=[("factor", 3)]), TypeError, "search_params must be a dict"),
        (dict(strategies=["none", "smote", "none"]), ValueError, r"lists \['none'\] more than once"),
        (dict(augmentation={"rotation_range": 10}), TypeError,
         "'augmentation' parameter must be None or an AugmentationOverSampler.*got dict"),
        (dict(classifier="svm"), TypeError, "'classifier' parameter .* got str 'svm'"),
        (dict(smote=SMOTE), TypeError, "'smote' parameter .* got the class SMOTE"),
    ],
)
def test_builder_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_resampling_search(**kwargs)


def test_randomized_search_takes_distributions(digits_lt):
    from scipy.stats import loguniform

    X, y = digits_lt
    search = make_resampling_search(
        ["none", "random_over"], features="pixels", search="randomized", n_iter=4,
        param_grid={"clf__C": loguniform(1e-3, 1e-1)},
    )
    assert search.param_distributions[0]["clf__C"] is not None
    search.fit(X, y)
    Cs = {p["clf__C"] for p in search.cv_results_["params"]}
    assert len(Cs) == 4 and all(1e-3 <= c <= 1e-1 for c in Cs)


def test_halving_with_smote_runs_given_min_resources(digits_lt):
    X, y = digits_lt
    kwargs = dict(strategies=["none", "smote"], features=HOGTransformer(pixels_per_cell=(2, 2)),
                  search="halving", param_grid={"clf__C": [0.01, 0.1]})
    search = make_resampling_search(**kwargs, search_params={"min_resources": 600, "factor": 2})
    assert search.min_resources == 600 and search.factor == 2
    search.fit(X, y)
    assert search.n_resources_[0] == 600
    assert search.best_score_ > 0.8


def _by_strategy(search):
    """The grid of each strategy of an unfitted builder search."""
    return {describe_strategy({k: v[0] for k, v in grid.items()}): grid for grid in search.param_grid}


def test_builder_keeps_the_users_objects_and_seeds():
    search = make_resampling_search(
        ["smote", "augmentation", "none"],
        classifier=LinearSVC(random_state=3),
        augmentation=AugmentationOverSampler(rotation_range=7, random_state=5),
        smote=SMOTE(k_neighbors=2, random_state=7),
        random_state=11,
    )
    grids = _by_strategy(search)
    smote = grids["smote"]["resample"][0]
    assert (smote.k_neighbors, smote.random_state) == (2, 7)
    augment = grids["augmentation"]["augment"][0]
    assert (augment.rotation_range, augment.random_state) == (7, 5)
    assert grids["none"]["clf"][0].random_state == 3
    # unseeded objects get the builder's seed
    grids = _by_strategy(make_resampling_search(
        ["smote", "augmentation"], classifier=LinearSVC(),
        augmentation=AugmentationOverSampler(), smote=SMOTE(), random_state=11,
    ))
    assert grids["smote"]["resample"][0].random_state == 11
    assert grids["augmentation"]["augment"][0].random_state == 11
    assert grids["smote"]["clf"][0].random_state == 11


def test_builder_routes_augmentation_parameters_to_augmentation_only():
    search = make_resampling_search(
        ["none", "augmentation", "smote"],
        param_grid={"clf__C": [0.1, 1.0], "augment__rotation_range": [0, 20]},
    )
    grids = _by_strategy(search)
    assert grids["augmentation"]["augment__rotation_range"] == [0, 20]
    for name in ("none", "smote"):
        assert "augment__rotation_range" not in grids[name]
    assert all(grid["clf__C"] == [0.1, 1.0] for grid in grids.values())


def test_builder_search_settings():
    search = make_resampling_search(["none"], random_state=4, cv=5)
    assert search.scoring == "balanced_accuracy"
    assert isinstance(search.cv, StratifiedKFold)
    assert (search.cv.n_splits, search.cv.shuffle, search.cv.random_state) == (5, True, 4)
    assert make_resampling_search(["none"], scoring="f1_macro").scoring == "f1_macro"
    folds = KFold(4)
    assert make_resampling_search(["none"], cv=folds).cv is folds


def test_builder_routes_each_entry_to_the_strategies_that_take_it(digits_lt):
    # resample__k_neighbors exists only in SMOTE: other strategies leave the
    # step "passthrough" or use a sampler without it (a user report)
    search = make_resampling_search(
        ["none", "random_over", "smote", "easy_ensemble"],
        features=HOGTransformer(pixels_per_cell=(2, 2)),
        param_grid={"clf__C": [0.1], "resample__k_neighbors": [3, 5]}, search="grid",
    )
    grids = _by_strategy(search)
    assert grids["smote"]["resample__k_neighbors"] == [3, 5]
    assert all("resample__k_neighbors" not in grids[s] for s in ("none", "random_over"))
    assert grids["easy_ensemble"]["clf__estimator__C"] == [0.1]
    search.fit(*digits_lt)
    names = Counter(describe_strategy(p) for p in search.cv_results_["params"])
    assert names == {"none": 1, "random_over": 1, "smote": 2, "easy_ensemble": 1}


@pytest.mark.parametrize("key", ["resample__k_neighbors", "scale__with_mean", "clf__CC",
                                 "augment__rotation_range"])
def test_builder_rejects_entries_no_strategy_takes(key):
    with pytest.raises(ValueError, match=rf"param_grid entries \['{key}'\]"):
        make_resampling_search(["none", "random_under"], param_grid={key: [1]})


def test_builder_takes_any_mapping():
    from types import MappingProxyType

    search = make_resampling_search(["none"], param_grid=MappingProxyType({"clf__C": [1.0]}))
    assert search.param_grid[0]["clf__C"] == [1.0]


def test_builder_rejects_conflicting_or_malformed_grids():
    with pytest.raises(ValueError, match="names no step"):
        make_resampling_search(["none"], param_grid={"svm__C": [1]})
    with pytest.raises(ValueError, match="conflicts with the 'class_weight' strategy"):
        make_resampling_search(["none", "class_weight"],
                               param_grid={"clf__class_weight": [None, "balanced"]})
    with pytest.raises(ValueError, match=r"entries \['clf'\] would replace steps"):
        make_resampling_search(param_grid={"clf": [LinearSVC(), SVC()]})
    with pytest.raises(TypeError, match="param_grid must be a dict"):
        make_resampling_search(param_grid=[{"clf__C": [1]}])
    with pytest.raises(TypeError, match="random_state must be an int"):
        make_resampling_search(random_state=True)


def test_describe_strategy_honours_a_class_weight_entry():
    svc = LinearSVC()
    assert describe_strategy({"clf": svc, "clf__class_weight": "balanced"}) == "class_weight"
    assert describe_strategy({"clf": LinearSVC(class_weight="balanced"),
                              "clf__class_weight": None}) == "none"
    assert describe_strategy({"resample": SMOTE(), "clf": svc,
                              "clf__class_weight": "balanced"}) == "smote+class_weight"


def test_builder_routes_a_users_ensemble_parameters_to_the_ensemble():
    # a review finding: BaggingClassifier's own max_features went to its trees
    from sklearn.ensemble import BaggingClassifier
    from sklearn.tree import DecisionTreeClassifier

    search = make_resampling_search(
        ["none"], classifier=BaggingClassifier(DecisionTreeClassifier()),
        param_grid={"clf__max_features": [0.5, 1.0], "clf__estimator__max_depth": [3]},
    )
    grid = search.param_grid[0]
    assert grid["clf__max_features"] == [0.5, 1.0] and grid["clf__estimator__max_depth"] == [3]
    # the builder's own EasyEnsembleClassifier: its parameters stay, others go down
    grid = _by_strategy(make_resampling_search(
        ["easy_ensemble"], param_grid={"clf__C": [0.1], "clf__n_estimators": [5]},
    ))["easy_ensemble"]
    assert grid["clf__estimator__C"] == [0.1] and grid["clf__n_estimators"] == [5]


def test_builder_routes_parameters_of_swapped_in_features_and_scalers(digits_lt):
    from sklearn.preprocessing import StandardScaler

    search = make_resampling_search(
        ["none", "random_under"], features="pixels",
        param_grid={"clf__C": [0.1],
                    "features": [HOGTransformer(pixels_per_cell=(2, 2))],
                    "features__orientations": [6, 9],
                    "scale": [StandardScaler()], "scale__with_mean": [True, False]},
    )
    assert all(g["features__orientations"] == [6, 9] and g["scale__with_mean"] == [True, False]
               for g in search.param_grid)
    search.fit(*digits_lt)
    assert {p["features__orientations"] for p in search.cv_results_["params"]} == {6, 9}


def test_describe_strategy_reads_the_base_estimator_of_easy_ensemble():
    easy = EasyEnsembleClassifier(estimator=LinearSVC())
    assert describe_strategy({"clf": easy}) == "easy_ensemble"
    assert describe_strategy({"clf": easy, "clf__estimator__class_weight": "balanced"}) == \
        "easy_ensemble+class_weight"
    grid = _by_strategy(make_resampling_search(
        ["easy_ensemble"], param_grid={"clf__class_weight": ["balanced"]}
    ))
    (params,) = [{k: v[0] for k, v in g.items()} for g in grid.values()]
    assert describe_strategy(params) == "easy_ensemble+class_weight"


def test_hog_and_pixels_is_skimage_hog_beside_min_max_scaled_pixels(digits_lt):
    from skimage.feature import hog
    from sklearn.pipeline import FeatureUnion

    X, y = digits_lt
    search = make_resampling_search(["none"], features="hog+pixels")
    union = search.estimator.named_steps["features"]
    assert isinstance(union, FeatureUnion)
    assert search.estimator.named_steps["scale"] == "passthrough"
    F = clone(union).fit(X[:100]).transform(X)  # min and max of the fitted images only
    hogs = np.stack([hog(image, orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2))
                     for image in X])
    flat = X.reshape(len(X), -1)
    low, high = flat[:100].min(axis=0), flat[:100].max(axis=0)
    scaled = (flat - low) / np.where(high > low, high - low, 1.0)  # constant pixels -> 0
    # the default weighs the pixels for the shape seen in fit (0.29 on 8x8 images)
    weight = hog_pixel_weight((8, 8))
    assert clone(union).fit(X[:100]).pixel_weight_ == weight
    np.testing.assert_allclose(F, np.hstack([hogs, weight * scaled]), rtol=0, atol=1e-12)
    names = clone(union).fit(X).get_feature_names_out()
    assert len(names) == F.shape[1] and names[-1] == "pixels__pixel_7_7"
    doubled = clone(union).set_params(transformer_weights={"pixels": 1.0}).fit(X[:100])
    np.testing.assert_allclose(doubled.transform(X), np.hstack([hogs, scaled]), rtol=0, atol=1e-12)


def test_hog_and_pixels_searches_and_routes_its_parameters(digits_lt):
    X, y = digits_lt
    flat = X.reshape(len(X), -1)
    search = make_resampling_search(
        ["none", "smote"], features="hog+pixels", image_shape=(8, 8),
        param_grid={"clf__C": [0.1], "features__hog__orientations": [6, 9],
                    "features__transformer_weights": [{"pixels": 0.5}, {"pixels": 1.0}],
                    "features__pixels__minmax__feature_range": [(0, 1)]},
        search="grid",
    )
    assert all(g["features__hog__orientations"] == [6, 9]
               and g["features__pixels__minmax__feature_range"] == [(0, 1)]
               for g in search.param_grid)
    search.fit(flat, y)
    assert len(search.cv_results_["params"]) == 8
    assert search.best_score_ > 0.8
    orientations = search.best_params_["features__hog__orientations"]
    n_hog = HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2),
                           orientations=orientations).fit_transform(X[:1]).shape[1]
    F = search.best_estimator_.named_steps["features"].transform(flat)
    assert F.shape == (len(X), n_hog + 64)


def test_the_features_are_tuned_with_the_strategies(digits_lt):
    # the user guide's recipe: cross-validation chooses between HOG and HOG + pixels
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import MinMaxScaler

    hog = HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))
    hog_and_pixels = FeatureUnion(
        [("hog", hog), ("pixels", make_pipeline(ImageFlattener(), MinMaxScaler()))],
        transformer_weights={"pixels": 0.5},
    )
    search = make_resampling_search(
        ["none", "smote"], param_grid={"clf__C": [0.01], "features": [hog, hog_and_pixels]},
        search="grid",
    ).fit(*digits_lt)
    params = search.cv_results_["params"]
    assert len(params) == 4
    assert {(describe_strategy(p), type(p["features"]).__name__) for p in params} == {
        ("none", "HOGTransformer"), ("none", "FeatureUnion"),
        ("smote", "HOGTransformer"), ("smote", "FeatureUnion")}
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_a_grid_that_swaps_and_tunes_a_step_gives_each_candidate_its_own_entries(digits_lt):
    # {"features": [hog, union], "features__orientations": [...]} would set
    # orientations on the union too (and fail at fit): the grid is split
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    hog = HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))
    union = FeatureUnion(
        [("hog", clone(hog)), ("pixels", make_pipeline(ImageFlattener(), MinMaxScaler()))]
    )
    search = make_resampling_search(
        ["none", "smote"],
        param_grid={"clf__C": [0.01], "features": [hog, union],
                    "features__orientations": [6, 9], "features__hog__orientations": [4]},
        search="grid",
    )
    for grid in search.param_grid:  # every candidate has every entry it meets
        for key in grid:
            step, _, param = key.partition("__")
            if param and step == "features":
                assert all(param in c.get_params(deep=True) for c in grid["features"])
    search.fit(*digits_lt)
    params = search.cv_results_["params"]
    assert len(params) == 2 * 3  # per strategy: hog x 2 orientations, the union x 1
    got = sorted(
        (describe_strategy(p), type(p["features"]).__name__,
         p.get("features__orientations"), p.get("features__hog__orientations"))
        for p in params
    )
    assert got == sorted(
        (s, *rest) for s in ("none", "smote")
        for rest in (("HOGTransformer", 6, None), ("HOGTransformer", 9, None),
                     ("FeatureUnion", None, 4))
    )
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))

    # a scaler swapped for "passthrough" and tuned: the same
    search = make_resampling_search(
        ["none"], features="pixels",
        param_grid={"clf__C": [0.1], "scale": ["passthrough", StandardScaler()],
                    "scale__with_mean": [True, False]},
    ).fit(*digits_lt)
    got = sorted((str(p["scale"]), p.get("scale__with_mean", "-"))
                 for p in search.cv_results_["params"])
    assert got == [("StandardScaler()", False), ("StandardScaler()", True),
                   ("passthrough", "-")]


def test_image_shape_reaches_every_image_step_left_unset(digits_lt):
    X, y = digits_lt
    flat = X.reshape(len(X), -1)
    hog = HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))
    search = make_resampling_search(
        ["none", "augmentation"], features=hog, image_shape=(8, 8),
        param_grid={"clf__C": [0.01], "features": [hog, ImageFlattener()]},
    )
    assert hog.image_shape is None  # the user's objects are not modified
    for grid in search.param_grid:
        assert all(c.image_shape == (8, 8) for c in grid["features"])
        assert all(a == "passthrough" or a.image_shape == (8, 8) for a in grid["augment"])
    on_flat = search.fit(flat, y).cv_results_["mean_test_score"]
    on_images = make_resampling_search(
        ["none", "augmentation"], features=hog,
        param_grid={"clf__C": [0.01], "features": [hog, ImageFlattener()]},
    ).fit(X, y).cv_results_["mean_test_score"]
    np.testing.assert_allclose(on_flat, on_images)
    # nested in a given transformer too; an image_shape the user set is kept
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.preprocessing import FunctionTransformer

    search = make_resampling_search(
        ["none"], features=make_union(hog, ImageFlattener(image_shape=(4, 16))),
        image_shape=(8, 8),
    )
    union = search.estimator.named_steps["features"]
    assert union.get_params()["hogtransformer__image_shape"] == (8, 8)
    assert union.get_params()["imageflattener__image_shape"] == (4, 16)
    # ... but not on a step that reads what an earlier step made (a crop)
    crop = FunctionTransformer(lambda images: images[:, 1:-1, 1:-1])
    cropped_hog = make_pipeline(ImageReshaper(), crop, clone(hog))
    search = make_resampling_search(
        ["none"], features=make_union(cropped_hog, ImageFlattener()), image_shape=(8, 8),
        param_grid={"clf__C": [0.01]},
    )
    params = search.estimator.named_steps["features"].get_params()
    assert params["pipeline__imagereshaper__image_shape"] == (8, 8)
    assert params["pipeline__hogtransformer__image_shape"] is None
    assert params["imageflattener__image_shape"] == (8, 8)
    search.fit(flat, y)  # the HOG sees 6x6 crops
    assert np.isfinite(search.best_score_)

    # a candidate without get_params is used as given
    class Flatten:
        def fit(self, X, y=None):
            return self

        def transform(self, X):
            return np.asarray(X).reshape(len(X), -1)

    search = make_resampling_search(["none"], image_shape=(8, 8),
                                    param_grid={"clf__C": [0.01], "features": [Flatten()]})
    assert isinstance(search.param_grid[0]["features"][0], Flatten)


@pytest.mark.parametrize(
    "kwargs, hint",
    [
        ({"features": "hog+pixels", "param_grid": {"features__pixels_per_cell": [(4, 4)]}},
         "Did you mean 'features__hog__pixels_per_cell' for 'features__pixels_per_cell'?"),
        ({"param_grid": {"clf__c": [0.1]}}, "Did you mean 'clf__C' for 'clf__c'?"),
        ({"param_grid": {"resample__k_neigbors": [3]}},
         "Did you mean 'resample__k_neighbors' for 'resample__k_neigbors'?"),
        ({"strategies": ["easy_ensemble"], "param_grid": {"clf__c": [0.1]}},
         "Did you mean 'clf__C' for 'clf__c'?"),  # routed to the base estimator
    ],
)
def test_unknown_entries_suggest_the_key_meant(kwargs, hint):
    with pytest.raises(ValueError, match=r"no step of the strategies") as info:
        make_resampling_search(**kwargs)
    assert str(info.value).endswith(hint)


def test_unknown_entries_without_a_close_key_get_no_hint():
    with pytest.raises(ValueError) as info:
        make_resampling_search(param_grid={"clf__foo": [1]})
    assert "Did you mean" not in str(info.value)


def test_a_distribution_over_a_whole_step_still_builds_and_fits(digits_lt):
    # the key hints once iterated over every step's candidates, and a
    # distribution over whole "features" steps is not iterable
    class Choice:
        def __init__(self, items):
            self.items = items

        def rvs(self, random_state=None):
            rng = np.random.default_rng(random_state if isinstance(random_state, int) else None)
            return self.items[rng.integers(len(self.items))]

    features = Choice([HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2)),
                       ImageFlattener()])
    search = make_resampling_search(["none"], search="randomized", n_iter=2, random_state=0,
                                    param_grid={"features": features, "clf__C": [0.1]})
    assert np.isfinite(search.fit(*digits_lt).best_score_)
    # with an entry that tunes the drawn step: the user pairs them, it is passed on
    features = Choice([HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2)),
                       HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2))])
    search = make_resampling_search(
        ["none"], search="randomized", n_iter=2, random_state=0,
        param_grid={"features": features, "features__orientations": [6, 9], "clf__C": [0.1]},
    )
    assert np.isfinite(search.fit(*digits_lt).best_score_)


def test_the_builder_names_cv_and_a_halving_searchs_scoring():
    from imgbalance import make_resampling_search

    with pytest.raises(ValueError, match=r"cv must be at least 2 folds .*; got 1\."):
        make_resampling_search(cv=1)
    with pytest.raises(ValueError, match=r"search='halving' ranks candidates by one score: "
                                         r"scoring must be a str or a callable; got \{"):
        make_resampling_search(scoring={"ba": "balanced_accuracy", "acc": "accuracy"})
    search = make_resampling_search(scoring=["balanced_accuracy", "accuracy"], search="grid",
                                    refit="balanced_accuracy")
    assert search.scoring == ["balanced_accuracy", "accuracy"]
