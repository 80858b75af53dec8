"""The ``imgbalance`` command-line tool: its entry point.

``imgbalance compare`` answers "which resampling strategy works for my
skewed image set?": it holds out a stratified test split, tunes every
strategy of :func:`imgbalance.make_resampling_search` by cross-validation
on the rest, and prints a table of test-split scores.

The work is split as data flows: ``_parse`` (the arguments), ``_load``
(the images and the long tail), ``_run`` (one search per strategy) and
``_report`` (the table and the output files).
"""

import sys

from ._errors import CLIError
from ._parse import build_parser
from ._run import compare

__all__ = ["main"]


def main(argv=None):
    """Entry point of the ``imgbalance`` console script.

    Returns the exit status: 0 on success, 2 for a bad argument or input
    (one line on stderr, no traceback), 1 for another error, 130 when
    interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "compare":
            compare(args)
    except CLIError as exc:
        print(f"imgbalance: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"imgbalance: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("imgbalance: interrupted", file=sys.stderr)
        return 130
    return 0
