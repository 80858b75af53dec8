"""make_strategy_pipeline, the hog+pixels default, grid edges and progress of the search."""

import re
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.svm import LinearSVC

from imgbalance import STRATEGIES, HOGTransformer, describe_strategy
from imgbalance.datasets import make_long_tailed
from imgbalance.feature_extraction import hog_pixel_weight
from imgbalance.search import (
    GridEdgeWarning,
    grid_edges,
    make_resampling_search,
    make_strategy_pipeline,
)

HOG = HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))
FOLDS = StratifiedKFold(3, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def digits_lt():
    digits = load_digits()
    return make_long_tailed(digits.images, digits.target, imbalance_ratio=10, random_state=0)


def _steps(pipeline):
    return [(name, repr(step)) for name, step in pipeline.steps]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_pipeline_is_the_searchs_candidate(strategy):
    # both builders read one strategy table
    search = make_resampling_search([strategy], features=HOG, random_state=3)
    (grid,) = search.param_grid
    candidate = clone(search.estimator).set_params(
        **{k: v[0] for k, v in grid.items() if "__" not in k}
    )
    pipeline = make_strategy_pipeline(strategy, features=HOG, random_state=3)
    assert _steps(pipeline) == _steps(candidate)
    assert describe_strategy({name: step for name, step in pipeline.steps}) == strategy


@pytest.mark.parametrize("strategy, key", [("none", "clf__C"), ("smote", "clf__C"),
                                           ("easy_ensemble", "clf__estimator__C")])
def test_cross_validating_the_pipeline_gives_the_searchs_scores(digits_lt, strategy, key):
    X, y = digits_lt
    search = make_resampling_search([strategy], features=HOG, param_grid={"clf__C": [0.01, 0.1]},
                                    cv=FOLDS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X, y)
    for params, score in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
        pipeline = make_strategy_pipeline(strategy, features=HOG).set_params(**{key: params[key]})
        mine = cross_val_score(pipeline, X, y, cv=FOLDS, scoring="balanced_accuracy").mean()
        assert mine == pytest.approx(score, abs=1e-12)


def test_plain_parameters_and_the_users_objects():
    pipeline = make_strategy_pipeline("smote", classifier=LinearSVC(), random_state=7)
    assert pipeline.named_steps["clf"].random_state == 7
    assert pipeline.named_steps["resample"].random_state == 7
    pipeline.set_params(resample__k_neighbors=2, clf__C=0.5)  # plain set_params keys
    assert pipeline.named_steps["resample"].k_neighbors == 2
    pipeline = make_strategy_pipeline("augmentation", features="pixels", image_shape=(8, 8))
    assert pipeline.named_steps["augment"].image_shape == (8, 8)
    assert pipeline.named_steps["features"].image_shape == (8, 8)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(strategy="magic"), ValueError, r"strategy must be one of \['none'"),
    (dict(strategy=["smote"]), ValueError, "strategy must be one of"),
    (dict(strategy="none", random_state=None), TypeError, "random_state must be an int"),
    (dict(strategy="none", features="sift"), ValueError, "features must be one of"),
    (dict(strategy="class_weight", classifier=GridSearchCV(LinearSVC(), {})), ValueError,
     "needs a classifier with a class_weight"),
])
def test_pipeline_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_strategy_pipeline(**kwargs)


# --- features="hog+pixels" by default, its pixel weight follows the images ---


@pytest.mark.parametrize("build", [lambda **kw: make_strategy_pipeline("none", **kw),
                                   lambda **kw: make_resampling_search(["none"], **kw).estimator])
