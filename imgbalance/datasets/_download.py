"""Download one file, verified by its SHA-256, without leaving a partial file."""

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["DownloadError", "download_verified"]

_TIMEOUT = 60  # seconds, per blocking socket operation
_CHUNK_SIZE = 1 << 20


class DownloadError(OSError):
    """The server could not be reached or refused the file."""


def download_verified(url, sha256, path):
    """Download ``url`` to ``path`` if its SHA-256 is ``sha256``; return ``path``.

    The data go to a temporary file in the target folder that is renamed
    onto ``path`` only once its checksum matches, so an interrupted or
    corrupt download never leaves a file under the final name.  Folders
    created for the file are removed again on failure when empty.  A
    checksum mismatch raises :class:`OSError`, an unreachable server
    :class:`DownloadError`.
    """
    path = Path(path)
    directory = path.parent
    created = [d for d in (directory, *directory.parents) if not d.exists()]
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
                for chunk in iter(lambda: response.read(_CHUNK_SIZE), b""):
                    digest.update(chunk)
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != sha256:
            raise OSError(
                f"Downloaded file '{path.name}' from {url} has SHA-256 {actual}, expected "
                f"{sha256}; the file is corrupt or not the official one and was deleted."
            )
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        for d in created:  # innermost first: the folders made for this file
            try:
                d.rmdir()
            except OSError:
                break  # not empty (another file of the pair), or not ours
        if isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError)):
            reason = getattr(exc, "reason", exc)
            raise DownloadError(
                f"{path.name} could not be downloaded from {url} into "
                f"'{directory}': {reason}."
            ) from exc
        raise
    return path
