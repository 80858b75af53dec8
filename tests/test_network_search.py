"""Networks as the final estimator of the strategy search (features="images")."""

import re
import textwrap
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
skorch = pytest.importorskip("skorch")

from sklearn.base import BaseEstimator, ClassifierMixin  # noqa: E402
from sklearn.utils.class_weight import compute_class_weight  # noqa: E402

from imgbalance import ImageResampler, describe_strategy  # noqa: E402
from imgbalance.feature_extraction import ImageLayout  # noqa: E402
from imgbalance.sampling import AdaptiveSMOTE  # noqa: E402
from imgbalance.search import make_resampling_search, make_strategy_pipeline  # noqa: E402

from deep_helpers import long_tailed_digits, tiny_cnn  # noqa: E402

STRATEGIES_RST = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "strategies.rst"


def _recipe():
    """The code block of the "Networks as the final estimator" section, as it stands."""
    section = STRATEGIES_RST.read_text().split(".. _network-search:")[1]
    block = section.split("labels ``0 .. 9``)::\n\n")[1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines))


class Module(torch.nn.Module):
    """The tiny CNN of the deep-learning tests, with a width to tune."""

    def __init__(self, hidden=64):
        super().__init__()
        self.net = tiny_cnn()
        self.hidden = hidden

    def forward(self, X):
        return self.net(X)


def _net(**kwargs):
    params = dict(max_epochs=6, lr=3e-3, batch_size=64, optimizer=torch.optim.Adam,
                  criterion=torch.nn.CrossEntropyLoss, verbose=0)
    return skorch.NeuralNetClassifier(Module, **{**params, **kwargs})


class BatchRecorder(skorch.callbacks.Callback):
    """Records the labels of every training batch."""

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.labels_ = []

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            self.labels_.append(np.asarray(batch[1]))


class ImageBatchClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the majority class; records the batch ``fit`` received."""

    def __init__(self, class_weight=None):
        self.class_weight = class_weight

    def fit(self, X, y):
        self.X_fit_, self.y_fit_ = np.array(X), np.array(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@pytest.fixture(scope="module")
def digits():
    return long_tailed_digits()


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """One torch thread: on 2 busy cores two threads ran the recipe 6x slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_the_documented_recipe_trains_a_cnn_with_every_image_strategy(digits, capsys):
    X_train, y_train, X_test, y_test = digits
    namespace = {"X_train": X_train, "y_train": y_train}
    exec(compile(_recipe(), str(STRATEGIES_RST), "exec"), namespace)
    search = namespace["search"]
    printed = capsys.readouterr().out.split()
    names = ["none", "class_weight", "random_over", "smote", "augmentation"]
    assert printed[::2] == names
    assert [describe_strategy(p) for p in search.cv_results_["params"]] == names
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores)) and np.all(scores > 0.3)  # chance: 0.1
    best = search.best_estimator_
    assert [name for name, _ in best.steps] == ["augment", "resample", "layout", "clf"]
    assert best["layout"].data_format == "channels_first"
    assert best.score(X_test, y_test) > 0.8
    for grid in search.param_grid:  # shuffled batches, no internal validation split
        net = grid["clf"][0]
        assert net.iterator_train__shuffle is True and net.train_split is None
    resamplers = [g["resample"][0] for g in search.param_grid]
    assert isinstance(resamplers[3], ImageResampler)
    assert isinstance(resamplers[3].sampler, AdaptiveSMOTE)
    assert describe_strategy({"clf": search.param_grid[1]["clf"][0]}) == "class_weight"


def test_the_validation_split_warning_comes_once_per_search():
    with pytest.warns(UserWarning, match=r"train_split=None") as caught:
        make_resampling_search(["none", "random_over", "smote", "augmentation"],
                               features="images", classifier=_net(), cv=2)
    assert len([w for w in caught if "train_split" in str(w.message)]) == 1
    assert caught[0].filename == __file__  # points at the caller's line


