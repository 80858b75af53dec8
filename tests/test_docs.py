"""The API reference lists every public name.

docs/api.rst lists public names in ``autosummary`` blocks that follow a
``currentmodule`` directive.  Every name in the ``__all__`` of the public
modules (except ``__version__``) must be listed under its module -- or an
entry there must name the very same object (an alias such as
``~imgbalance.AugmentationOverSampler`` under ``imgbalance.augmentation``).
The Sphinx build itself is not part of the test suite.
"""

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

API_RST = Path(__file__).resolve().parents[1] / "docs" / "api.rst"
PUBLIC_MODULES = [
    "imgbalance",
    "imgbalance.augmentation",
    "imgbalance.batches",
    "imgbalance.datasets",
    "imgbalance.display",
    "imgbalance.exceptions",
    "imgbalance.feature_extraction",
    "imgbalance.sampling",
    "imgbalance.search",
]
# The adapters, listed when their framework is installed (the deep extra).
PUBLIC_MODULES += [
    f"imgbalance.{name}" for name in ("torch", "keras") if importlib.util.find_spec(name)
]
NOT_DOCUMENTED = {"__version__"}

_CURRENTMODULE = re.compile(r"^\.\.\s+(?:py:)?currentmodule::\s+(\S+)\s*$")
_AUTOSUMMARY = re.compile(r"^\.\.\s+autosummary::\s*$")


def _autosummary_entries(text):
    """``(currentmodule, entry)`` for every entry of every autosummary block."""
    entries = []
    module = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _CURRENTMODULE.match(line)
        if match:
            module = None if match.group(1) == "None" else match.group(1)
        elif _AUTOSUMMARY.match(line):
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i][:1].isspace()):
                entry = lines[i].strip()
                if entry and not entry.startswith(":") and not entry.startswith(".."):
                    entries.append((module, entry))
                i += 1
            continue
        i += 1
    return entries


def _resolve(name):
    """Import the object a dotted name refers to."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attr in parts[split:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(name)


def _listed(module, entry):
    """Full dotted name and object of an autosummary entry."""
    name = entry.lstrip("~")
    full = name if "." in name or module is None else f"{module}.{name}"
    return full, _resolve(full)


def _public_names():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if name not in NOT_DOCUMENTED:
                yield module_name, name


@pytest.fixture(scope="module")
def api_entries():
    assert API_RST.is_file(), f"{API_RST} is missing"
    entries = _autosummary_entries(API_RST.read_text(encoding="utf-8"))
    assert entries, f"no autosummary entries found in {API_RST}"
    return entries


def test_autosummary_parser():
    text = """
.. currentmodule:: pkg

.. autosummary::
   :toctree: generated/
   :nosignatures:

   Foo
   ~other.Bar

Some text.

.. currentmodule:: pkg.sub

.. autosummary::

   baz
"""
    assert _autosummary_entries(text) == [
        ("pkg", "Foo"),
        ("pkg", "~other.Bar"),
        ("pkg.sub", "baz"),
    ]


@pytest.mark.parametrize("module_name, name", list(_public_names()))
def test_public_name_in_api_reference(api_entries, module_name, name):
    obj = getattr(importlib.import_module(module_name), name)
    listed = [
        _listed(module, entry) for module, entry in api_entries if module == module_name
    ]
    assert any(
        full == f"{module_name}.{name}" or listed_obj is obj for full, listed_obj in listed
    ), (
        f"{module_name}.{name} is public (in {module_name}.__all__) but not listed in an "
        f"autosummary block under '.. currentmodule:: {module_name}' in {API_RST}"
    )


def test_api_reference_lists_only_existing_names(api_entries):
    for module, entry in api_entries:
        try:
            _listed(module, entry)
        except (ImportError, AttributeError) as exc:
            pytest.fail(f"{API_RST} lists {entry!r} under {module!r}, which does not exist: {exc}")


def test_docs_config_is_importable_without_network():
    """conf.py imports cleanly and fetches no intersphinx inventory."""
    pytest.importorskip("sphinx")
    pytest.importorskip("sphinx_gallery")
    import runpy

    conf = runpy.run_path(str(API_RST.parent / "conf.py"))
    assert "sphinx.ext.intersphinx" not in conf["extensions"]
    assert not conf.get("intersphinx_mapping")
    gallery = conf["sphinx_gallery_conf"]
    assert re.search(gallery["filename_pattern"], "examples/plot_hog.py")
    assert not re.search(gallery["filename_pattern"], "examples/helpers.py")


USER_GUIDE = API_RST.parent / "user_guide"


@pytest.mark.parametrize(
    "page", sorted(p.name for p in USER_GUIDE.glob("*.rst")) or ["<no pages>"]
)
def test_user_guide_snippets(page):
    """The ``>>>`` snippets of the user guide run (the build does not run them)."""
    import doctest

    path = USER_GUIDE / page
    if not path.is_file():
        pytest.fail(f"no user guide pages in {USER_GUIDE}")
    result = doctest.testfile(
        str(path),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=True,
        verbose=False,
    )
    assert result.failed == 0, f"{result.failed} snippet(s) of {path} failed (see output above)"