def test_hog_and_pixels_is_the_default_weighted_for_the_images_seen(build, digits_lt):
    from skimage.feature import hog

    X, _ = digits_lt
    union = build().named_steps["features"]
    F = clone(union).fit_transform(X)
    assert clone(union).fit(X).pixel_weight_ == hog_pixel_weight((8, 8)) != 0.5
    hogs = np.stack([hog(image, pixels_per_cell=(4, 4), cells_per_block=(2, 2)) for image in X])
    flat = X.reshape(len(X), -1)
    low, high = flat.min(axis=0), flat.max(axis=0)
    scaled = (flat - low) / np.where(high > low, high - low, 1.0)
    expected = np.hstack([hogs, hog_pixel_weight((8, 8)) * scaled])
    np.testing.assert_allclose(F, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clone(union).fit(X).transform(X), expected, rtol=0, atol=1e-12)
    # flattened images with image_shape: the same weight and features
    flat_union = build(image_shape=(8, 8)).named_steps["features"]
    np.testing.assert_allclose(clone(flat_union).fit_transform(flat), expected, atol=1e-12)
    # on 28x28 images, the weight the CLI and the docs quote
    images = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    assert clone(union).fit(images).pixel_weight_ == 0.5
    # a grid entry that sets the weight takes precedence
    fixed = clone(union).set_params(transformer_weights={"pixels": 1.0}).fit(X)
    assert fixed.pixel_weight_ is None
    np.testing.assert_allclose(fixed.transform(X), np.hstack([hogs, scaled]), atol=1e-12)


def test_hog_and_pixels_follows_a_tuned_hog_cell(digits_lt):
    X, _ = digits_lt
    union = make_strategy_pipeline("none").named_steps["features"]
    union = clone(union).set_params(hog__pixels_per_cell=(2, 2)).fit(X)
    assert union.pixel_weight_ == hog_pixel_weight((8, 8), (2, 2))


# --- the grid edge ------------------------------------------------------------


def _fit(search, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    return [w for w in caught if issubclass(w.category, GridEdgeWarning)]


def test_a_chosen_value_at_the_edge_of_its_grid_warns(digits_lt):
    X, y = digits_lt
    # C far too small: the best of the grid is its largest value
    search = make_resampling_search(["none", "smote"], features=HOG,
                                    param_grid={"clf__C": [1e-5, 1e-4]})
    caught = _fit(search, X, y)
    assert len(caught) == 1
    strategy = describe_strategy(search.best_params_)
    message = str(caught[0].message)
    assert f"strategy {strategy!r}" in message
    assert "clf__C=0.0001 is at the high edge of its grid [1e-05, 0.0001]" in message
    assert "try larger values" in message
    assert caught[0].filename == __file__  # points at the user's line
    (edge,) = grid_edges(search)
    assert (edge.parameter, edge.value, edge.grid, edge.strategy, edge.side) == (
        "clf__C", 1e-4, [1e-5, 1e-4], strategy, "high")


def test_the_low_edge_and_an_ensembles_base_estimator(digits_lt):
    X, y = digits_lt
    # on these features C = 1 scores 0.871, C = 1000 0.868
    search = make_resampling_search(["none"], features=HOG, param_grid={"clf__C": [1.0, 1000.0]})
    (caught,) = _fit(search, X, y)
    assert "clf__C=1.0 is at the low edge of its grid [1.0, 1000.0]" in str(caught.message)
    assert "try smaller values" in str(caught.message)
    search = make_resampling_search(["easy_ensemble"], features=HOG,
                                    param_grid={"clf__C": [1e-5, 1e-4]})
    (caught,) = _fit(search, X, y)
    assert "strategy 'easy_ensemble': the chosen clf__estimator__C=0.0001" in str(caught.message)
    assert [(e.parameter, e.side) for e in grid_edges(search)] == [("clf__estimator__C", "high")]


def test_an_inner_value_a_single_value_or_a_tie_is_silent(digits_lt):
    X, y = digits_lt
    for grid in ({"clf__C": [0.1, 1.0, 10.0]}, {"clf__C": [0.1]}):
        search = make_resampling_search(["none"], features=HOG, param_grid=grid)
        assert _fit(search, X, y) == [] and grid_edges(search) == []
    # C so small that both fits predict one class: a tie says nothing about a direction
    search = make_resampling_search(["none"], features=HOG, param_grid={"clf__C": [1e-9, 2e-9]})
    assert _fit(search, X, y) == []
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] == scores[1] and grid_edges(search) == []