@pytest.mark.parametrize("strategy", ["random_over", "random_under", "smote", "augmentation"])
def test_every_sampler_gives_images_to_the_layout(digits, strategy):
    X, y, _, _ = digits
    pipe = make_strategy_pipeline(strategy, features="images",
                                  classifier=ImageBatchClassifier())
    clf = pipe.fit(X, y)["clf"]
    seen = clf.X_fit_
    assert seen.shape[1:] == (8, 8, 1) and seen.dtype == np.float32  # channels-last
    assert 0 <= seen.min() and seen.max() <= 1
    counts = Counter(clf.y_fit_.tolist())
    assert len(set(counts.values())) == 1  # balanced
    originals = {row.tobytes() for row in (X / np.float32(255)).astype(np.float32)}
    new = sum(row.tobytes() not in originals for row in seen[..., 0])
    if strategy in ("random_over", "random_under"):
        assert new == 0  # rows picked from the images
    else:
        assert new > 0  # interpolated or transformed pixels


def test_the_layout_is_the_users_and_flat_input_works(digits):
    X, y, _, _ = digits
    layout = ImageLayout(data_format="channels_first", dtype="float64", scale=None)
    pipe = make_strategy_pipeline("smote", features=layout, image_shape=(8, 8),
                                  classifier=ImageBatchClassifier())
    seen = pipe.fit(X.reshape(len(X), -1), y)["clf"].X_fit_
    assert seen.shape[1:] == (1, 8, 8) and seen.dtype == np.float64
    assert seen.max() > 1  # not scaled: uint8 values
    assert np.all(seen == np.rint(seen))  # SMOTE's pixels rounded back to uint8 values


def test_batches_are_shuffled_after_a_sorting_sampler(digits):
    X, y, _, _ = digits
    recorder = BatchRecorder()
    with pytest.warns(UserWarning, match="train_split"):
        pipe = make_strategy_pipeline("random_over", features="images",
                                      classifier=_net(max_epochs=1, callbacks=[recorder]))
    pipe.fit(X, y)
    labels = dict(pipe["clf"].callbacks_)["BatchRecorder"].labels_  # the fitted clone's
    first = labels[0]
    # unshuffled, the first batch would be 64 images of class 0
    assert len(np.unique(first)) >= 5
    assert sum(map(len, labels)) == 10 * 150  # trained on every over-sampled image


def test_class_weight_sets_the_criterion_weight_per_training_fold(digits):
    X, y, _, _ = digits
    pipe = make_strategy_pipeline("class_weight", features="images",
                                  classifier=_net(max_epochs=1, train_split=None))
    assert describe_strategy({"clf": pipe["clf"]}) == "class_weight"
    for rows in (np.arange(len(y)), np.flatnonzero((y != 0) | (np.arange(len(y)) % 3 == 0))):
        pipe.fit(X[rows], y[rows])
        want = compute_class_weight("balanced", classes=np.arange(10), y=y[rows])
        got = pipe["clf"].criterion_.weight
        assert got.dtype == torch.float32
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)
    # an estimator on image batches with class_weight gets "balanced"
    pipe = make_strategy_pipeline("class_weight", features="images",
                                  classifier=ImageBatchClassifier())
    assert pipe["clf"].class_weight == "balanced"


def test_class_weight_and_easy_ensemble_refusals():
    with pytest.raises(ValueError, match=r"criterion=.*L1Loss.* has none.*CrossEntropyLoss"):
        make_strategy_pipeline("class_weight", features="images",
                               classifier=_net(criterion=torch.nn.L1Loss, train_split=None))
    with pytest.raises(ValueError, match=r"already sets criterion__weight.*Drop one"):
        make_strategy_pipeline("class_weight", features="images", classifier=_net(
            train_split=None, criterion__weight=torch.ones(10)))
    with pytest.raises(ValueError, match=r"'easy_ensemble' cannot run with features='images'"
                                         r".*drop it from strategies \(got \['none', "
                                         r"'easy_ensemble'\]\)"):
        make_resampling_search(["none", "easy_ensemble"], features="images",
                               classifier=ImageBatchClassifier())
    with pytest.raises(ValueError, match=r"classifier=None means a LinearSVC.*pass classifier="):
        make_strategy_pipeline("none", features="images")


