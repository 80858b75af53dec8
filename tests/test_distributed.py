"""The same search on a dask.distributed cluster gives the same results.

Runs when the ``distributed`` extra is installed (CI installs it).  The
cluster has separate worker processes bound to 127.0.0.1.
"""

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow  # every test starts a dask cluster

from joblib import parallel_config  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from imgbalance import HOGTransformer, make_resampling_search  # noqa: E402
from imgbalance.datasets import make_long_tailed  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=50,
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _search(n_jobs_hog=None):
    return make_resampling_search(
        ["none", "class_weight", "smote", "augmentation"],
        features=HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2), n_jobs=n_jobs_hog),
        param_grid={"clf__C": [0.1, 1.0]},
        random_state=0,
    )


@pytest.fixture(scope="module")
def data():
    digits = load_digits()
    return make_long_tailed(digits.images, digits.target, imbalance_ratio=10, random_state=0)


def test_dask_backend_gives_the_same_search(client, data):
    X, y = data
    local = _search().fit(X, y)
    with distributed.get_task_stream(client) as tasks, parallel_config(backend="dask"):
        remote = _search().set_params(n_jobs=-1).fit(X, y)
    # the fits really ran on the cluster's worker processes (joblib batches
    # several fits into one dask task, so count tasks loosely)
    assert len(tasks.data) >= 2
    assert {task["worker"] for task in tasks.data} <= set(client.scheduler_info()["workers"])
    assert remote.best_params_.keys() == local.best_params_.keys()
    assert repr(remote.best_params_) == repr(local.best_params_)
    for key in ("mean_test_score", "split0_test_score", "split1_test_score", "split2_test_score"):
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))


def test_nested_n_jobs_inside_dask_workers_does_not_deadlock(client, data):
    """HOGTransformer(n_jobs=2) runs its chunks sequentially inside a worker."""
    X, y = data
    reference = _search().fit(X, y)
    with parallel_config(backend="dask"):
        nested = _search(n_jobs_hog=2).set_params(n_jobs=-1).fit(X, y)
    np.testing.assert_array_equal(
        nested.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"]
    )


def test_estimators_run_sequentially_inside_a_dask_worker(client):
    from imgbalance._parallel import _in_dask_worker

    assert not _in_dask_worker()
    assert client.submit(_in_dask_worker).result() is True
    from imgbalance._parallel import effective_chunk_jobs

    assert effective_chunk_jobs(2, 10) == 2
    assert client.submit(effective_chunk_jobs, 2, 10).result() == 1


def test_chunk_threads_drop_to_one_in_threaded_workers():
    # in worker *processes* joblib itself already runs nested loops on one
    # job (they are daemonic); workers in threads of a normal process rely on
    # imgbalance's own check
    from imgbalance._parallel import effective_chunk_jobs

    # (dashboard_address=None would still bind port 8787; an in-process
    # cluster takes no host)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address="127.0.0.1:0", silence_logs=50) as cluster:
        with distributed.Client(cluster) as client:
            assert client.submit(effective_chunk_jobs, 2, 10).result() == 1
