"""StrategyComparisonDisplay: the strategies of a fitted search, side by side."""

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.metrics import confusion_matrix
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.parallel import Parallel, delayed

from .._warnings import warn_caller
from ..search import describe_strategy
from ._plotting import axes_grid

__all__ = ["StrategyComparisonDisplay"]


def _metric(search):
    """The key of the score that ranks the candidates in ``cv_results_``."""
    if not getattr(search, "multimetric_", False):
        return "score"
    if isinstance(search.refit, str):
        return search.refit
    raise ValueError(
        f"search has several scores ({sorted(search.scorer_)}) and "
        f"refit={search.refit!r}: set refit to the name of the score to compare."
    )


def _score_name(search, metric):
    if metric != "score":
        return metric.replace("_", " ")
    scoring = getattr(search, "scoring", None)
    return scoring.replace("_", " ") if isinstance(scoring, str) else "score"


def _best_by_strategy(searches):
    """``{strategy: (search, candidate index, fold scores)}``, best candidate of each."""
    best, dropped = {}, []
    for search in searches:
        if not hasattr(search, "cv_results_"):
            raise ValueError(
                f"search must be a fitted search (GridSearchCV, ...); got an unfitted "
                f"{type(search).__name__}: call fit first."
            )
        results, metric = search.cv_results_, _metric(search)
        mean = np.asarray(results[f"mean_test_{metric}"], dtype=float)
        n_splits = search.n_splits_
        folds = np.array([results[f"split{k}_test_{metric}"] for k in range(n_splits)], float).T
        usable = np.ones(len(mean), dtype=bool)
        names = [describe_strategy(p) for p in results["params"]]
        if "iter" in results:  # successive halving: the last round saw the most data
            usable = np.asarray(results["iter"]) == np.max(results["iter"])
            last_round = {n for n, u in zip(names, usable) if u}
            dropped += [n for n in names if n not in last_round]
        for name in dict.fromkeys(names):  # the grid's order (a halving search's first round)
            candidates = [i for i, n in enumerate(names) if n == name and usable[i]]
            if not candidates:
                continue
            scores = np.where(np.isnan(mean[candidates]), -np.inf, mean[candidates])
            i = candidates[int(np.argmax(scores))]
            if name not in best or mean[i] > np.mean(best[name][2]):
                best[name] = (search, i, folds[i])
    _warn_eliminated([n for n in dict.fromkeys(dropped) if n not in best])
    return best


def _warn_eliminated(dropped):
    """Warn about strategies that a halving search dropped before its last round."""
    if dropped:
        warn_caller(
            f"the halving search eliminated {dropped} before its last round: they are not "
            f"shown (only its last round is compared). Fit the search with search='grid' "
            f"(make_resampling_search) to compare every strategy.",
            UserWarning,
        )


def _is_best_estimator(search, index):
    """Whether candidate ``index`` is the search's refitted ``best_estimator_``."""
    return index == getattr(search, "best_index_", None) and hasattr(search, "best_estimator_")


def _refit(search, index, X_train, y_train):
    """Candidate ``index`` of ``search``, fitted (a clone) on the training data."""
    params = search.cv_results_["params"][index]
    return clone(search.estimator).set_params(**clone(params, safe=False)).fit(X_train, y_train)