def test_shuffle_and_validation_settings():
    with pytest.raises(ValueError, match=r"iterator_train__shuffle=False .* class order"):
        make_strategy_pipeline("none", features="images",
                               classifier=_net(iterator_train__shuffle=False))
    net = _net(train_split=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # train_split=None: no warning
        pipe = make_strategy_pipeline("augmentation", features="images", classifier=net)
    assert pipe["clf"].iterator_train__shuffle is True
    assert "iterator_train__shuffle" not in net.get_params()  # the user's net is untouched

    class KerasLike(ImageBatchClassifier):
        def __init__(self, shuffle=True, validation_split=0.0):
            self.shuffle, self.validation_split = shuffle, validation_split

    with pytest.raises(ValueError, match=r"shuffle=False .* needs shuffle=True"):
        make_strategy_pipeline("none", features="images", classifier=KerasLike(shuffle=False))
    with pytest.warns(UserWarning, match=re.escape("validation_split=0.2 would validate")):
        pipe = make_strategy_pipeline("none", features="images",
                                      classifier=KerasLike(validation_split=0.2))
    assert pipe["clf"].validation_split == 0.0


def test_grid_entries_reach_the_wrapped_sampler_and_the_net():
    search = make_resampling_search(
        ["none", "smote"], features="images", classifier=_net(train_split=None),
        param_grid={"resample__k_neighbors": [2, 3], "clf__lr": [1e-3],
                    "clf__module__hidden": [32]},
    )
    none, smote = search.param_grid
    assert "resample__sampler__k_neighbors" in smote and "resample__k_neighbors" not in none
    assert none["clf__module__hidden"] == smote["clf__module__hidden"] == [32]
    net = _net(train_split=None)
    with pytest.raises(ValueError, match=re.escape(
            "its steps are ['augment', 'resample', 'layout', 'clf']")):
        make_resampling_search(["none"], features="images", classifier=net,
                               param_grid={"features__orientations": [6]})
    with pytest.raises(ValueError, match=r"steps: augment, resample, layout, clf.*"
                                         r"Did you mean 'layout__data_format'"):
        make_resampling_search(["none"], features="images", classifier=net,
                               param_grid={"layout__data_fromat": ["channels_last"]})


def test_every_fit_starts_from_the_seeded_network(digits):
    X, y, X_test, _ = digits
    pipe = make_strategy_pipeline("smote", features="images", random_state=5,
                                  classifier=_net(max_epochs=2, train_split=None))
    first = pipe.fit(X, y).predict_proba(X_test)
    torch.manual_seed(123)  # another state, as in another worker of a search
    torch.rand(100)
    again = pipe.fit(X, y).predict_proba(X_test)
    np.testing.assert_array_equal(first, again)
    other = make_strategy_pipeline("smote", features="images", random_state=6,
                                   classifier=_net(max_epochs=2, train_split=None))
    assert not np.array_equal(first, other.fit(X, y).predict_proba(X_test))
    with pytest.raises(ValueError, match=r"callbacks='disable' would switch off.*seed_torch"):
        make_strategy_pipeline("none", features="images",
                               classifier=_net(train_split=None, callbacks="disable"))


@pytest.mark.slow  # about 16 s: process workers import torch
def test_scores_do_not_depend_on_n_jobs(digits):
    X, y, _, _ = digits
    net = _net(max_epochs=2, train_split=None)
    scores = [
        make_resampling_search(["none", "smote"], features="images", classifier=net,
                               cv=2, n_jobs=n_jobs).fit(X, y).cv_results_["mean_test_score"]
        for n_jobs in (1, 2)
    ]
    np.testing.assert_array_equal(*scores)
