"""The ``imgbalance compare`` command."""

import json
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest
from PIL import Image

from imgbalance import STRATEGIES
from imgbalance.cli import build_parser, main

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def _error_run(argv, capsys):
    """``(exit status, stderr)`` of ``main(argv)`` run in-process.

    argparse reports a bad argument by raising ``SystemExit(2)``; ``main``
    returns 2 for the errors it reports itself.  Either way: one line on
    stderr, no traceback.
    """
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("imgbalance")
    return code, err


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    code = main(["compare", "--output", str(out), "--quiet"])
    return code, out


def test_default_run_writes_every_output(digits_run, capsys):
    code, out = digits_run
    assert code == 0
    results = json.loads((out / "results.json").read_text())
    assert sorted(row["strategy"] for row in results["strategies"]) == sorted(STRATEGIES)
    assert len(results["strategies"]) == len(STRATEGIES)
    for row in results["strategies"]:
        assert set(row) >= {"strategy", "balanced_accuracy", "f1_macro", "geometric_mean",
                            "worst_class_recall", "fit_seconds"}
        assert 0 <= row["worst_class_recall"] <= row["balanced_accuracy"] <= 1
    assert results["best"] == results["strategies"][0]["strategy"]
    assert isinstance(results["params"], dict) and "clf__C" in results["params"]
    csv_lines = (out / "results.csv").read_text().splitlines()
    assert csv_lines[0].startswith("strategy,balanced_accuracy,f1_macro,geometric_mean,worst_class_recall,fit_seconds")
    assert len(csv_lines) == 1 + len(STRATEGIES)
    for png in ("recall_by_strategy.png", "confusion_matrix.png"):
        with Image.open(out / png) as image:
            assert image.size[0] > 300
    pipeline = joblib.load(out / "best_pipeline.joblib")
    from sklearn.datasets import load_digits

    assert pipeline.predict(load_digits().images[:5]).shape == (5,)


def test_table_and_report_are_printed(capsys):
    assert main(["compare", "--strategies", "none,class_weight", "--C", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "[1/2] none" in out and "[2/2] class_weight" in out
    # the settings the command chose for these images are shown, not guessed;
    # HOG beside the pixels is the default
    assert ("features: HOG, 2x2-pixel cells, 2x2-cell blocks, beside the min-max scaled "
            "pixels weighted 0.875; linear-svc with C in [0.1]") in out
    assert "SMOTE k_neighbors" not in out  # no smote strategy here
    assert "worst recall" in out
    assert "best strategy (by cross-validated balanced accuracy)" in out
    assert "avg / total" in out  # classification_report_imbalanced


def test_help_lists_every_option(capsys):
    help_text = build_parser()._subparsers._group_actions[0].choices["compare"].format_help()
    for option in ("--data", "--imbalance-ratio", "--features", "--strategies", "--classifier",
                   "--cv", "--n-jobs", "--random-state", "--output", "--C", "--image-size"):
        assert option in help_text
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--help"])
    assert exit_info.value.code == 0 and "--imbalance-ratio" in capsys.readouterr().out


def test_python_m_imgbalance_reports_errors_in_one_line():
    # the one real subprocess: ``python -m imgbalance`` passes main's status on
    result = subprocess.run([sys.executable, "-m", "imgbalance", "compare", "--data",
                             "/no/such/folder"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "imgbalance: error: --data: '/no/such/folder' is neither 'digits', "
        "'fashion-mnist' nor an existing folder")


@pytest.mark.parametrize("features, step", [("hog", "HOGTransformer"),
                                            ("pixels", "StandardScaler")])
def test_features_option_chooses_the_feature_step(tmp_path, features, step):
    code = main(["compare", "--features", features, "--strategies", "none", "--C", "0.1",
                 "--quiet", "--output", str(tmp_path)])
    assert code == 0
    pipeline = joblib.load(tmp_path / "best_pipeline.joblib")
    assert step in repr(pipeline)
    assert "FeatureUnion" not in repr(pipeline)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["compare", "--data", "/no/such/folder"], "neither 'digits', 'fashion-mnist' nor an existing folder"),
        (["compare", "--strategies", "none,magic"], "unknown strategy magic"),
        (["compare", "--cv", "0"], "expected a number >= 2"),
        (["compare", "--cv", "1"], "expected a number >= 2"),
        (["compare", "--imbalance-ratio", "-3"], "expected a positive number"),
        (["compare", "--imbalance-ratio", "0.5"], "expected a number >= 1"),
        (["compare", "--C", "0.1,abc"], "comma-separated numbers"),
        (["compare", "--n-jobs", "0"], "n_jobs cannot be 0"),
        (["compare", "--features", "sift"], "invalid choice"),
        (["compare", "--cv", "50"], "lower --cv or --imbalance-ratio"),
        (["compare", "--hog-pixels-per-cell", "5"], "smaller than one 2x2-cell block"),
        (["compare", "--cv", "2", "--imbalance-ratio", "50", "--strategies", "none,smote"],
         "may hold only 1, and SMOTE needs 2; lower --imbalance-ratio"),  # 2 images: no --cv
        (["compare", "--cv", "2", "--imbalance-ratio", "40", "--strategies", "none,smote"],
         "has 3 images, so a training fold may hold only 1, and SMOTE needs 2; use --cv 3,"),
        (["compare", "--random-state", "-1"], "expected a seed in [0, 2**32 - 1]"),
        (["compare", "--image-size", "16", "16", "--color-mode", "rgb"],
         "--image-size, --color-mode: for a folder of images (--data PATH) only; --data digits"),
    ],
)
def test_bad_arguments_give_one_line_errors(argv, message, capsys):
    code, err = _error_run(argv, capsys)
    assert code == 2
    assert message in err


