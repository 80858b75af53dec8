"""Report: the table, the summary, the output folder and its files.

The PNG plots are drawn by :mod:`imgbalance.display`, when matplotlib is installed.
"""

import json
import os
import tempfile

import numpy as np

from ._errors import CLIError

__all__ = ["check_output", "jsonable", "print_summary", "ratio_str", "scores",
           "write_outputs"]


def check_output(path):
    """Refuse an ``--output`` that could not be written, without creating it."""
    def is_entry(p):  # a dangling link or a link loop is an entry, not a free name
        try:
            p.lstat()
        except FileNotFoundError:
            return False
        return True

    try:
        if is_entry(path) and not path.is_dir():
            raise CLIError(f"--output {path}: exists and is not a folder")
        parent = path
        while not is_entry(parent):  # the nearest existing entry...
            parent = parent.parent
        if not parent.is_dir():  # ... must be a folder we can write in
            raise CLIError(f"--output {path}: '{parent}' is not a folder")
        # Unix only; -1 means no limit
        name_max = os.pathconf(parent, "PC_NAME_MAX") if hasattr(os, "pathconf") else -1
    except OSError as exc:  # a name too long, a link loop, no permission
        where = f"'{exc.filename}': " if exc.filename else ""
        raise CLIError(f"--output {path}: {where}{exc.strerror or exc}") from None
    if name_max > 0 and any(len(os.fsencode(part)) > name_max for part in path.parts):
        raise CLIError(f"--output {path}: a folder name is longer than {name_max} bytes")
    try:  # a real write (os.access says yes to root everywhere), undone at once
        os.rmdir(tempfile.mkdtemp(prefix=".imgbalance-", dir=parent))
    except OSError:
        raise CLIError(f"--output {path}: '{parent}' is not a writable folder") from None


def ratio_str(ratio):
    """A ratio with at most two decimals, never in exponent notation."""
    return f"{ratio:.2f}".rstrip("0").rstrip(".")


def scores(y_true, y_pred):
    """The test-split scores of one strategy (a row of the table)."""
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score

    recalls = recall_score(y_true, y_pred, average=None, zero_division=0)
    return {
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "f1_macro": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "geometric_mean": float(geometric_mean_score(y_true, y_pred, average="multiclass")),
        "worst_class_recall": float(recalls.min()),
        "per_class_recall": [float(r) for r in recalls],
    }


def jsonable(params):
    """Search parameters as JSON values (estimators by their one-line repr)."""
    out = {}
    for key, value in params.items():
        if hasattr(value, "get_params"):
            value = " ".join(repr(value).split())
        elif isinstance(value, np.generic):
            value = value.item()
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


_COLUMNS = ("strategy", "balanced_accuracy", "f1_macro", "geometric_mean",
            "worst_class_recall", "fit_seconds")


def _table(rows):
    header = (f"{'strategy':<16}{'cv bal.acc':>11}{'bal.acc':>9}{'macro-F1':>10}"
              f"{'G-mean':>8}{'worst recall':>14}{'fit s':>8}")
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['strategy']:<16}{row['cv_balanced_accuracy']:>11.3f}"
            f"{row['balanced_accuracy']:>9.3f}{row['f1_macro']:>10.3f}"
            f"{row['geometric_mean']:>8.3f}{row['worst_class_recall']:>14.3f}"
            f"{row['fit_seconds']:>8.1f}"
        )
    return "\n".join(lines)


def write_outputs(outdir, rows, best, y_test, names, log):
    """results.json, results.csv, best_pipeline.joblib and the PNG plots in ``outdir``."""
    import csv

    import joblib

    outdir.mkdir(parents=True, exist_ok=True)
    results = {
        "strategies": [{k: row[k] for k in (*_COLUMNS, "cv_balanced_accuracy", "per_class_recall", "params")} for row in rows],
        "best": best["strategy"],
        "params": best["params"],
        "class_names": names,
    }
    (outdir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    with open(outdir / "results.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow((*_COLUMNS, "cv_balanced_accuracy"))
        for row in rows:
            writer.writerow([row[c] for c in (*_COLUMNS, "cv_balanced_accuracy")])
    joblib.dump(best["pipeline"], outdir / "best_pipeline.joblib")
    _write_plots(outdir, rows, best, y_test, names, log)


def _write_plots(outdir, rows, best, y_test, names, log):
    """Per-class recall by strategy, and the best strategy's confusion matrix.

    Drawn by :func:`imgbalance.display.save_comparison_figures`, the figures
    of :class:`~imgbalance.display.StrategyComparisonDisplay`.
    """
    from ..display import save_comparison_figures

    try:
        save_comparison_figures(
            outdir, y_test, {row["strategy"]: row["y_pred"] for row in rows},
            cv_scores={row["strategy"]: row["cv_fold_scores"] for row in rows},
            labels=np.arange(len(names)), display_labels=names,
            score_name="balanced accuracy", strategy=best["strategy"],
        )
    except ImportError:
        log("matplotlib is not installed: no PNG plots (pip install 'imgbalance[plot]')")


def print_summary(rows, best, y_test, names):
    """The table of every strategy, the best one and its classification report."""
    from imblearn.metrics import classification_report_imbalanced

    print()
    print(_table(rows))
    print()
    print(f"best strategy (by cross-validated balanced accuracy): {best['strategy']}, "
          f"params {best['params']}")
    print(classification_report_imbalanced(
        y_test, best["y_pred"], target_names=names, zero_division=0, digits=3))
