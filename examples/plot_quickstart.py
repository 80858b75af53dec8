"""
======================================================
Quickstart: tune a whole imbalanced image pipeline
======================================================

The whole workflow on bundled data, step by step:

1. load scikit-learn's 8x8 digits as an image batch ``(n, 8, 8)`` and make
   them long-tailed;
2. build one imbalanced-learn pipeline in image space: augmentation as an
   over-sampler, batched HOG features, a resampler on the features, and a
   linear SVM;
3. search over *which* resampling strategy to use (including none) and the
   SVM's ``C`` with balanced accuracy, then score the best pipeline on a
   held-out test split.

It runs offline, in seconds.
"""

# %%
# Long-tailed digits, as images
# -----------------------------
# Class ``c`` keeps ``n_max * 20 ** (-c / 9)`` of its images, with
# :func:`~imgbalance.datasets.make_long_tailed`.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from imgbalance.datasets import make_long_tailed

RANDOM_STATE = 0

digits = load_digits()
X, y = make_long_tailed(
    digits.images, digits.target, imbalance_ratio=20, random_state=RANDOM_STATE
)
print(f"long-tailed digits: {X.shape}, class counts {np.bincount(y).tolist()}")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=RANDOM_STATE
)

# %%
# One pipeline in image space; every step is searchable
# -----------------------------------------------------
# The ``augment`` and ``resample`` steps start as ``"passthrough"``; the grid
# switches them on.  The grid is a list of dicts, one per strategy, because
# a step that may be ``"passthrough"`` cannot share a dict with its own
# parameters.
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.svm import LinearSVC

from imgbalance import AugmentationOverSampler, HOGTransformer

pipeline = Pipeline(
    [
        ("augment", "passthrough"),
        ("hog", HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2))),
        ("resample", "passthrough"),
        ("clf", LinearSVC(random_state=RANDOM_STATE)),
    ]
)
augment = AugmentationOverSampler(
    rotation_range=10, width_shift_range=0.1, height_shift_range=0.1,
    random_state=RANDOM_STATE,
)
param_grid = [
    {"resample": ["passthrough"], "clf__class_weight": [None, "balanced"]},
    {"resample": [RandomUnderSampler(random_state=RANDOM_STATE)]},
    {"resample": [SMOTE(k_neighbors=3, random_state=RANDOM_STATE)]},
    {"augment": [augment]},
]
param_grid = [dict(grid, clf__C=[0.1, 1.0]) for grid in param_grid]
search = GridSearchCV(
    pipeline,
    param_grid,
    scoring="balanced_accuracy",
    cv=StratifiedKFold(3, shuffle=True, random_state=RANDOM_STATE),
    n_jobs=2,
    error_score="raise",
)
search.fit(X_train, y_train)
print(f"searched {len(search.cv_results_['params'])} candidates")


# %%
# Ranked strategies
# -----------------
# :func:`~imgbalance.describe_strategy` names the strategy of each
# candidate, here too: the grid uses the step names of
# :func:`~imgbalance.make_resampling_search` (``augment``, ``resample``,
# ``clf``).  Cross-validated balanced accuracy (the mean of per-class
# recalls) of every candidate, best first:
from imgbalance import describe_strategy

results = search.cv_results_
for i in np.argsort(results["rank_test_score"]):
    params = results["params"][i]
    print(f"{describe_strategy(params) + ', C=' + str(params['clf__C']):<26}"
          f"{results['mean_test_score'][i]:.3f} ± {results['std_test_score'][i]:.3f}")

# %%
# :class:`~imgbalance.display.StrategyComparisonDisplay` draws the best
# candidate of each strategy: the mean over the folds with one standard
# deviation, and each fold's score as a dot.
from imgbalance.display import StrategyComparisonDisplay

display = StrategyComparisonDisplay.from_search(search)
display.ax_.set_title("Strategies on long-tailed digits")

# %%
# The best pipeline on the held-out test split
# --------------------------------------------
# ``search`` was refitted on the whole training split with the best
# parameters; ``predict`` runs HOG and the SVM on the test images as they
# are: samplers act only during ``fit``.
from imblearn.metrics import classification_report_imbalanced
from sklearn.metrics import ConfusionMatrixDisplay, balanced_accuracy_score

y_pred = search.predict(X_test)
print(f"best: {describe_strategy(search.best_params_)}, C={search.best_params_['clf__C']}")
print(f"test balanced accuracy: {balanced_accuracy_score(y_test, y_pred):.3f}")
print(classification_report_imbalanced(y_test, y_pred, zero_division=0))

fig, ax = plt.subplots(figsize=(5.5, 5))
ConfusionMatrixDisplay.from_predictions(
    y_test, y_pred, normalize="true", values_format=".2f", cmap="Blues", colorbar=False, ax=ax
)
ax.set_title(f"Test confusion matrix (rows: true digit)\nbest: {describe_strategy(search.best_params_)}")
fig.tight_layout()
plt.show()
