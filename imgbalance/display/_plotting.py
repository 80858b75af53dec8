"""What every display shares: a lazy matplotlib import and its axes.

matplotlib is an optional dependency (the ``plot`` extra): it is imported
here, when a display draws, never when :mod:`imgbalance.display` is imported.
"""

import numpy as np

__all__ = ["axes_grid", "import_pyplot"]


def import_pyplot(caller):
    """``matplotlib.pyplot``, or an ImportError that names the extra to install.

    Parameters
    ----------
    caller : str
        What needs matplotlib, e.g. ``"AugmentedSamplesDisplay.plot"``.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller} requires matplotlib, which is not installed; install it "
            "with: pip install 'imgbalance[plot]'"
        ) from exc
    return plt


def axes_grid(ax, n_rows, n_cols, *, caller, figsize, **gridspec_kw):
    """A ``(n_rows, n_cols)`` array of Axes, the figure and the bounding Axes.

    ``ax=None`` makes a new figure of size ``figsize``.  A single Axes is
    split into the grid (it is kept, hidden, as the bounding Axes), as
    scikit-learn's ``PartialDependenceDisplay`` does.  An array-like of Axes
    is used as it is and must hold ``n_rows * n_cols`` of them.
    """
    plt = import_pyplot(caller)
    from matplotlib.axes import Axes

    if ax is None:
        fig, axes = plt.subplots(
            n_rows, n_cols, figsize=figsize, squeeze=False, layout="constrained",
            gridspec_kw=gridspec_kw or None,
        )
        return axes, fig, None
    if isinstance(ax, Axes):
        spec = ax.get_subplotspec()
        if spec is None:
            raise ValueError(
                f"{caller}: ax must be an Axes made by plt.subplots or fig.add_subplot "
                "(its space is split into a grid); got an Axes placed by coordinates."
            )
        fig = ax.figure
        grid = spec.subgridspec(n_rows, n_cols, **gridspec_kw)
        axes = np.array(
            [[fig.add_subplot(grid[i, j]) for j in range(n_cols)] for i in range(n_rows)],
            dtype=object,
        )
        ax.set_axis_off()
        return axes, fig, ax
    axes = np.asarray(ax, dtype=object)
    if axes.size != n_rows * n_cols or not all(isinstance(a, Axes) for a in axes.flat):
        raise ValueError(
            f"{caller}: ax must be None, one Axes or {n_rows * n_cols} Axes "
            f"({n_rows} x {n_cols}); got {axes.size} object(s) of shape {axes.shape}."
        )
    return axes.reshape(n_rows, n_cols), axes.flat[0].figure, None
