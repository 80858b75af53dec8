"""The pure array kernels never import scikit-learn, not even indirectly.

For every kernel module, the transitive closure of the imgbalance modules it
imports (parsed with :mod:`ast`, relative imports resolved) must hold no
module-level ``import sklearn`` / ``import imblearn``.  Imports inside
functions run only when called: they are allowed in the non-kernel modules
of the closure, never in a kernel itself.

The closure follows the imports written in the modules.  It does not add the
parent packages Python executes first (``imgbalance/__init__.py`` imports the
estimators): a kernel module's own code, and every helper it relies on, is
what must stay free of scikit-learn, so that it can be lifted out or used
from a worker without it.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "imgbalance"
FORBIDDEN = ("sklearn", "imblearn")
# Not kernels although their names match: the estimator and the pipeline factory.
NOT_KERNELS = {"_hog_transformer.py", "_hog_and_pixels.py"}


def kernel_paths(package=PACKAGE):
    """The kernel modules of ``package``."""
    paths = [p for p in sorted((package / "feature_extraction").glob("_hog*.py"))
             if p.name not in NOT_KERNELS]
    paths += [package / "feature_extraction" / "_layout_kernel.py"]
    paths += [package / "augmentation" / name for name in
              ("_warp.py", "_scipy_exact.py", "_fast_u8.py", "_keras_transforms.py")]
    paths += [package / "_dtypes.py"]
    return [p for p in paths if p.exists()]


def _module_name(path, package):
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _module_path(name, package):
    """The file of module ``name`` (``imgbalance.x.y``), or None if it is not one."""
    base = package.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _top_level(tree):
    """The import statements run when the module is imported (not those in functions)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(child for child in ast.iter_child_nodes(node)
                         if isinstance(child, ast.stmt))


def _imported(node, path, package):
    """The absolute names of the modules an import statement of ``path`` runs."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        base = node.module
    else:
        here = _module_name(path, package).split(".")
        if path.name != "__init__.py":
            here.pop()  # a module's own package
        here = here[: len(here) - node.level + 1]
        base = ".".join(here + ([node.module] if node.module else []))
    # "from pkg import name" imports the submodule pkg.name if there is one, else pkg
    submodules = [f"{base}.{alias.name}" for alias in node.names]
    if base.split(".")[0] == package.name:
        found = [name for name in submodules if _module_path(name, package) is not None]
        if len(found) == len(submodules):
            return found
    return [base]


def impure_imports(kernel, package=PACKAGE):
    """``(module, line, name)`` of every scikit-learn import in the closure of ``kernel``."""
    found, seen, todo = set(), set(), [(kernel, True)]
    while todo:
        path, is_kernel = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = set(_top_level(tree))
        for node in ast.walk(tree) if is_kernel else top_level:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for name in _imported(node, path, package):
                if name.split(".")[0] in FORBIDDEN:
                    found.add((_module_name(path, package), node.lineno, name))
                elif (node in top_level and name.split(".")[0] == package.name
                      and _module_path(name, package) is not None):
                    todo.append((_module_path(name, package), False))
    return sorted(found)


@pytest.mark.parametrize("kernel", kernel_paths(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_kernel_imports_no_sklearn(kernel):
    assert impure_imports(kernel) == []


# Imports the kernels with scikit-learn and imbalanced-learn made unimportable
# and imgbalance's package __init__ files skipped (they import the estimators).
_RUNTIME_PROBE = """
import importlib, importlib.abc, sys, types
from pathlib import Path

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {forbidden!r}:
            raise ImportError(f"a kernel imported {{name}}")
        return None

sys.meta_path.insert(0, Refuse())
package = Path({package!r})
for sub in ("", "feature_extraction", "augmentation"):
    name = "imgbalance" + ("." + sub if sub else "")
    module = types.ModuleType(name)
    module.__path__ = [str(package / sub)]
    sys.modules[name] = module
for name in {modules!r}:
    importlib.import_module(name)
"""


def test_kernels_import_without_sklearn():
    """The same rule at run time: the kernels import with scikit-learn unimportable."""
    modules = [_module_name(p, PACKAGE) for p in kernel_paths()]
    code = _RUNTIME_PROBE.format(forbidden=FORBIDDEN, package=str(PACKAGE), modules=modules)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_kernel_list_is_complete():
    names = {p.relative_to(PACKAGE).as_posix() for p in kernel_paths()}
    assert {"feature_extraction/_hog.py", "feature_extraction/_hog_cells.py",
            "augmentation/_warp.py", "_dtypes.py"} <= names
    assert "feature_extraction/_hog_transformer.py" not in names


def _write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_checker_finds_indirect_and_lazy_imports(tmp_path):
    """The checker itself: it must see through relative imports, and only lazily forgive."""
    package = tmp_path / "imgbalance"
    _write(package, {
        "__init__.py": "import sklearn\n",  # parent packages are not followed
        "_helpers.py": "import numpy\nfrom sklearn.utils import Bunch\n",
        "_lazy.py": "def f():\n    import sklearn\n",
        "_clean.py": "from . import _lazy\n",
        "feature_extraction/__init__.py": "",
        "feature_extraction/_hog.py": "from .._helpers import Bunch\n",
        "feature_extraction/_hog_cells.py": "from .. import _clean\n",
        "feature_extraction/_hog_blocks.py": "import numpy\ndef g():\n    import imblearn\n",
        "feature_extraction/_hog_transformer.py": "import sklearn\n",
        "_dtypes.py": "try:\n    from ._helpers import x\nexcept ImportError:\n    pass\n",
    })
    result = {p.name: impure_imports(p, package) for p in kernel_paths(package)}
    assert result == {
        "_hog.py": [("imgbalance._helpers", 2, "sklearn.utils")],
        "_hog_blocks.py": [("imgbalance.feature_extraction._hog_blocks", 3, "imblearn")],
        "_hog_cells.py": [],
        "_dtypes.py": [("imgbalance._helpers", 2, "sklearn.utils")],
    }
