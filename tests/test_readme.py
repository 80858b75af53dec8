"""The README's first pipeline: the code it shows is the code that is timed, and it runs.

``benchmarks/readme_pipeline.py`` times that pipeline on the README's data
(long-tailed Fashion-MNIST) and ``benchmarks/results/readme_pipeline.txt``
keeps the figure the README quotes; these tests hold the two together and
run the pipeline on small images, so that a change of API that breaks the
README fails here.
"""

import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SCRIPT = ROOT / "benchmarks" / "readme_pipeline.py"


def _first_python_block():
    match = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert match, "README.md has no python code block"
    return match.group(1)


def _pipeline_lines(code):
    """The lines from ``pipe = Pipeline([`` to ``], verbose=True)``, comments and indentation dropped."""
    lines = [line.split("#")[0].strip() for line in code.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("pipe = Pipeline(["))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("], verbose=True)"))
    return [line for line in lines[start:end + 1] if line]


def test_the_timed_pipeline_is_the_readme_pipeline():
    readme = _pipeline_lines(_first_python_block())
    script = _pipeline_lines(SCRIPT.read_text(encoding="utf-8"))
    assert readme == script


def test_the_readme_pipeline_runs(capsys):
    code = _first_python_block()
    imports = "\n".join(line for line in code.splitlines() if line.startswith(("from ", "import ")))
    namespace = {}
    exec(imports + "\n" + "\n".join(_pipeline_lines(code)), namespace)  # noqa: S102
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [60, 20, 12])
    X = rng.integers(0, 64, (len(y), 28, 28), dtype=np.uint8)
    X[np.arange(len(y)), 4 + 6 * y] = 255  # one bright row per class: learnable
    pipe = namespace["pipe"].fit(X, y)
    assert (pipe.predict(X) == y).mean() > 0.9
    assert "Processing clf" in capsys.readouterr().out  # verbose=True shows progress
