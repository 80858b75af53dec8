"""Sphinx configuration for the imgbalance documentation.

Build (warnings are errors; gallery executed)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Build without executing the gallery (faster; CI executes it)::

    python -m sphinx -W --keep-going -b html -D plot_gallery=0 docs docs/_build/html

The build needs no network: intersphinx is not used, and every example
loads data that ships with scikit-learn or scikit-image.
"""

import os
import sys
import warnings
from pathlib import Path

import imgbalance

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # for local extensions, if any

# -- Project ---------------------------------------------------------------
project = "imgbalance"
author = "The imgbalance developers"
copyright = "The imgbalance developers"
release = imgbalance.__version__
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    # sphinx-gallery writes these; they are included by the gallery index.
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.pickle",
]
root_doc = "index"
default_role = "literal"
# The build must work offline: no intersphinx inventories are fetched.
# References to scikit-learn, imbalanced-learn, scikit-image, SciPy and
# joblib objects therefore render as plain (unlinked) code.
nitpicky = False

# -- autodoc / autosummary ---------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": False, "inherited-members": False}
autodoc_typehints = "none"
add_module_names = False

# -- numpydoc ----------------------------------------------------------------
numpydoc_show_class_members = False  # the class template lists methods itself
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# No type cross-references: numpydoc's default aliases point into the
# Python and NumPy intersphinx inventories, which an offline build lacks.
numpydoc_xref_param_type = False
# Docstring validation is done by the test suite's doctests, not here.
numpydoc_validation_checks = set()

# -- sphinx-gallery ----------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # Only plot_*.py scripts are gallery items (executed in a full build).
    "filename_pattern": r"[\\/]plot_",
    "ignore_pattern": r"__init__\.py$",
    "download_all_examples": False,
    "reference_url": {"imgbalance": None},
    "doc_module": ("imgbalance",),
    "backreferences_dir": "generated/backreferences",
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "show_memory": False,
    "min_reported_time": 1,
    "first_notebook_cell": None,
}

# Examples run headless.
os.environ.setdefault("MPLBACKEND", "Agg")
# Keras 3 picks its backend when first imported (autosummary imports
# imgbalance.keras, the gallery trains through it): torch, the deep extra's.
os.environ.setdefault("KERAS_BACKEND", "torch")
# Joblib's loky may warn about the physical core count on containers.
warnings.filterwarnings("ignore", message=".*physical cores.*")
warnings.filterwarnings("ignore", category=UserWarning, message="Matplotlib is currently using agg")

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"imgbalance {release}"
html_static_path = []
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {"index": [], "install": []}
html_context = {"default_mode": "light"}


# -- Module-level data -------------------------------------------------------
def _attribute_comments(app, what, name, obj, options, lines):
    """Use the ``#:`` comment of a public constant as its docstring.

    ``imgbalance.STRATEGIES`` is a tuple imported into the package namespace
    from a private module, so autodoc would otherwise show ``tuple.__doc__``.
    """
    if what != "data" or not name.startswith("imgbalance."):
        return
    from sphinx.pycode import ModuleAnalyzer

    attr = name.rsplit(".", 1)[1]
    for module in _private_modules_defining(attr):
        docs = ModuleAnalyzer.for_module(module).find_attr_docs()
        if ("", attr) in docs:
            lines[:] = [line for line in docs[("", attr)] if line is not None]
            return


def _private_modules_defining(attr):
    # Only modules already imported by ``import imgbalance``: walking the
    # package would import ``imgbalance.__main__`` and run the CLI.
    for name, module in sorted(sys.modules.items()):
        if name.startswith("imgbalance.") and module is not None:
            if attr in vars(module) and attr in getattr(module, "__all__", ()):
                yield name


def setup(app):
    app.connect("autodoc-process-docstring", _attribute_comments)