def _image_folder(root, sizes=(12, 10), n=(14, 6)):
    rng = np.random.default_rng(0)
    for klass, count in zip(("cats", "dogs"), n):
        (root / klass).mkdir(parents=True)
        for i in range(count):
            pixels = rng.integers(0, 255, size=sizes, dtype=np.uint8)
            if klass == "dogs":
                pixels[:, : sizes[1] // 2] = 255
            Image.fromarray(pixels).save(root / klass / f"{i}.png")
    return root


def test_folder_of_images(tmp_path, capsys):
    root = _image_folder(tmp_path / "data")
    code = main(["compare", "--data", str(root), "--image-size", "16", "16",
                 "--strategies", "none,random_over", "--cv", "2", "--C", "1",
                 "--output", str(tmp_path / "out")])
    assert code == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["class_names"] == ["cats", "dogs"]


def test_corrupt_image_is_a_one_line_error(tmp_path, capsys):
    root = _image_folder(tmp_path / "data")
    (root / "dogs" / "broken.png").write_bytes(b"not a png")
    code, err = _error_run(["compare", "--data", str(root), "--quiet"], capsys)
    assert code == 2
    assert "broken.png" in err and "--skip-unreadable" in err
    assert len(err.strip().splitlines()) == 1
    # skipped on request, with a warning naming the file
    with pytest.warns(UserWarning, match="broken.png"):
        code = main(["compare", "--data", str(root), "--skip-unreadable", "--strategies",
                     "none", "--cv", "2", "--C", "1", "--quiet"])
    assert code == 0


def test_images_of_different_sizes_name_the_option(tmp_path, capsys):
    root = _image_folder(tmp_path / "data")
    Image.fromarray(np.zeros((5, 7), dtype=np.uint8)).save(root / "cats" / "small.png")
    code, err = _error_run(["compare", "--data", str(root)], capsys)
    assert code == 2
    assert "pass --image-size H W" in err and "image_size=" not in err


def test_results_are_ranked_by_cv_score_and_scored_on_the_test_split(digits_run):
    _, out = digits_run
    results = json.loads((out / "results.json").read_text())
    rows = results["strategies"]
    cv = [row["cv_balanced_accuracy"] for row in rows]
    assert cv == sorted(cv, reverse=True)
    assert results["best"] == max(rows, key=lambda r: r["cv_balanced_accuracy"])["strategy"]
    for row in rows:
        recalls = row["per_class_recall"]
        assert len(recalls) == 10
        assert row["worst_class_recall"] == min(recalls)
        assert row["balanced_accuracy"] == pytest.approx(np.mean(recalls))


def test_ridge_searches_alpha_as_one_over_c(tmp_path):
    code = main(["compare", "--classifier", "ridge", "--C", "0.1", "--strategies", "none",
                 "--quiet", "--output", str(tmp_path)])
    assert code == 0
    params = json.loads((tmp_path / "results.json").read_text())["params"]
    assert params["clf__alpha"] == pytest.approx(10.0)


def test_imbalance_ratio_alters_the_training_part_only():
    from imgbalance.cli._load import load_data

    parts = {}
    for ratio in ("1", "20"):
        args = build_parser().parse_args(["compare", "--imbalance-ratio", ratio])
        parts[ratio] = load_data(args, log=lambda *a: None)
    X_train1, X_test1, y_train1, y_test1 = parts["1"][:4]
    X_train20, X_test20, y_train20, y_test20 = parts["20"][:4]
    # the same stratified 25 % test split of the 1,797 digits
    assert len(y_test1) == 450
    np.testing.assert_array_equal(X_test1, X_test20)
    np.testing.assert_array_equal(y_test1, y_test20)
    # a long-tailed subset of the same training part
    counts = np.bincount(y_train20)
    assert len(y_train20) < len(y_train1)
    assert counts[0] == np.bincount(y_train1)[0] and counts[-1] == counts[0] // 20


def test_a_class_left_empty_by_skipped_files_is_named(tmp_path, capsys):
    root = _image_folder(tmp_path / "data")
    (root / "zebras").mkdir()
    for i in range(3):
        (root / "zebras" / f"{i}.png").write_bytes(b"junk")
    with pytest.warns(UserWarning, match="Skipped 3 file"):
        code, err = _error_run(["compare", "--data", str(root), "--skip-unreadable",
                                "--cv", "2"], capsys)
    assert code == 2
    assert "class 'zebras' has fewer than 2 images" in err


@pytest.mark.parametrize("cell_args, cell, weight", [
    ([], 2, 0.875),  # the CLI's cell for 8x8 digits: 3x3 blocks of 2x2 cells
    (["--hog-pixels-per-cell", "4"], 4, 0.5 * np.sqrt(1 / 36 * 784 / 64)),  # one block
])
def test_hog_and_pixels_features(tmp_path, cell_args, cell, weight):
    from sklearn.pipeline import FeatureUnion

    code = main(["compare", "--features", "hog+pixels", *cell_args, "--strategies", "none",
                 "--C", "0.1", "--quiet", "--output", str(tmp_path)])
    assert code == 0
    features = joblib.load(tmp_path / "best_pipeline.joblib").named_steps["features"]
    assert isinstance(features, FeatureUnion)
    assert features.named_transformers["hog"].pixels_per_cell == (cell, cell)
    # the weight that keeps the norm ratio of 28x28 images with (4, 4) cells (6x6 blocks)
    # and weight 0.5: 0.5 * sqrt(blocks / 36 * 784 / pixels)
    assert features.transformer_weights["pixels"] == pytest.approx(weight)
    names = features.get_feature_names_out()
    assert sum(n.startswith("pixels__") for n in names) == 64


def test_hog_and_pixels_on_images_smaller_than_a_block(capsys):
    code = main(["compare", "--features", "hog+pixels", "--hog-pixels-per-cell", "5",
                 "--strategies", "none", "--quiet"])
    assert code == 2
    assert "--hog-pixels-per-cell 5" in capsys.readouterr().err


def test_smote_neighbours_follow_the_rarest_class_and_print_plainly(tmp_path):
    code = main(["compare", "--imbalance-ratio", "20", "--strategies", "smote", "--C", "0.1",
                 "--quiet", "--output", str(tmp_path)])
    assert code == 0
    pipeline = joblib.load(tmp_path / "best_pipeline.joblib")
    k = pipeline.named_steps["resample"].k_neighbors
    assert type(k) is int and 1 < k < 5  # the rarest class has too few images for 5
    params = json.loads((tmp_path / "results.json").read_text())["params"]
    assert params["resample"] == f"SMOTE(k_neighbors={k}, random_state=0)"


def test_folder_long_tail_follows_the_classes_own_sizes(tmp_path, capsys):
    # class folders were ranked by name: "cats" (27 training images) led
    # "dogs" (30), and dogs were cut to 13 where the profile asks for 15
    root = _image_folder(tmp_path / "data", n=(36, 40))
    argv = ["compare", "--data", str(root), "--imbalance-ratio", "2", "--strategies", "none",
            "--C", "0.1", "--cv", "2"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "train 45 (imbalance ratio 2)" in out and "note:" not in out
    # data more imbalanced than asked: the head shrinks, and a note says why
    root = _image_folder(tmp_path / "skewed", n=(8, 40))
    assert main([*argv[:2], str(root), *argv[3:]]) == 0
    out = capsys.readouterr().out
    assert ("note: --imbalance-ratio 2: class 'cats' is too small for the profile, so "
            "class 'dogs' keeps only 12 of its 30 training images") in out
    # the limiting class is named even when flooring leaves it short of whole
    root = _image_folder(tmp_path / "floored", n=(10, 40))  # training: cats 7, dogs 30
    assert main([*argv[:2], str(root), "--imbalance-ratio", "2.5", *argv[5:]]) == 0
    assert ("note: --imbalance-ratio 2.5: class 'cats' is too small for the profile, so "
            "class 'dogs' keeps only 17 of its 30") in capsys.readouterr().out


def test_output_folder_is_checked_before_any_work(tmp_path, capsys, monkeypatch):
    # it used to fail only after every search, when writing the results
    import imgbalance.cli._run as run

    def no_loading(*args):
        raise AssertionError("data loaded before --output was checked")

    monkeypatch.setattr(run, "load_data", no_loading)
    target = tmp_path / "taken"
    target.write_text("a file")
    assert main(["compare", "--output", str(target)]) == 2
    assert f"--output {target}: exists and is not a folder" in capsys.readouterr().err
    if Path("/proc").is_dir():  # writable to no one, root included
        assert main(["compare", "--output", "/proc/imgbalance-out"]) == 2
        assert "'/proc' is not a writable folder" in capsys.readouterr().err
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")  # not a free name
    assert main(["compare", "--output", str(tmp_path / "dangling")]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err
    assert main(["compare", "--output", str(tmp_path / ("a" * 300) / "out")]) == 2
    assert "File name too long" in capsys.readouterr().err  # from the file system
    assert main(["compare", "--output", str(target / "sub")]) == 2  # under a file
    assert f"'{target / 'sub'}': Not a directory" in capsys.readouterr().err
    monkeypatch.undo()
    # nothing is created when the run stops on another error
    assert main(["compare", "--data", str(tmp_path / "missing"),
                 "--output", str(tmp_path / "out" / "sub")]) == 2
    assert not (tmp_path / "out").exists()


def test_version_and_test_size_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    from imgbalance import __version__

    assert capsys.readouterr().out.strip() == f"imgbalance {__version__}"
    root = _image_folder(tmp_path / "data", n=(14, 6))
    assert main(["compare", "--data", str(root), "--test-size", "0.05"]) == 2
    assert "--test-size 0.05: The test_size = 1 should be greater" in capsys.readouterr().err
    rng = np.random.default_rng(0)
    for klass, n in zip("abcd", (20, 12, 8, 4)):  # a stratified split leaves "d" no image
        (tmp_path / "four" / klass).mkdir(parents=True)
        for i in range(n):
            Image.fromarray(rng.integers(0, 255, (12, 10), dtype=np.uint8)).save(
                tmp_path / "four" / klass / f"{i}.png")
    for ratio in ([], ["--imbalance-ratio", "2"]):  # checked before the long tail too
        assert main(["compare", "--data", str(tmp_path / "four"), "--test-size", "0.9",
                     *ratio]) == 2
        assert "--test-size 0.9: class 'd' has no training image left" in capsys.readouterr().err
    from imgbalance.cli._report import ratio_str

    assert [ratio_str(r) for r in (1000.0, 10.2, 1.5, 100.0, 2.999)] == [
        "1000", "10.2", "1.5", "100", "3"]


def test_a_c_chosen_at_the_edge_of_the_grid_is_pointed_out(capsys):
    # on HOG of 8x8 digits the smallest Cs underfit: the search takes the largest
    assert main(["compare", "--features", "hog", "--strategies", "none", "--C", "0.0001,0.0002"]) == 0
    assert "[C at the high end of --C: try larger values]" in capsys.readouterr().out
    assert main(["compare", "--features", "hog", "--strategies", "none", "--C", "0.0001,1,100000"]) == 0  # takes 1
    assert "[C at" not in capsys.readouterr().out
    # a repeated C is fitted once, and an edge is still an edge
    assert main(["compare", "--features", "hog", "--strategies", "none", "--C", "0.0001,0.0002,0.0002"]) == 0
    out = capsys.readouterr().out
    assert "C in [0.0001, 0.0002]" in out and "[C at the high end" in out
    # a tie (here every C at chance level) says nothing about where to go
    assert main(["compare", "--features", "hog", "--strategies", "none", "--classifier", "ridge",
                 "--C", "0.0001,0.0002"]) == 0
    assert "[C at" not in capsys.readouterr().out


def _needs_fashion_mnist():
    if not (FASHION_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")


def test_fashion_mnist_class_names_come_from_the_fetcher():
    from imgbalance.cli._load import load_data
    from imgbalance.datasets import fetch_fashion_mnist

    _needs_fashion_mnist()
    args = build_parser().parse_args(["compare", "--data", "fashion-mnist"])
    X_train, X_test, y_train, y_test, names, ratio = load_data(args, log=lambda *a: None)
    assert names == fetch_fashion_mnist("test").target_names.tolist()
    assert names[6] == "Shirt" and all(type(name) is str for name in names)
    # the official balanced test set, and a long-tailed training set (ratio 100)
    assert ratio == 100 and X_test.shape == (10000, 28, 28)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)
    counts = np.bincount(y_train)
    assert counts[0] == 6000 and counts[-1] == 60 and len(y_train) == X_train.shape[0]


@pytest.mark.slow
def test_fashion_mnist_run_reports_by_class_name(tmp_path, capsys):
    _needs_fashion_mnist()
    code = main(["compare", "--data", "fashion-mnist", "--features", "hog", "--strategies",
                 "none", "--C", "0.01", "--cv", "2", "--output", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "data: fashion-mnist, images (28, 28), 10 classes; train 14886 (imbalance ratio 100)" in out
    assert "Ankle boot" in out and "T-shirt/top" in out  # the report names the classes
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["class_names"][6] == "Shirt"
    assert 0.5 < results["strategies"][0]["balanced_accuracy"] < 1
