"""The package's structural rules, checked on its source.

* no function longer than 80 lines of code (its docstring excluded) and no
  module longer than 500 lines: one idea per module, read at once;
* no module imports an underscore-prefixed name from a module outside its
  own sub-package (the shared helper modules export plain names);
* importing :mod:`imgbalance` imports no optional framework.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "imgbalance"
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 500
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _relative(path):
    return path.relative_to(PACKAGE.parent).as_posix()


def _docstring_lines(node):
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            return body[0].end_lineno - body[0].lineno + 1
    return 0


def _functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


@pytest.mark.parametrize("path", SOURCES, ids=_relative)
def test_modules_and_functions_are_short(path):
    source = path.read_text(encoding="utf-8")
    n_lines = len(source.splitlines())
    assert n_lines <= MAX_MODULE_LINES, f"{_relative(path)} has {n_lines} lines"
    long = [
        f"{node.name} (line {node.lineno}): {n} lines"
        for node in _functions(ast.parse(source))
        if (n := node.end_lineno - node.lineno + 1 - _docstring_lines(node)) > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_relative(path)}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def _subpackage(module):
    """``imgbalance.search._builders`` -> ``imgbalance.search``; top-level modules -> themselves."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else module


def _module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_private_names(path):
    """(target module, name) for each underscore-prefixed name imported by ``path``."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if not target.startswith("imgbalance"):
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                yield target, alias.name


@pytest.mark.parametrize("path", SOURCES, ids=_relative)
def test_no_private_names_from_other_subpackages(path):
    own = _subpackage(_module_name(path))
    crossing = [
        f"{name} from {target}"
        for target, name in _imported_private_names(path)
        if _subpackage(target) != own and not _subpackage(f"{target}.{name}") == own
    ]
    assert not crossing, f"{_relative(path)} imports private names: {crossing}"


def test_importing_imgbalance_imports_no_optional_framework():
    code = (
        "import sys, imgbalance, imgbalance.datasets, imgbalance.augmentation;"
        "print(sorted({'torch', 'keras', 'tensorflow', 'jax', 'skorch', 'optuna', 'dask',"
        " 'distributed', 'matplotlib'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
