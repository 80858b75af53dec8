"""Reader for the IDX file format (MNIST, Fashion-MNIST, EMNIST, ...).

An IDX file is a 4-byte magic number ``0x00 0x00 <type code> <ndim>``,
``ndim`` big-endian unsigned 32-bit dimension sizes, then the data in C
order, big-endian.  Files may be gzip-compressed; compression is detected
from the gzip magic bytes ``0x1f 0x8b``, not from the file name.

The header is validated and the declared size is checked against what the
file really holds before the output array is allocated: for plain files
against the file size, for gzip files by decompressing at most the declared
number of bytes (plus one, to detect trailing data) in bounded chunks, so a
forged header cannot make the reader allocate more memory than the data
present in the file.
"""

import gzip
import os
import zlib
from math import prod
from pathlib import Path

import numpy as np

__all__ = ["load_idx"]

# IDX type code -> big-endian dtype.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_SIZE = 1 << 24  # 16 MiB of decompressed data per read


def _check_path(path, name="path"):
    """Return ``path`` as a :class:`~pathlib.Path` to an existing regular file."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"{name} must be a str or os.PathLike, got {type(path).__name__} ({path!r})."
        )
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"IDX file '{path}' does not exist.")
    if not path.is_file():
        raise ValueError(f"IDX file '{path}' is not a regular file.")
    return path


def _read_exact(f, n):
    """Read up to ``n`` bytes, looping over short reads."""
    buf = bytearray()
    while len(buf) < n:
        chunk = f.read(min(_CHUNK_SIZE, n - len(buf)))
        if not chunk:
            break
        buf += chunk
    return buf


def _parse_header(f, path):
    """Parse and validate the magic number and the dimensions."""
    magic = _read_exact(f, 4)
    if len(magic) < 4:
        raise ValueError(
            f"IDX file '{path}' is truncated: it holds {len(magic)} byte(s), "
            "expected at least a 4-byte magic number."
        )
    if magic[0] != 0 or magic[1] != 0:
        raise ValueError(
            f"IDX file '{path}' has an invalid magic number 0x{magic.hex()}: "
            "expected its first two bytes to be 0x00 0x00."
        )
    type_code, ndim = magic[2], magic[3]
    if type_code not in _IDX_DTYPES:
        known = ", ".join(f"0x{code:02X}" for code in _IDX_DTYPES)
        raise ValueError(
            f"IDX file '{path}' has an unknown data type code 0x{type_code:02X}: "
            f"expected one of {known}."
        )
    if ndim == 0:
        raise ValueError(
            f"IDX file '{path}' declares 0 dimensions: expected at least 1."
        )
    raw_dims = _read_exact(f, 4 * ndim)
    if len(raw_dims) < 4 * ndim:
        raise ValueError(
            f"IDX file '{path}' is truncated in its header: {ndim} dimension "
            f"sizes ({4 * ndim} bytes) declared, only {len(raw_dims)} bytes present."
        )
    shape = tuple(int.from_bytes(raw_dims[4 * i : 4 * i + 4], "big") for i in range(ndim))
    return _IDX_DTYPES[type_code], shape, 4 + 4 * ndim


def _size_error(path, shape, dtype, expected, present, what):
    return ValueError(
        f"IDX file '{path}' {what}: its header declares shape {shape} of "
        f"{dtype.name} ({expected} data bytes) but {present} data bytes are present."
    )


def _to_native(arr):
    """Big-endian array -> native-endian array, in place (no copy)."""
    if not arr.dtype.isnative:
        arr.byteswap(inplace=True)
        arr = arr.view(arr.dtype.newbyteorder("="))
    return arr


def _read_plain(f, path, dtype, shape, header_size):
    expected = prod(shape) * dtype.itemsize
    present = os.fstat(f.fileno()).st_size - header_size
    if present < expected:
        raise _size_error(path, shape, dtype, expected, present, "is truncated")
    if present > expected:
        raise _size_error(path, shape, dtype, expected, present, "has trailing bytes")
    arr = np.empty(shape, dtype=dtype)
    view = memoryview(arr.reshape(-1)).cast("B")
    n_read = 0
    while n_read < expected:  # readinto may return short counts
        n = f.readinto(view[n_read : n_read + _CHUNK_SIZE])
        if not n:
            raise _size_error(path, shape, dtype, expected, n_read, "is truncated")
        n_read += n
    return arr


def _read_gzip(f, path, dtype, shape):
    expected = prod(shape) * dtype.itemsize
    # Grow the buffer with the data actually present: a forged header
    # declaring terabytes only costs what the stream really decompresses to.
    buf = _read_exact(f, expected)
    if len(buf) < expected:
        raise _size_error(path, shape, dtype, expected, len(buf), "is truncated")
    if f.read(1):
        raise ValueError(
            f"IDX file '{path}' has trailing bytes: its header declares shape "
            f"{shape} of {dtype.name} ({expected} data bytes) but the "
            "decompressed stream holds more data."
        )
    return np.frombuffer(buf, dtype=dtype).reshape(shape)


def load_idx(path):
    """Load an array from an IDX file, gzip-compressed or not.

    IDX is the format of MNIST, Fashion-MNIST, EMNIST and Kuzushiji-MNIST.
    Gzip compression is detected from the file's magic bytes, whatever its
    name.  The header is validated and the declared dimensions are checked
    against the data really present before the array is allocated (gzip
    streams are decompressed in bounded chunks, at most one byte past the
    declared size), so a malformed or forged file raises a clear error
    instead of exhausting memory.

    Parameters
    ----------
    path : str or os.PathLike
        Path of the IDX file, e.g. ``train-images-idx3-ubyte.gz``.

    Returns
    -------
    array : ndarray of shape declared in the file
        The data in native byte order, with dtype ``uint8`` (type code
        0x08), ``int8`` (0x09), ``int16`` (0x0B), ``int32`` (0x0C),
        ``float32`` (0x0D) or ``float64`` (0x0E).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a valid IDX file: wrong magic number, unknown
        type code, zero dimensions, fewer or more data bytes than declared,
        or a corrupt gzip stream.  The message names the file.

    Examples
    --------
    >>> import struct, tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from imgbalance.datasets import load_idx
    >>> data = np.arange(6, dtype=">i2").reshape(2, 3)
    >>> header = bytes([0, 0, 0x0B, 2]) + struct.pack(">II", 2, 3)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "demo-idx2-short"
    ...     _ = path.write_bytes(header + data.tobytes())
    ...     arr = load_idx(path)
    >>> arr
    array([[0, 1, 2],
           [3, 4, 5]], dtype=int16)
    """
    path = _check_path(path)
    with open(path, "rb") as raw:
        is_gzip = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        if not is_gzip:
            dtype, shape, header_size = _parse_header(raw, path)
            return _to_native(_read_plain(raw, path, dtype, shape, header_size))
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as f:
                dtype, shape, _ = _parse_header(f, path)
                return _to_native(_read_gzip(f, path, dtype, shape))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ValueError(
                f"IDX file '{path}' is not a valid gzip stream (truncated or "
                f"corrupt): {exc}"
            ) from exc
