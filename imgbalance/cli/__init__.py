"""The ``imgbalance`` command line (``imgbalance compare``)."""

from ._cli import build_parser, main

__all__ = ["build_parser", "main"]
