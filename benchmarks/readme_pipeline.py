"""Time the README's first pipeline on the README's data.

Long-tailed Fashion-MNIST (imbalance ratio 100, 14,886 training images),
scored on the full test set.  Prints the fit time of every step (the
pipeline's own ``verbose=True``), the whole fit time and the test balanced
accuracy.  ``benchmarks/results/readme_pipeline.txt`` keeps one run.

Run from a checkout: ``python benchmarks/readme_pipeline.py``.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imblearn.ensemble import EasyEnsembleClassifier  # noqa: E402
from imblearn.over_sampling import SMOTE  # noqa: E402
from imblearn.pipeline import Pipeline  # noqa: E402
from sklearn.metrics import balanced_accuracy_score  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from imgbalance import AugmentationOverSampler, HOGTransformer  # noqa: E402
from imgbalance.datasets import fetch_fashion_mnist, make_long_tailed  # noqa: E402


def main():
    train = fetch_fashion_mnist("train")
    X_train, y_train = make_long_tailed(train.data, train.target, imbalance_ratio=100, random_state=0)
    X_test, y_test = fetch_fashion_mnist("test", return_X_y=True)
    # The README's pipeline, verbatim.
    pipe = Pipeline([
        ("augment", AugmentationOverSampler(rotation_range=15, horizontal_flip=True, random_state=0)),
        ("hog", HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2))),
        ("resample", SMOTE(random_state=0)),
        ("clf", EasyEnsembleClassifier(
            estimator=LinearSVC(C=0.01, dual=True, tol=0.1, max_iter=300),
            n_estimators=4, n_jobs=2, random_state=0)),
    ], verbose=True)
    start = time.perf_counter()
    pipe.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    score = balanced_accuracy_score(y_test, pipe.predict(X_test))
    print(f"training images: {len(y_train):,}; fit: {seconds:.1f} s on 2 cores; "
          f"test balanced accuracy: {score:.3f}")


if __name__ == "__main__":
    main()
