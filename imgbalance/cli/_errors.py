"""The one exception type of the command line."""

__all__ = ["CLIError"]


class CLIError(Exception):
    """An error reported as one line, without a traceback (exit status 2)."""