def test_grid_edges_reads_any_scikit_learn_search(digits_lt):
    X, y = digits_lt
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    search = GridSearchCV(make_pipeline(StandardScaler(), LinearSVC()),
                          {"linearsvc__C": [1e-6, 1e-5]}, cv=FOLDS).fit(X.reshape(len(X), -1), y)
    assert [(e.parameter, e.side) for e in grid_edges(search)] == [("linearsvc__C", "high")]


# --- progress -----------------------------------------------------------------


def test_verbose_prints_one_line_per_strategy_and_changes_nothing(digits_lt, capsys):
    X, y = digits_lt
    kwargs = dict(features=HOG, param_grid={"clf__C": [0.01, 0.1, 1.0]}, search="grid")
    quiet = make_resampling_search(["none", "smote", "easy_ensemble"], **kwargs)
    _fit(quiet, X, y)
    assert capsys.readouterr().out == ""
    loud = make_resampling_search(["none", "smote", "easy_ensemble"], verbose=1, **kwargs)
    _fit(loud, X, y)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert [line.split()[:2] for line in lines] == [
        ["[1/3]", "none"], ["[2/3]", "smote"], ["[3/3]", "easy_ensemble"]]
    for line, name in zip(lines, ["none", "smote", "easy_ensemble"]):
        mine = [s for p, s in zip(loud.cv_results_["params"], loud.cv_results_["mean_test_score"])
                if describe_strategy(p) == name]
        assert re.search(rf"cv {max(mine):.3f} ", line)
        assert re.search(r"\(\d+\.\d s\)", line)
    assert "Fitting 3 folds for each of 3 candidates" in out  # scikit-learn's own lines too
    np.testing.assert_array_equal(loud.cv_results_["mean_test_score"],
                                  quiet.cv_results_["mean_test_score"])
    assert loud.best_params_.keys() == quiet.best_params_.keys()


@pytest.mark.parametrize("kind", ["randomized", "halving"])
def test_verbose_other_searches(digits_lt, capsys, kind, few_per_class):
    X, y = digits_lt
    search = make_resampling_search(["none", "random_under"], features=HOG, search=kind, n_iter=4,
                                    param_grid={"clf__C": [0.01, 0.1, 1.0]}, verbose=1)
    _fit(search, X, y)
    out = capsys.readouterr().out
    assert re.search(r"\[\d/2\] none +cv 0\.\d{3}", out)
    assert re.search(r"\[\d/2\] random_under +cv 0\.\d{3}", out)
    if kind == "halving":
        share = search.n_resources_[0] / len(y)  # a quarter, then whole folds
        assert f"[round 1] 6 candidates on {share:.1%} of each training fold (stratified)" in out
        assert "[round 2] 2 candidates on the whole training folds" in out


# --- tuning with optuna (the user guide's recipe) ------------------------------


def test_optuna_recipe(digits_lt):
    optuna = pytest.importorskip("optuna")
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    X, y = digits_lt
    folds = StratifiedKFold(3, shuffle=True, random_state=0)

    def objective(trial):
        strategy = trial.suggest_categorical("strategy", ["none", "class_weight", "smote"])
        pipeline = make_strategy_pipeline(strategy, features=HOG, random_state=0)
        pipeline.set_params(clf__C=trial.suggest_float("C", 1e-3, 1.0, log=True))
        if strategy == "smote":
            pipeline.set_params(resample__k_neighbors=trial.suggest_int("k_neighbors", 1, 7))
        return cross_val_score(pipeline, X, y, cv=folds, scoring="balanced_accuracy").mean()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
    study.optimize(objective, n_trials=5)
    assert study.best_value > 0.8
    best = study.best_params
    # the trial's score is the pipeline's, rebuilt from the best parameters
    pipeline = make_strategy_pipeline(best["strategy"], features=HOG).set_params(clf__C=best["C"])
    if best["strategy"] == "smote":
        pipeline.set_params(resample__k_neighbors=best["k_neighbors"])
    score = cross_val_score(pipeline, X, y, cv=folds, scoring="balanced_accuracy").mean()
    assert score == pytest.approx(study.best_value, abs=1e-12)


