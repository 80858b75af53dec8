"""Test-session set-up for the optional deep-learning modules.

Keras 3 picks its backend when first imported and without ``KERAS_BACKEND``
tries TensorFlow: the tests use PyTorch's unless told otherwise.  The
doctests of an adapter whose framework is not installed are not collected.
"""

import importlib.util
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

collect_ignore = [
    f"imgbalance/{name}.py" for name in ("torch", "keras")
    if importlib.util.find_spec(name) is None
]
if importlib.util.find_spec("skorch") is None:
    collect_ignore.append("imgbalance/search/_skorch.py")
