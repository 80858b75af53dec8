"""Would a Newton solver along the C path make the strategy search's fits faster than liblinear?

The default search spends most of its time in ``LinearSVC`` fits on the
over-sampled folds (random over-sampling, SMOTE and augmentation fit on
about 40,000 rows of 2,080 features; ``search_costs.py --part search``).
liblinear solves each C from scratch with dual coordinate descent, one
class after the other.  This probe solves *the same problem* --
L2-regularised squared hinge, one-vs-rest, the intercept regularised as a
constant feature (``intercept_scaling=1``), liblinear's class and sample
weights (a class's weight applies to its positives only) -- for all C of
the default grid in one call: a Newton method in the primal whose Hessian,
``I + 2C X_A' D X_A`` over the active rows ``A``, is kept per class in
float32 (``ssyrk`` updates as rows enter or leave the active set; the Gram
matrix does not depend on C, so the path is warm-started), a Cholesky solve
per class and step, an exact line search on the piecewise quadratic, and
the gradient in float64 (stop when its norm is below ``--tol`` times its
norm at zero).

On one training fold of long-tailed Fashion-MNIST (imbalance ratio 100,
HOG beside the pixels), one thread, it times the three C values of the
default grid with the probe and with the default ``LinearSVC`` on three
problems: the fold as it is (10,000 rows), the fold with random
over-sampling as sample weights (the same optimum as the duplicated rows),
and the fold over-sampled by SMOTE (40,000 rows); and prints the agreement
of the validation predictions and both balanced accuracies.  A probe, not a
feature: nothing in ``imgbalance`` uses it.

Usage: python benchmarks/probe_newton_path.py [--tol 1e-5]
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.linalg import blas, lapack

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _syrk(M, A, alpha):
    """``M + alpha * A.T @ A`` in float32 (upper triangle; a new matrix when ``M`` is None)."""
    if M is None:
        return blas.ssyrk(alpha, A.T, trans=0, lower=0)
    return blas.ssyrk(alpha, A.T, beta=1.0, c=M, trans=0, lower=0, overwrite_c=1)


def _weighted_rows(Z32, rows, weights):
    return Z32[rows] * np.sqrt(weights[rows]).astype(np.float32)[:, None]


def line_search(margins, steps, Y, cost, C, wp, pp, max_iter=60):
    """Per class, the exact minimiser ``t`` of the objective along the direction.

    The derivative in ``t`` is piecewise linear and increasing: Newton steps
    on it, kept inside a bracket (bisection when a step leaves it).
    ``margins`` and ``steps`` are ``Z @ W`` and ``Z @ P``; ``wp`` and ``pp``
    the per-class ``w.p`` and ``p.p``.
    """
    n_classes = Y.shape[1]
    t, lo, hi = np.ones(n_classes), np.zeros(n_classes), np.full(n_classes, np.inf)
    for _ in range(max_iter):
        m = margins + t * steps
        weighted = np.where(Y * m < 1, cost * steps, 0.0)
        slope = wp + t * pp + 2 * C * np.einsum("ik,ik->k", weighted, m - Y)
        curvature = pp + 2 * C * np.einsum("ik,ik->k", weighted, steps)
        lo, hi = np.where(slope <= 0, t, lo), np.where(slope > 0, t, hi)
        new = t - slope / np.maximum(curvature, 1e-300)
        outside = (new <= lo) | (new >= hi)
        new = np.where(outside, np.where(np.isinf(hi), 2 * t, (lo + hi) / 2), new)
        done = np.all(np.abs(new - t) <= 1e-10 * np.maximum(1.0, t))
        t = new
        if done:
            break
    return t


def _newton_direction(Ms, k, active, new_active, Z32, cost, C, gradient):
    """Update class ``k``'s active-set Gram matrix, then solve the Newton system."""
    enter = np.flatnonzero(new_active & ~active)
    leave = np.flatnonzero(active & ~new_active)
    if len(enter) + len(leave) > new_active.sum():  # cheaper to rebuild
        Ms[k] = _syrk(None, _weighted_rows(Z32, np.flatnonzero(new_active), cost), 1.0)
    else:
        if len(enter):
            Ms[k] = _syrk(Ms[k], _weighted_rows(Z32, enter, cost), 1.0)
        if len(leave):
            Ms[k] = _syrk(Ms[k], _weighted_rows(Z32, leave, cost), -1.0)
    H = Ms[k] * np.float32(2 * C)
    H[np.diag_indices(len(H))] += 1
    factor, info = lapack.spotrf(H, lower=0, clean=0, overwrite_a=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"Cholesky failed ({info})")
    return lapack.spotrs(factor, -gradient.astype(np.float32), lower=0)[0]


