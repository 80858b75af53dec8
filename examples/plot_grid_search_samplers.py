"""
=================================
Grid search over samplers
=================================

In an imbalanced-learn :class:`~imblearn.pipeline.Pipeline`, the resampling
step is a parameter like any other: a grid search can choose *which* sampler
to use -- or none, with ``"passthrough"`` -- and tune each sampler's own
parameters.  This example writes that grid by hand and plots the
cross-validated scores from ``cv_results_``.
"""

# %%
# Data and pipeline
# -----------------
# Long-tailed 8x8 digits; HOG features; a resampling step, off by default;
# a linear SVM.  Stock imbalanced-learn samplers need 2-D input, so they go
# after :class:`~imgbalance.HOGTransformer`.
import matplotlib.pyplot as plt
import numpy as np
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler, TomekLinks
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.svm import LinearSVC

from imgbalance import HOGTransformer
from imgbalance.datasets import make_long_tailed

digits = load_digits()
X, y = make_long_tailed(digits.images, digits.target, imbalance_ratio=20, random_state=0)
print("images:", X.shape, "class counts", np.bincount(y).tolist())

pipeline = Pipeline(
    [
        ("hog", HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))),
        ("resample", "passthrough"),
        ("clf", LinearSVC(random_state=0)),
    ]
)

# %%
# The grid: a list of dicts
# -------------------------
# One dict per *shape* of the pipeline.  A single dict that mixes
# ``"resample": [SMOTE(), "passthrough"]`` with ``"resample__k_neighbors"``
# would also try ``k_neighbors`` on ``"passthrough"``, and fail -- see the end
# of this example.  Every dict shares the grid over the SVM's ``C``.
C_values = [0.03, 0.1, 0.3, 1.0]
param_grid = [
    {"resample": ["passthrough"]},
    {"resample": [RandomOverSampler(random_state=0)]},
    {"resample": [RandomUnderSampler(random_state=0)]},
    {"resample": [SMOTE(random_state=0)], "resample__k_neighbors": [3, 5]},
    {"resample": [TomekLinks()]},
]
param_grid = [dict(grid, clf__C=C_values) for grid in param_grid]

search = GridSearchCV(
    pipeline,
    param_grid,
    scoring="balanced_accuracy",
    cv=StratifiedKFold(n_splits=4, shuffle=True, random_state=0),
    n_jobs=2,
    error_score="raise",  # a sampler that cannot run fails loudly, not as NaN
)
search.fit(X, y)
print("candidates:", len(search.cv_results_["params"]))
print("best:", search.best_params_, f"score {search.best_score_:.3f}")

# %%
# Plotting ``cv_results_``
# ------------------------
# ``cv_results_["params"]`` holds each candidate's parameters; we name a
# candidate by its sampler (and SMOTE's ``k_neighbors``) and draw the mean
# cross-validated balanced accuracy against ``C``, with one standard
# deviation over the folds as a band.
results = search.cv_results_


def sampler_name(params):
    resample = params["resample"]
    if resample == "passthrough":
        return "passthrough (no resampling)"
    name = type(resample).__name__
    if "resample__k_neighbors" in params:
        name += f" (k={params['resample__k_neighbors']})"
    return name


names = [sampler_name(p) for p in results["params"]]
Cs = np.array([p["clf__C"] for p in results["params"]])
mean, std = results["mean_test_score"], results["std_test_score"]

fig, ax = plt.subplots(figsize=(8, 4.5))
for k, name in enumerate(dict.fromkeys(names)):
    idx = [i for i, n in enumerate(names) if n == name]
    idx = sorted(idx, key=lambda i: Cs[i])
    style = "--" if name.startswith("passthrough") else "-"
    ax.plot(Cs[idx], mean[idx], style, marker="o", color=f"C{k}", label=name)
    ax.fill_between(Cs[idx], mean[idx] - std[idx], mean[idx] + std[idx],
                    color=f"C{k}", alpha=0.12)
best = search.best_index_
ax.plot(Cs[best], mean[best], "k*", markersize=14, label="best candidate")
ax.set_xscale("log")
ax.set_xticks(C_values, [str(C) for C in C_values])
ax.minorticks_off()
ax.set_xlabel("LinearSVC C")
ax.set_ylabel("balanced accuracy (4-fold CV)")
ax.set_title("GridSearchCV over samplers on long-tailed digits")
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()

# %%
# The same grid as one dict fails
# -------------------------------
# With ``"passthrough"`` and ``"resample__k_neighbors"`` in one dict, the
# search tries ``set_params(resample="passthrough",
# resample__k_neighbors=3)`` on the pipeline, which fails:
bad_grid = {"resample": [SMOTE(random_state=0), "passthrough"], "resample__k_neighbors": [3]}
try:
    GridSearchCV(pipeline, bad_grid, cv=2, error_score="raise").fit(X, y)
except AttributeError as exc:
    print(f"{type(exc).__name__}: {exc}")
plt.show()