class StrategyComparisonDisplay:
    """Cross-validated score and per-class test recall of each strategy.

    Build it with :meth:`from_search` (a fitted
    :func:`~imgbalance.make_resampling_search`, or any search whose
    candidates :func:`~imgbalance.describe_strategy` can name) or
    :meth:`from_predictions`; draw it with :meth:`plot`.  The left panel
    shows each strategy's best candidate: its mean cross-validated score
    with one standard deviation over the folds, and every fold's score as a
    dot.  Given test data, the right panel shows the recall of every class,
    one bar per strategy, and shades the class with the lowest mean recall:
    the class that pays for the imbalance.

    Parameters
    ----------
    strategies : list of str
        Name of each strategy.
    cv_scores : list of array-like or None
        Fold scores of each strategy's best candidate; None draws no score panel.
    confusion_matrices : ndarray of shape (n_strategies, n_classes, n_classes), default=None
        Test confusion matrix (counts, rows: true class) of each strategy;
        None draws no recall panel.
    display_labels : list of str, default=None
        Class names; None means ``"0"``, ``"1"``, ...
    score_name : str, default="score"
        Name of the cross-validated score, for the axis label.

    Attributes
    ----------
    ax_ : matplotlib Axes or None
        Axes of the cross-validated scores (None without ``cv_scores``).
    ax_recall_ : matplotlib Axes or None
        Axes of the per-class recall (None without confusion matrices).
    figure_ : matplotlib Figure
        Figure containing the panels.
    bounding_ax_ : matplotlib Axes or None
        The Axes passed as ``ax`` and split into the two panels, if any.
    per_class_recall : ndarray of shape (n_strategies, n_classes) or None
        Test recall of every class (read-only, from ``confusion_matrices``;
        NaN for a class absent from the test labels).
    best_strategy : str
        The strategy with the best mean cross-validated score (read-only;
        the first strategy without ``cv_scores``).

    See Also
    --------
    imgbalance.make_resampling_search : The search it displays.
    sklearn.metrics.ConfusionMatrixDisplay : Drawn by :meth:`plot_confusion_matrix`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import train_test_split
    >>> from imgbalance import HOGTransformer, make_resampling_search
    >>> from imgbalance.datasets import make_long_tailed
    >>> from imgbalance.display import StrategyComparisonDisplay
    >>> digits = load_digits()
    >>> X, y = make_long_tailed(digits.images, digits.target, imbalance_ratio=10, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
    >>> search = make_resampling_search(
    ...     ["none", "random_over"],
    ...     features=HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2)),
    ...     param_grid={"clf__C": [0.1]}).fit(X_train, y_train)
    >>> display = StrategyComparisonDisplay.from_search(
    ...     search, X_test, y_test, X_train=X_train, y_train=y_train)
    >>> display.strategies
    ['none', 'random_over']
    >>> display.per_class_recall.shape
    (2, 10)
    >>> display.ax_.get_xlabel()
    'balanced accuracy (3-fold cross-validation)'
    """

    def __init__(self, strategies, cv_scores, *, confusion_matrices=None,
                 display_labels=None, score_name="score"):
        self.strategies = strategies
        self.cv_scores = cv_scores
        self.confusion_matrices = confusion_matrices
        self.display_labels = display_labels
        self.score_name = score_name

    @property
    def per_class_recall(self):
        """Test recall of each class, ``(n_strategies, n_classes)``, or None.

        NaN for a class absent from the test labels.
        """
        if self.confusion_matrices is None:
            return None
        matrices = np.asarray(self.confusion_matrices, dtype=float)
        support = matrices.sum(axis=2)
        diagonal = np.diagonal(matrices, axis1=1, axis2=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(support > 0, diagonal / support, np.nan)

    @classmethod
    def from_search(cls, search, X_test=None, y_test=None, *, X_train=None, y_train=None,
                    display_labels=None, n_jobs=None, ax=None):
        """Compare the strategies of one or several fitted searches.

        Each strategy is represented by its best candidate (by the mean
        cross-validated score; with several searches, by the best of them).

        Parameters
        ----------
        search : fitted search or list of fitted searches
            :class:`~sklearn.model_selection.GridSearchCV` and its kin, e.g.
            from :func:`~imgbalance.make_resampling_search`; the strategy of
            each candidate is ``describe_strategy(params)``.  A list (for
            example one search per strategy, as ``imgbalance compare`` runs)
            is compared as one.  A multi-metric search is ranked by its
            ``refit`` score; a halving search by its last round.
        X_test, y_test : array-like, default=None
            Held-out images and labels: with them, the recall of every class
            is drawn too.
        X_train, y_train : array-like, default=None
            The data the search was fitted on.  A strategy whose best
            candidate is not the search's ``best_estimator_`` is refitted on
            it (a clone) to predict ``X_test``; required when there is one.
        display_labels : list of str, default=None
            Class names, in the order of the sorted labels.
        n_jobs : int, default=None
            Refits in parallel.
        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw; see :meth:`plot`.

        Returns
        -------
        display : StrategyComparisonDisplay
        """
        searches = list(search) if isinstance(search, (list, tuple)) else [search]
        if not searches:
            raise ValueError("search must be a fitted search or a non-empty list of them.")
        best = _best_by_strategy(searches)
        strategies = list(best)
        cv_scores = [best[s][2] for s in strategies]
        names = {_score_name(s, _metric(s)) for s in searches}
        score_name = names.pop() if len(names) == 1 else "score"
        if (X_test is None) != (y_test is None):
            raise ValueError("Pass both X_test and y_test, or neither.")
        if X_test is None:
            display = cls(strategies, cv_scores, display_labels=display_labels,
                          score_name=score_name)
            return display.plot(ax=ax)
        refits = [s for s in strategies if not _is_best_estimator(*best[s][:2])]
        if refits and (X_train is None or y_train is None):
            raise ValueError(
                f"Strategies {refits} are not the refitted best_estimator_ of their "
                "search: pass X_train and y_train (the data the search was fitted on) "
                "to refit them, or X_test=None for the cross-validated scores only."
            )
        models = {s: best[s][0].best_estimator_ for s in strategies if s not in refits}
        fitted = Parallel(n_jobs=n_jobs)(
            delayed(_refit)(best[s][0], best[s][1], X_train, y_train) for s in refits
        )
        models.update(zip(refits, fitted))
        y_pred = {s: models[s].predict(X_test) for s in strategies}
        return cls.from_predictions(
            y_test, y_pred, cv_scores=dict(zip(strategies, cv_scores)),
            display_labels=display_labels, score_name=score_name, ax=ax,
        )

    @classmethod
    def from_predictions(cls, y_true, y_pred, *, cv_scores=None, labels=None,
                         display_labels=None, score_name="score", ax=None):
        """Compare strategies from their test predictions.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True test labels.
        y_pred : dict of str to array-like of shape (n_samples,)
            Test predictions of each strategy, in the order to draw.
        cv_scores : dict of str to array-like, default=None
            Fold scores of each strategy (same keys); None draws the recall only.
        labels : array-like, default=None
            Classes, in the order to draw; None means the sorted union of
            ``y_true`` and the predictions.
        display_labels : list of str, default=None
            Class names, in the order of ``labels``.
        score_name : str, default="score"
            Name of the cross-validated score.
        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw; see :meth:`plot`.

        Returns
        -------
        display : StrategyComparisonDisplay
        """
        if not isinstance(y_pred, dict) or not y_pred:
            raise TypeError(
                "y_pred must be a non-empty dict {strategy name: predictions}; got "
                f"{type(y_pred).__name__}."
            )
        strategies = list(y_pred)
        if cv_scores is not None and set(cv_scores) != set(strategies):
            raise ValueError(
                f"cv_scores has strategies {sorted(cv_scores)} but y_pred has {sorted(strategies)}."
            )
        if labels is None:
            labels = unique_labels(y_true, *y_pred.values())
        if display_labels is not None and len(display_labels) != len(labels):
            raise ValueError(
                f"display_labels has {len(display_labels)} names for {len(labels)} classes."
            )
        matrices = np.stack([confusion_matrix(y_true, y_pred[s], labels=labels) for s in strategies])
        if display_labels is None:
            display_labels = [str(c) for c in labels]
        display = cls(
            strategies,
            None if cv_scores is None else [np.asarray(cv_scores[s], float) for s in strategies],
            confusion_matrices=matrices, display_labels=display_labels, score_name=score_name,
        )
        return display.plot(ax=ax)

    def plot(self, *, ax=None):
        """Draw the score panel and, with test data, the per-class recall panel.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            None makes a new figure.  A single Axes is split into the panels
            (and hidden); an array-like must hold one Axes per panel.

        Returns
        -------
        display : StrategyComparisonDisplay
            Itself, with ``ax_``, ``ax_recall_``, ``figure_`` and ``bounding_ax_`` set.
        """
        recall = self.per_class_recall
        panels = [self.cv_scores is not None, recall is not None]
        if not any(panels):
            raise ValueError("Nothing to draw: cv_scores and confusion_matrices are both None.")
        n_classes = 0 if recall is None else recall.shape[1]
        n = len(self.strategies)
        kw = {"width_ratios": [1.0, 1.0 + 0.2 * n_classes]} if all(panels) else {}
        axes, fig, bounding = axes_grid(
            ax, 1, sum(panels), caller="StrategyComparisonDisplay.plot",
            figsize=self._figsize(), **kw,
        )
        axes = list(axes[0])
        self.ax_ = self._plot_scores(axes.pop(0)) if panels[0] else None
        self.ax_recall_ = self._plot_recall(axes.pop(0), recall) if panels[1] else None
        self.figure_, self.bounding_ax_ = fig, bounding
        return self

    def _figsize(self):
        """The size of a new figure: wider with more classes and strategies."""
        n = len(self.strategies)
        width = 0.0
        if self.cv_scores is not None:
            width += 4.5
        if self.confusion_matrices is not None:
            n_classes = np.shape(self.confusion_matrices)[1]
            width += 3.0 + max(2.0, 0.12 * n * n_classes)
        return (min(width, 18.0), max(3.5, 0.4 * n + 1.5))

    def _plot_scores(self, ax):
        scores = [np.asarray(s, dtype=float) for s in self.cv_scores]
        means = np.array([np.mean(s) for s in scores])
        best = self.strategies.index(self.best_strategy)
        for k, fold in enumerate(scores):
            jitter = np.linspace(-0.15, 0.15, len(fold)) if len(fold) > 1 else np.zeros(1)
            ax.scatter(fold, k + jitter, s=12, color=f"C{k}", alpha=0.5, zorder=2)
            ax.errorbar(means[k], k, xerr=np.std(fold), fmt="o", color=f"C{k}",
                        markersize=8 if k == best else 6, capsize=4, zorder=3)
        ax.set_yticks(range(len(scores)), self.strategies)
        ax.get_yticklabels()[best].set_fontweight("bold")
        ax.set_ylim(len(scores) - 0.5, -0.5)
        n_folds = sorted({len(s) for s in scores})
        folds = f"{n_folds[0]}-fold " if len(n_folds) == 1 else ""
        ax.set_xlabel(f"{self.score_name} ({folds}cross-validation)")
        ax.set_title("Best candidate of each strategy\n(mean ± std over folds, dots: folds)",
                     fontsize="medium")
        ax.grid(axis="x", alpha=0.3)
        return ax

    def _plot_recall(self, ax, recall):
        n_strategies, n_classes = recall.shape
        labels = self.display_labels
        if labels is None:
            labels = [str(c) for c in range(n_classes)]
        width = 0.8 / n_strategies
        positions = np.arange(n_classes)
        for k, name in enumerate(self.strategies):
            ax.bar(positions + (k - (n_strategies - 1) / 2) * width, recall[k], width,
                   color=f"C{k}", label=name)
        with warnings.catch_warnings():  # a class absent from the test set
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(recall, axis=0)
        rotate = max(len(str(label)) for label in labels) > 3 and n_classes > 4
        ax.set_xticks(positions, labels, rotation=30 if rotate else 0, ha="right" if rotate else "center")
        if np.nanmin(mean) < np.nanmax(mean):  # one class does worst: make it stand out
            worst = int(np.argmin(np.where(np.isnan(mean), np.inf, mean)))
            ax.axvspan(worst - 0.45, worst + 0.45, color="tab:red", alpha=0.12, zorder=0)
            ax.get_xticklabels()[worst].set_color("tab:red")
            ax.get_xticklabels()[worst].set_fontweight("bold")
        ax.set_ylim(0, 1.05)
        ax.set_xlim(-0.5, n_classes - 0.5)
        ax.set_xlabel("class (shaded: lowest mean recall)")
        ax.set_ylabel("recall on the test set")
        ax.set_title("Per-class recall", fontsize="medium")
        ax.legend(fontsize="small", title="strategy", loc="upper left", bbox_to_anchor=(1.01, 1.0))
        return ax

    def plot_confusion_matrix(self, strategy=None, *, ax=None, normalize=True, **plot_kw):
        """Draw one strategy's test confusion matrix with scikit-learn's display.

        Parameters
        ----------
        strategy : str, default=None
            The strategy; None means the best cross-validated one (the first
            strategy without ``cv_scores``).
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        normalize : bool, default=True
            Normalise the rows (each true class sums to 1).
        **plot_kw : dict
            Passed to :meth:`sklearn.metrics.ConfusionMatrixDisplay.plot`.

        Returns
        -------
        display : sklearn.metrics.ConfusionMatrixDisplay
        """
        from sklearn.metrics import ConfusionMatrixDisplay

        if self.confusion_matrices is None:
            raise ValueError("No confusion matrices: build the display with test data.")
        if strategy is None:
            strategy = self.best_strategy
        if strategy not in self.strategies:
            raise ValueError(f"strategy must be one of {self.strategies}; got {strategy!r}.")
        matrix = np.asarray(self.confusion_matrices[self.strategies.index(strategy)], dtype=float)
        if normalize:
            with np.errstate(invalid="ignore", divide="ignore"):
                matrix = np.nan_to_num(matrix / matrix.sum(axis=1, keepdims=True))
        plot_kw.setdefault("values_format", ".2f" if normalize else "d")
        if not normalize:
            matrix = matrix.astype(np.int64)
        display = ConfusionMatrixDisplay(matrix, display_labels=self.display_labels)
        return display.plot(ax=ax, **plot_kw)

    @property
    def best_strategy(self):
        """The strategy with the best mean cross-validated score (the first one without scores)."""
        if self.cv_scores is None:
            return self.strategies[0]
        means = np.array([np.mean(s) for s in self.cv_scores], dtype=float)
        return self.strategies[int(np.argmax(np.where(np.isnan(means), -np.inf, means)))]