def squared_hinge_path(Z, Y, cost, Cs, tol=1e-5, max_iter=50, stats=None):
    """For each C of ``Cs`` (warm-started in order) and each column k of ``Y`` (+-1),
    the minimiser of ``0.5 |w|^2 + C sum_i cost[i, k] max(0, 1 - Y[i, k] z_i.w)^2``."""
    n, p = Z.shape
    n_classes = Y.shape[1]
    Z32 = np.ascontiguousarray(Z, dtype=np.float32)
    stats = {} if stats is None else stats
    stats.update(gram_and_solve=0.0, products=0.0, line_search=0.0, iters=[])
    t0 = time.perf_counter()
    # at w = 0 every row is active: the Gram matrix of all rows, shared when the costs are
    first = _syrk(None, _weighted_rows(Z32, np.arange(n), cost[:, 0]), 1.0)
    Ms = [np.array(first, order="F") if np.array_equal(cost[:, k], cost[:, 0])
          else _syrk(None, _weighted_rows(Z32, np.arange(n), cost[:, k]), 1.0)
          for k in range(n_classes)]
    stats["gram_and_solve"] += time.perf_counter() - t0
    active, W, margins = np.ones((n, n_classes), bool), np.zeros((p, n_classes)), np.zeros((n, n_classes))
    at_zero = np.linalg.norm(Z.T @ (cost * Y), axis=0)
    path = []
    for C in Cs:
        for steps_taken in range(max_iter + 1):
            t0 = time.perf_counter()
            new_active = Y * margins < 1
            gradient = W + 2 * C * (Z.T @ np.where(new_active, cost * (margins - Y), 0.0))
            stats["products"] += time.perf_counter() - t0
            todo = np.flatnonzero(np.linalg.norm(gradient, axis=0) > tol * 2 * C * at_zero)
            if not len(todo):
                break
            if steps_taken == max_iter:
                raise RuntimeError(f"no convergence in {max_iter} Newton steps at C={C}")
            t0 = time.perf_counter()
            P = np.zeros((p, n_classes))
            for k in todo:
                P[:, k] = _newton_direction(Ms, k, active[:, k], new_active[:, k], Z32,
                                            cost[:, k], C, gradient[:, k])
                active[:, k] = new_active[:, k]
            t1 = time.perf_counter()
            steps = Z @ P
            t2 = time.perf_counter()
            t = line_search(margins, steps, Y, cost, C, np.einsum("pk,pk->k", W, P),
                            np.einsum("pk,pk->k", P, P))
            W += t * P
            margins += t * steps
            stats["gram_and_solve"] += t1 - t0
            stats["products"] += t2 - t1
            stats["line_search"] += time.perf_counter() - t2
        stats["iters"].append(steps_taken)
        path.append(W.copy())
    return path


def linearsvc_path(X, y, Cs, sample_weight=None, class_weight=None, tol=1e-5, stats=None):
    """``[(coef_, intercept_), ...]`` of ``LinearSVC(C=C)`` for each C, as liblinear defines them.

    One-vs-rest (one problem for two classes, positive = the second class);
    ``class_weight`` (an array over the sorted classes) scales the positives
    of each problem only; ``intercept_scaling=1``.
    """
    classes = np.unique(y)
    n = len(y)
    Z = np.hstack([X, np.ones((n, 1))])
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    cw = np.ones(len(classes)) if class_weight is None else np.asarray(class_weight, dtype=float)
    if len(classes) == 2:
        Y = np.where(y == classes[1], 1.0, -1.0)[:, None]
        cost = (s * np.where(y == classes[1], cw[1], cw[0]))[:, None]
    else:
        Y = np.where(y[:, None] == classes, 1.0, -1.0)
        cost = s[:, None] * np.where(Y > 0, cw[None, :], 1.0)
    return [(W[:-1].T, W[-1]) for W in squared_hinge_path(Z, Y, cost, Cs, tol=tol, stats=stats)]


def predict(classes, coef, intercept, X):
    """What LinearSVC.predict gives with these coefficients (one row: two classes)."""
    scores = X @ coef.T + intercept
    if coef.shape[0] == 1:
        return classes[(scores[:, 0] > 0).astype(int)]
    return classes[np.argmax(scores, axis=1)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tol", type=float, default=1e-5)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Liblinear failed to converge")
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold
    from threadpoolctl import threadpool_limits

    from imgbalance.datasets import load_fashion_mnist, make_long_tailed
    from imgbalance.feature_extraction import make_hog_and_pixels
    from imgbalance.search import DEFAULT_C_GRID, default_classifier

    X, y = load_fashion_mnist("train")
    X, y = make_long_tailed(X, y, imbalance_ratio=100, random_state=0)
    train, val = next(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    union = make_hog_and_pixels(pixel_weight="auto").fit(X[train])
    F, F_val, y_train, y_val = union.transform(X[train]), union.transform(X[val]), y[train], y[val]
    over = RandomOverSampler(random_state=0)
    over.fit_resample(F, y_train)
    counts = np.bincount(over.sample_indices_, minlength=len(F)).astype(float)
    F_smote, y_smote = SMOTE(random_state=0).fit_resample(F, y_train)
    problems = {
        "fold as it is": (F, y_train, None),
        "random over-sampling as weights": (F, y_train, counts),
        "SMOTE": (F_smote, y_smote, None),
    }
    print(f"C in {list(DEFAULT_C_GRID)}, one thread, probe tol={args.tol:g}")
    for name, (A, labels, weights) in problems.items():
        stats = {}
        with threadpool_limits(1):
            t0 = time.perf_counter()
            path = linearsvc_path(A, labels, DEFAULT_C_GRID, sample_weight=weights,
                                  tol=args.tol, stats=stats)
            probe_seconds = time.perf_counter() - t0
            liblinear_seconds, lines = 0.0, []
            for C, (coef, intercept) in zip(DEFAULT_C_GRID, path):
                t0 = time.perf_counter()
                ref = default_classifier(0).set_params(C=C).fit(A, labels, sample_weight=weights)
                liblinear_seconds += time.perf_counter() - t0
                ours = predict(ref.classes_, coef, intercept, F_val)
                theirs = ref.predict(F_val)
                lines.append(f"    C={C}: same validation predictions {np.mean(ours == theirs):.4f}, "
                             f"balanced accuracy {balanced_accuracy_score(y_val, ours):.4f} (probe) "
                             f"{balanced_accuracy_score(y_val, theirs):.4f} (liblinear)")
        shown = {k: round(v, 1) for k, v in stats.items() if k != "iters"}
        print(f"{name} ({len(A)} rows): probe {probe_seconds:.1f} s (Newton steps per C "
              f"{stats['iters']}; seconds in {shown}), liblinear {liblinear_seconds:.1f} s, "
              f"ratio {liblinear_seconds / probe_seconds:.2f}x")
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
