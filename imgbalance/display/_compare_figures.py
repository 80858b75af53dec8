"""The figures that ``imgbalance compare --output`` writes, through the display."""

from pathlib import Path

from ._plotting import import_pyplot
from ._strategy_comparison import StrategyComparisonDisplay

__all__ = ["save_comparison_figures"]


def save_comparison_figures(directory, y_true, y_pred, *, cv_scores=None, labels=None,
                            display_labels=None, score_name="score", strategy=None,
                            dpi=100):
    """Write a strategy comparison as PNG files, as ``imgbalance compare`` does.

    Two files: ``recall_by_strategy.png``, drawn by
    :class:`StrategyComparisonDisplay` (cross-validated scores, if given, and
    per-class test recall), and ``confusion_matrix.png``, the row-normalised
    test confusion matrix of one strategy.  The figures are made without
    :mod:`matplotlib.pyplot`: no window opens and no figure stays open,
    whatever the backend.

    Parameters
    ----------
    directory : str or path-like
        An existing folder.
    y_true, y_pred, cv_scores, labels, display_labels, score_name
        As in :meth:`StrategyComparisonDisplay.from_predictions`.
    strategy : str, default=None
        Strategy of the confusion matrix; None means the best cross-validated
        one (the first of ``y_pred`` without ``cv_scores``).
    dpi : int, default=100
        Resolution of the PNG files.

    Returns
    -------
    display : StrategyComparisonDisplay
        The display drawn in ``recall_by_strategy.png``.
    paths : list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> from imgbalance.display import save_comparison_figures
    >>> y_true = [0, 0, 0, 0, 1, 1]
    >>> y_pred = {"none": [0, 0, 0, 0, 0, 1], "smote": [0, 0, 0, 1, 1, 1]}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     display, paths = save_comparison_figures(
    ...         folder, y_true, y_pred, cv_scores={"none": [0.7, 0.8], "smote": [0.8, 0.9]},
    ...         display_labels=["common", "rare"])
    ...     [p.name for p in paths]
    ['recall_by_strategy.png', 'confusion_matrix.png']
    >>> display.best_strategy, display.per_class_recall.tolist()
    ('smote', [[1.0, 0.5], [0.75, 1.0]])
    """
    import_pyplot("save_comparison_figures")  # the clear ImportError, if any
    from matplotlib.figure import Figure

    directory = Path(directory)
    paths = [directory / "recall_by_strategy.png", directory / "confusion_matrix.png"]
    fig = Figure(figsize=(1, 1), layout="constrained")
    display = StrategyComparisonDisplay.from_predictions(
        y_true, y_pred, cv_scores=cv_scores, labels=labels, display_labels=display_labels,
        score_name=score_name, ax=fig.add_subplot(),
    )
    fig.set_size_inches(display._figsize())
    fig.savefig(paths[0], dpi=dpi)
    strategy = display.best_strategy if strategy is None else strategy
    size = max(5.0, 0.6 * len(display.display_labels) + 1.0)
    fig = Figure(figsize=(size * 1.1, size), layout="constrained")
    ax = fig.add_subplot()
    display.plot_confusion_matrix(strategy, ax=ax, colorbar=False, xticks_rotation=45)
    ax.set_title(f"{strategy}: test confusion matrix (rows normalised)")
    fig.savefig(paths[1], dpi=dpi)
    return display, paths