def test_optuna_search_cv_recipe(digits_lt):
    pytest.importorskip("optuna")
    pytest.importorskip("optuna_integration")
    from optuna.distributions import FloatDistribution, IntDistribution
    from optuna_integration import OptunaSearchCV

    X, y = digits_lt
    search = OptunaSearchCV(
        make_strategy_pipeline("smote", features=HOG),
        {"clf__C": FloatDistribution(1e-3, 1.0, log=True),
         "resample__k_neighbors": IntDistribution(1, 7)},
        cv=FOLDS, scoring="balanced_accuracy", n_trials=3, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # OptunaSearchCV is experimental
        search.fit(X, y)
    assert search.best_score_ > 0.8
    assert set(search.best_params_) == {"clf__C", "resample__k_neighbors"}


def _progress_lines(out):
    return [line for line in out.splitlines() if re.match(r"\[\d+/\d+\] ", line)]


def test_verbose_edge_note_not_shown_on_a_tie(digits_lt, capsys):
    # max_iter far above what the fits need: both values give the same fit,
    # so the strategy's choice says nothing about a direction (as grid_edges)
    X, y = digits_lt
    search = make_resampling_search(["none"], features=HOG, search="grid", verbose=1,
                                    param_grid={"clf__C": [0.1], "clf__max_iter": [5000, 6000]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", GridEdgeWarning)
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] == scores[1]
    assert grid_edges(search) == []
    (line,) = _progress_lines(capsys.readouterr().out)
    assert "edge]" not in line


def test_verbose_edge_note_of_a_halving_rounds_lone_survivor(digits_lt, capsys, few_per_class):
    # a later round may hold one candidate of a strategy: it was chosen over
    # the others in earlier rounds, so its edge is still noted
    X, y = digits_lt
    grid = [0.001, 0.01, 0.1, 1.0]
    search = make_resampling_search(["none", "random_under"], features=HOG, verbose=1,
                                    param_grid={"clf__C": grid})
    _fit(search, X, y)
    out = capsys.readouterr().out
    last_round = out.split(f"[round {search.n_iterations_}]")[1]
    lines = _progress_lines(last_round)
    results = search.cv_results_
    last = [p for p, i in zip(results["params"], results["iter"]) if i == search.n_iterations_ - 1]
    checked = 0
    for line in lines:
        name = line.split()[1]
        mine = [p for p in last if describe_strategy(p) == name]
        if len(mine) != 1:
            continue
        C = mine[0]["clf__C"]
        side = "low" if C == min(grid) else "high" if C == max(grid) else None
        assert ("[clf__C at the" in line) == (side is not None), line
        if side:
            assert f"[clf__C at the {side} edge]" in line
            checked += 1
    assert checked  # some strategy's lone candidate of the last round was at an edge


def test_several_metrics_and_a_callable_refit(digits_lt, capsys):
    # no score ranks the candidates: the lines rank each strategy by the first
    # metric and name it; the warning reports the callable's pick
    X, y = digits_lt
    search = make_resampling_search(["none"], features=HOG, search="grid", verbose=1,
                                    param_grid={"clf__C": [1e-5, 1e-4]},
                                    scoring={"ba": "balanced_accuracy", "acc": "accuracy"},
                                    refit=lambda cv: 0)
    caught = _fit(search, X, y)
    assert search.best_index_ == 0
    (line,) = _progress_lines(capsys.readouterr().out)
    ba = search.cv_results_["mean_test_ba"]
    assert f"cv(ba) {max(ba):.3f}" in line
    assert "[clf__C at the high edge]" in line  # C=1e-4 scores best on ba
    assert [str(w.message).split(":")[1] for w in caught] == [
        " the chosen clf__C=1e-05 is at the low edge of its grid [1e-05, 0.0001]; the best value "
        "may lie beyond it"]


def test_a_tie_on_every_metric_with_a_callable_refit_is_not_an_edge(digits_lt):
    X, y = digits_lt
    search = make_resampling_search(["none"], features=HOG, search="grid",
                                    param_grid={"clf__C": [0.1], "clf__max_iter": [5000, 6000]},
                                    scoring={"ba": "balanced_accuracy", "acc": "accuracy"},
                                    refit=lambda cv: 0)
    assert _fit(search, X, y) == []
    assert grid_edges(search) == []
