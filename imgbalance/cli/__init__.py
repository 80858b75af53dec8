"""The ``imgbalance`` command line (``imgbalance compare``)."""

from ._cli import main
from ._parse import build_parser

__all__ = ["build_parser", "main"]
