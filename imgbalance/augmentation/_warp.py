"""Batched affine warp of image stacks, and Keras-style random affine matrices.

NumPy, with SciPy for the rare values at rounding ties (no scikit-learn, no
joblib).  :func:`warp_affine` reproduces ``scipy.ndimage.affine_transform``
(orders 0 and 1, modes ``"constant"``, ``"nearest"``, ``"reflect"`` and
``"wrap"``) for a whole batch at once;
:func:`random_affine_matrices` draws the transforms of Keras'
``ImageDataGenerator`` as matrices ready for it.

Algorithm notes (:func:`warp_affine`)
-------------------------------------
1. The images are processed in chunks of about ``_CHUNK_PIXELS`` output pixels,
   so that the per-pixel temporaries stay in the CPU caches.
2. Each chunk is copied once into a buffer padded by one pixel on every side
   (edge replicated).  The padding lets every output pixel read its four
   neighbours at the flat offsets ``i, i + 1, i + W, i + W + 1`` with no
   per-neighbour clipping; for ``"reflect"`` the padded pixels are exactly the
   half-sample symmetric extension.  A small tail filled with ``cval`` (cast to
   the image dtype the way SciPy casts its output) serves the pixels that
   ``"constant"`` maps outside the image.
3. 8-bit colour images with 2 to 4 channels are packed into one 16- or 32-bit
   word per pixel, so that one gather fetches every channel of a neighbour.
4. Input coordinates are computed in float64 with the installed SciPy's
   operation order (``(offset + row * m0) + col * m1`` in recent SciPy,
   ``(row * m0 + col * m1) + offset`` in older ones; a one-off probe tells,
   see :func:`_scipy_offset_first`), as an outer sum of a row term and a
   column term, then mapped into the image with SciPy's boundary rules, so
   that the boundary decisions and the order-0 rounding (``floor(x + 0.5)``)
   match SciPy exactly.
5. Bilinear weights are then computed once per pixel and shared by all
   channels.  8-bit and float32 images are interpolated in float32, everything
   else in float64.  For integer images the few values that lie within the
   error bound of a rounding boundary (``_TIE_EPS`` in float32, 64 ulps in
   float64) are taken from SciPy itself (:func:`_scipy_values`, which samples
   just those pixels with ``scipy.ndimage.map_coordinates``), so integer
   outputs equal SciPy's.
6. Integer outputs are rounded and clipped as SciPy does: half away from zero
   (``t + 0.5`` for unsigned types, ``t - 0.5`` for negative values of signed
   types), then clipped to the dtype's range.

Fast path (uint8, order 1, mode "nearest": the augmentation default)
--------------------------------------------------------------------
:class:`_FastU8Bilinear` replaces steps 1-6 for 8-bit images with 1 to 4
channels (about 1.6x faster on 28x28 and 224x224x3 images):

* coordinates come from one small matrix product per block (BLAS, kept
  single-threaded); their truncated integer parts are clamped to the padded
  image instead of clamping the coordinates, which gives the edge values
  exactly because the two neighbours read there are equal;
* one-channel images are gathered from a table whose 32-bit words pack the
  four bilinear neighbours of a pixel (one gather per output pixel);
* all channels are interpolated by the same NumPy calls (``(c, npix)`` arrays);
* rounding goes through the float32 bits of ``v + 256.5``, which also tells
  which values lie within 8 * 2**-15 of a rounding boundary (more than twice
  the float32 error bound); those few values (typically about 0.05 %: 17 of
  the 2**15 fraction values) are taken from
  SciPy itself (:func:`_scipy_values`), so the output is identical to SciPy's.
"""

import functools
import numbers

import numpy as np

__all__ = ["warp_affine", "random_affine_matrices"]

_MODES = ("constant", "nearest", "reflect", "wrap")
_CHUNK_PIXELS = 1 << 16  # output pixels per chunk (tuned on 28x28 and 224x224x3)
_TIE_EPS = 2e-4  # float32 error bound on an 8-bit interpolated value (~8 ulp of 255)


# --------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------
def _check_images(images):
    if not isinstance(images, np.ndarray):
        raise TypeError(
            "images must be a numpy.ndarray of shape (n, h, w) or (n, h, w, c), "
            f"got {type(images).__name__}."
        )
    if images.ndim not in (3, 4):
        raise ValueError(
            "images must have 3 dimensions (n, h, w) or 4 dimensions (n, h, w, c), "
            f"got an array of shape {images.shape} ({images.ndim} dimensions)."
        )
    dt = images.dtype
    if dt == np.bool_ or not (
        np.issubdtype(dt, np.integer) or np.issubdtype(dt, np.floating)
    ):
        raise TypeError(
            "images must have a real numeric dtype (integer or floating point; "
            f"bool is not supported), got dtype {dt}."
        )
    if np.issubdtype(dt, np.floating) and dt.itemsize > 8:
        raise TypeError(f"images dtype {dt} is not supported; use float64 or smaller.")
    if images.shape[1] < 1 or images.shape[2] < 1 or (
        images.ndim == 4 and images.shape[3] < 1
    ):
        raise ValueError(
            f"images must have non-empty height, width and channels, got shape "
            f"{images.shape}."
        )


def _check_matrices(matrices, n):
    try:
        m = np.asarray(matrices)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise TypeError(f"matrices must be array-like, got {type(matrices)}.") from exc
    if m.dtype == np.bool_ or not (
        np.issubdtype(m.dtype, np.integer) or np.issubdtype(m.dtype, np.floating)
    ):
        raise TypeError(f"matrices must be real numbers, got dtype {m.dtype}.")
    if m.ndim != 3 or m.shape[1:] not in ((3, 3), (2, 3)):
        raise ValueError(
            "matrices must have shape (n, 3, 3) (homogeneous) or (n, 2, 3), "
            f"got shape {m.shape}."
        )
    if m.shape[0] != n:
        raise ValueError(
            f"matrices must hold one matrix per image: got {m.shape[0]} matrices "
            f"(shape {m.shape}) for {n} images."
        )
    m = m.astype(np.float64)
    if not np.all(np.isfinite(m)):
        bad = int(np.flatnonzero(~np.isfinite(m).reshape(n, -1).all(axis=1))[0])
        raise ValueError(
            f"matrices must be finite; matrix {bad} contains NaN or infinity."
        )
    if m.shape[1] == 3:
        last = m[:, 2, :]
        ok = np.all(np.abs(last - np.array([0.0, 0.0, 1.0])) <= 1e-12, axis=1)
        if not np.all(ok):
            bad = int(np.flatnonzero(~ok)[0])
            raise ValueError(
                "homogeneous matrices of shape (n, 3, 3) must have last row "
                f"(0, 0, 1) (affine, not projective); matrix {bad} has last row "
                f"{tuple(m[bad, 2])}."
            )
    return m[:, :2, :]


def _check_options(order, mode, cval):
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or order not in (0, 1):
        raise ValueError(
            f"order must be 0 (nearest) or 1 (bilinear), got {order!r}."
        )
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}.")
    if isinstance(cval, bool) or not isinstance(cval, numbers.Real):
        raise TypeError(f"cval must be a real number, got {cval!r}.")
    return int(order), float(cval)


# --------------------------------------------------------------------------
# kernel helpers
# --------------------------------------------------------------------------
def _round_to_dtype(values, dtype):
    """Cast float values to ``dtype`` exactly as SciPy's ndimage output does."""
    values = np.asarray(values, dtype=np.float64)
    if np.issubdtype(dtype, np.floating):
        return values.astype(dtype)
    info = np.iinfo(dtype)
    if np.issubdtype(dtype, np.unsignedinteger):
        t = np.where(values > 0, values + 0.5, 0.0)
    else:
        t = np.where(values > 0, values + 0.5, values - 0.5)
    t = np.clip(t, info.min, info.max)
    return np.trunc(t).astype(dtype)


@functools.lru_cache(maxsize=None)
def _scipy_offset_first():
    """Whether SciPy computes affine input coordinates offset first.

    ``scipy.ndimage.affine_transform`` computes the input coordinate of
    output pixel ``(row, col)`` along each axis either as
    ``(offset + row * m0) + col * m1`` (recent SciPy, e.g. 1.17) or as
    ``(row * m0 + col * m1) + offset`` (e.g. SciPy 1.13).  The two differ in
    the last bit, which decides boundaries, order-0 rounding and rounding
    ties of integer outputs.  One small probe, run once, tells which: it
    compares ``affine_transform`` with ``map_coordinates`` at coordinates
    computed both ways (they share the interpolation code).
    """
    from scipy import ndimage

    rng = np.random.default_rng(0)
    image = rng.random((17, 19))
    m = np.array([[0.93, 0.27, 1.31], [-0.17, 1.07, -2.23]])
    expected = ndimage.affine_transform(image, m, order=1, mode="nearest", output=np.float64)
    r, c = np.mgrid[:17, :19].astype(np.float64)
    first = [(m[d, 2] + r * m[d, 0]) + c * m[d, 1] for d in range(2)]
    last = [(r * m[d, 0] + c * m[d, 1]) + m[d, 2] for d in range(2)]
    for offset_first, coords in ((True, first), (False, last)):
        got = ndimage.map_coordinates(image, coords, order=1, mode="nearest", output=np.float64)
        if np.array_equal(got, expected):
            return offset_first
    return True  # pragma: no cover - neither order reproduces this SciPy


def _scipy_coordinates(mats, rows, cols):
    """SciPy's float64 input coordinates of output pixels ``(rows, cols)``.

    ``mats[..., d, :]`` (matrices of shape ``(..., 2, 3)``) broadcasts
    against ``rows`` and ``cols``.  Returns one array per axis, computed in
    the operation order of the installed SciPy (see :func:`_scipy_offset_first`).
    """
    coords = []
    for d in range(2):
        m0, m1, m2 = mats[..., d, 0], mats[..., d, 1], mats[..., d, 2]
        if _scipy_offset_first():
            coords.append((m2 + rows * m0) + cols * m1)
        else:
            coords.append((rows * m0 + cols * m1) + m2)
    return coords


def _scipy_values(images, mats, pix, *, order, mode, cval, sources=None):
    """SciPy's own output at flat output pixels ``pix``: ``(len(pix), c)``, images' dtype.

    Output image ``i`` is the warp of ``images[sources[i]]`` (``images[i]``
    when ``sources`` is None) by ``mats[i]``.  The few images involved are
    stacked, and ``scipy.ndimage.map_coordinates`` samples the stack at
    (image, row, col[, channel]) with SciPy's affine coordinates: the image
    and channel coordinates are integers (weights exactly 1 and 0), so each
    value is computed -- and rounded to the dtype -- by the same code, with
    the same operations in the same order, as ``affine_transform`` uses.
    This makes the rare pixels near a rounding tie identical to SciPy's.
    """
    from scipy import ndimage

    h, w = images.shape[1:3]
    img, rem = np.divmod(pix, h * w)
    rows, cols = np.divmod(rem, w)
    coords = np.array(
        _scipy_coordinates(mats[img], rows.astype(np.float64), cols.astype(np.float64))
    )
    src = img if sources is None else np.asarray(sources)[img]
    used, position = np.unique(src, return_inverse=True)
    stack = images[used]
    kw = dict(order=order, mode=mode, cval=cval, output=images.dtype, prefilter=False)
    if images.ndim == 3:
        points = np.vstack([position.astype(np.float64), coords])
        return ndimage.map_coordinates(stack, points, **kw)[:, None]
    c = images.shape[3]
    points = np.empty((4, len(pix), c))
    points[0] = position[:, None]
    points[1] = coords[0][:, None]
    points[2] = coords[1][:, None]
    points[3] = np.arange(c)
    return ndimage.map_coordinates(stack, points.reshape(4, -1), **kw).reshape(len(pix), c)


def _map_axis(coord, length, mode, order):
    """Map float64 coordinates along one axis with SciPy's boundary rules.

    Returns ``(base, frac, valid)``: ``base`` are int32 indices into the padded
    axis (padded index = index + 1), ``frac`` the float64 interpolation
    fraction (None for order 0) and ``valid`` a boolean mask of in-range
    coordinates for mode "constant" (None otherwise).  ``coord`` is overwritten.
    """
    valid = None
    last = length - 1
    if mode == "nearest":
        np.clip(coord, 0, last, out=coord)
    elif mode == "constant":
        valid = coord >= 0
        valid &= coord <= last
        np.clip(coord, 0, last, out=coord)
    elif mode == "wrap":
        if length <= 1:
            coord[...] = 0.0
        else:
            sz = float(last)
            neg = coord < 0
            if neg.any():
                c = coord[neg]
                coord[neg] = c + sz * (np.trunc(-c / sz) + 1.0)
            big = coord > last
            if big.any():
                c = coord[big]
                coord[big] = c - sz * np.trunc(c / sz)
    else:  # reflect: half-sample symmetric, period 2 * length
        period = 2.0 * length
        if coord.size and (coord.min() < 0 or coord.max() >= length):
            m = coord - period * np.floor(coord / period)
            m[m < 0] += period
            m[m >= period] -= period
            # mirrored half: reflect to the forward half (values in (-1, length - 1])
            np.copyto(coord, np.where(m >= length, (period - 1.0) - m, m))
    if order == 0:
        coord += 0.5
        base = np.floor(coord)
        frac = None
    else:
        base = np.floor(coord)
        frac = coord
        frac -= base
    base = base.astype(np.int32)
    base += 1  # padded coordinates
    return base, frac, valid


def _pack(chunk, pad_value):
    """Copy a chunk into a 1-pixel edge-replicated padded buffer.

    Returns ``(flat, width, tail)``: a 1-D array of pixels (one element per pixel,
    channels packed into a word or kept as rows of a 2-D array), the padded row
    length and the flat index of the constant-value tail.
    """
    nb, h, w = chunk.shape[:3]
    c = chunk.shape[3] if chunk.ndim == 4 else 1
    H, W = h + 2, w + 2
    dt = chunk.dtype
    packed = dt.itemsize == 1 and 2 <= c <= 4
    if c == 1 or packed:
        cp = 1 if c == 1 else (2 if c == 2 else 4)
        buf = np.empty(nb * H * W * cp + (W + 2) * cp, dtype=dt)
        grid = buf[: nb * H * W * cp].reshape(nb, H, W, cp)
        if c == 1:
            grid[:, 1:-1, 1:-1, 0] = chunk.reshape(nb, h, w)
        else:
            for k in range(c):
                grid[:, 1:-1, 1:-1, k] = chunk[..., k]
            if cp > c:
                grid[..., c:] = 0
        tail = buf[nb * H * W * cp:]
        tail[...] = pad_value
        word = {1: dt, 2: np.uint16, 4: np.uint32}[cp]
        flat = buf.view(word) if cp > 1 else buf
    else:
        buf = np.empty((nb * H * W + W + 2, c), dtype=dt)
        grid = buf[: nb * H * W].reshape(nb, H, W, c)
        grid[:, 1:-1, 1:-1] = chunk.reshape(nb, h, w, c)
        buf[nb * H * W:] = pad_value
        flat = buf
    # edge replication (rows, then columns including the corners)
    grid[:, 0, 1:-1] = grid[:, 1, 1:-1]
    grid[:, -1, 1:-1] = grid[:, -2, 1:-1]
    grid[:, :, 0] = grid[:, :, 1]
    grid[:, :, -1] = grid[:, :, -2]
    return flat, W, nb * H * W


def _unpack(gathered, dtype, c, n_pix):
    """View gathered pixels as an (n_pix, c_stored) array of ``dtype``."""
    if gathered.ndim == 2:
        return gathered
    if gathered.dtype == dtype:
        return gathered.reshape(n_pix, 1)
    return gathered.view(dtype).reshape(n_pix, -1)


def _store(out_flat, k, values, dtype):
    """Write float ``values`` into channel ``k`` of ``out_flat`` with SciPy rounding."""
    dst = out_flat[:, k]
    if np.issubdtype(dtype, np.floating):
        np.copyto(dst, values, casting="unsafe")
        return
    info = np.iinfo(dtype)
    if np.issubdtype(dtype, np.unsignedinteger):
        values += 0.5
        if dtype.itemsize > 1:  # 8-bit results cannot leave [0.5, 255.5]
            np.clip(values, 0, info.max, out=values)
    else:
        values += np.where(values > 0, 0.5, -0.5).astype(values.dtype)
        np.clip(values, info.min, info.max, out=values)
    np.copyto(dst, values, casting="unsafe")


def _warp_chunk(chunk, mats, out, order, mode, cval):
    nb, h, w = chunk.shape[:3]
    c = chunk.shape[3] if chunk.ndim == 4 else 1
    dt = chunk.dtype
    n_pix = nb * h * w
    fast8 = dt.itemsize == 1
    ct = np.float32 if (fast8 or dt == np.float32 or dt == np.float16) else np.float64
    pad_value = _round_to_dtype(cval, dt)
    flat, W, tail = _pack(chunk, pad_value)

    # input coordinates with SciPy's operation order, as outer sums of a row
    # term (nb, h, 1) and a column term (nb, 1, w)
    rows = np.arange(h, dtype=np.float64)[:, None]
    cols = np.arange(w, dtype=np.float64)
    coords = [x.reshape(-1) for x in _scipy_coordinates(mats[:, None, None], rows, cols)]
    rb, rf, rv = _map_axis(coords[0], h, mode, order)
    cb, cf, cv = _map_axis(coords[1], w, mode, order)

    idx = rb
    idx *= W
    idx += cb
    idx = idx.astype(np.intp)
    idx += np.repeat(np.arange(nb, dtype=np.intp) * ((h + 2) * W), h * w)
    if rv is not None:
        rv &= cv
        np.copyto(idx, tail, where=~rv)
    out_flat = out.reshape(n_pix, c)

    if order == 0:
        g = _unpack(np.take(flat, idx, axis=0), dt, c, n_pix)
        out_flat[...] = g[:, :c]
        return

    g00 = np.take(flat, idx, axis=0)
    idx += 1
    g01 = np.take(flat, idx, axis=0)
    idx += W
    g11 = np.take(flat, idx, axis=0)
    idx -= 1
    g10 = np.take(flat, idx, axis=0)
    tyc = rf.astype(ct)
    txc = cf.astype(ct)
    f = [_unpack(g, dt, c, n_pix).astype(ct) for g in (g00, g01, g10, g11)]
    check_ties = np.issubdtype(dt, np.integer)
    near_ties = []  # per channel: pixels whose value lies close to a rounding boundary
    for k in range(c):
        a = f[0][:, k]
        top = f[1][:, k] - a
        top *= txc
        top += a
        a = f[2][:, k]
        bot = f[3][:, k] - a
        bot *= txc
        bot += a
        bot -= top
        bot *= tyc
        bot += top
        if check_ties:
            # values close to a rounding boundary (within the float32 error
            # bound, or a few float64 ulps) may round the other way than
            # SciPy's own sum: take SciPy's value there
            d = bot + bot.dtype.type(0.5)
            d -= np.rint(d)
            np.abs(d, out=d)
            if ct is np.float32:
                near_ties.append(np.flatnonzero(d < _TIE_EPS))
            else:
                near_ties.append(np.flatnonzero(d < 64 * np.spacing(np.abs(bot) + 1.0)))
        _store(out_flat, k, bot, dt)
    if near_ties:
        # SciPy's values of those pixels, every channel at once (the other
        # channels of a pixel round as SciPy's anyway)
        near = np.unique(np.concatenate(near_ties))
        if near.size:
            out_flat[near] = _scipy_values(chunk, mats, near, order=1, mode=mode, cval=cval)


# --------------------------------------------------------------------------
# fast path: 8-bit images, bilinear, mode "nearest"
# --------------------------------------------------------------------------
_FAST_CHUNK_PIXELS = 1 << 16  # output pixels per block of the fast path
_FAST_RECHECK_PIXELS = 1 << 20  # recheck flagged values every ~1M pixels (cache)
# Rounding through float32 bits: v + 256.5 lies in [256, 512), so its float32
# mantissa holds floor(v + 0.5) in bits 15..22 and 15 fraction bits below.
_FRAC_BITS = 15
_FRAC_MASK = (1 << _FRAC_BITS) - 1
# Values within _NEAR units (2**-15) of a rounding boundary are recomputed in
# float64.  The float32 interpolation error is below 1.1e-4 (3.6 units) and
# the rounding of v + 256.5 adds at most half a unit: 8 units leave a 2x margin.
_NEAR = 8
# v + 256.5 + _NEAR units, so that values within _NEAR units below a boundary
# carry into the next integer (adding whole units commutes with the rounding)
_MAGIC = np.float32(256.5 + _NEAR * 2.0**-_FRAC_BITS)


def _coordinate_reach(mats, h, w):
    """Largest ``|input coordinate|`` of any output pixel (reached at a corner)."""
    corners = np.array([[0.0, 0.0, h - 1.0, h - 1.0], [0.0, w - 1.0, 0.0, w - 1.0]])
    return np.abs(np.matmul(mats[:, :, :2], corners) + mats[:, :, 2:]).max(initial=0.0)


def _use_fast_path(images, mats, order, mode):
    """Whether :class:`_FastU8Bilinear` handles this call."""
    if images.dtype != np.uint8 or order != 1 or mode != "nearest":
        return False
    if images.ndim == 4 and images.shape[3] > 4:
        return False
    h, w = images.shape[1:3]
    if (h + 2) * (w + 2) >= 2**31 // 4:  # int32 table indices
        return False
    # non-finite coordinates (a finite matrix can overflow) take the general path
    return bool(np.isfinite(_coordinate_reach(mats, h, w)))


class _FastU8Bilinear:
    """Bilinear warp of 8-bit images (1 to 4 channels) with mode "nearest".

    The output is computed block by block, a block being a group of whole
    images or, for large images, a band of rows of one image.  For every block:

    * the images are copied once into a buffer padded by one replicated pixel
      on every side, viewed as a table of words: with one channel, word ``i``
      packs the four bilinear neighbours ``(i, i + 1, i + W, i + W + 1)`` of
      padded pixel ``i`` (one gather per output pixel); with 2 to 4 channels,
      word ``i`` packs the channels of pixel ``i`` (four gathers per output
      pixel, each fetching every channel);
    * the padded input coordinates of all its pixels come from one matrix
      product ``(2 * nb, 3) @ (3, npix)``.  Their integer parts (truncated,
      then clamped to the padded image) select the neighbours: a coordinate
      outside the image reads two equal replicated neighbours along that axis,
      which interpolates to the edge value exactly, whatever the fraction;
    * the interpolation runs in float32, ``a + (b - a) * t`` along columns then
      rows, with the weights shared by all channels;
    * the float32 value ``v`` is rounded through the bits of ``v + 256.5``
      (15 fraction bits).  Values whose fraction bits are within ``_NEAR``
      units (2**-15) of a rounding boundary are flagged; the float32 error
      (< 1.1e-4, i.e. 3.6 units) cannot change the rounding of any other
      value.  The flagged pixels (typically about 0.05 % of the values) are recomputed
      by SciPy itself (:func:`_scipy_values`)
      every ``_FAST_RECHECK_PIXELS`` output pixels, while their input is still
      in the CPU caches, so the output equals SciPy's.
    """

    def __init__(self, images, mats, out, sources=None, block_pixels=None):
        self.images, self.mats, self.out, self.sources = images, mats, out, sources
        n = len(mats)
        h, w = images.shape[1:3]
        c = images.shape[3] if images.ndim == 4 else 1
        self.c, self.h, self.w, self.H, self.W = c, h, w, h + 2, w + 2
        self.hw = h * w
        block_pixels = _FAST_CHUNK_PIXELS if block_pixels is None else block_pixels
        if self.hw <= block_pixels:
            self.group, self.band = max(1, block_pixels // self.hw), h
        else:
            self.group, self.band = 1, max(1, block_pixels // w)
        block = min(n, self.group) * self.band * w
        g = np.empty((3, self.band, w))
        g[0] = np.arange(self.band, dtype=np.float64)[:, None]
        g[1] = np.arange(w, dtype=np.float64)
        g[2] = 1.0
        self.grid = g.reshape(3, self.band * w)  # (row, col, 1) of one image band
        # work buffers, reused by every block
        self.coord = np.empty(2 * block)
        self.trunc = np.empty(2 * block)
        self.frac = np.empty(2 * block, dtype=np.float32)
        self.base = np.empty(2 * block, dtype=np.int32)
        # per-channel arrays are (c, block): one call serves every channel
        self.tmp = np.empty(c * block, dtype=np.int32)
        self.tmp2 = np.empty(block, dtype=np.int32)
        self.vals = [np.empty(c * block, dtype=np.float32) for _ in range(4)]
        self.acc = np.empty(c * block, dtype=np.float32)
        self.flag = np.empty(c * block, dtype=bool)
        if c > 1:
            self.word = np.int16 if c == 2 else np.int32
            self.shifts = np.arange(8, 8 * c, 8, dtype=self.word)[:, None]
            self.gidx = np.empty(block, dtype=np.intp)
            self.words = [np.empty(block, dtype=self.word) for _ in range(4)]
        # coordinates far outside the image are clamped in float64 before the
        # int32 conversion
        self.clamp = not _coordinate_reach(mats, h, w) < 2.0**30
        # padded tables
        nbmax = min(n, self.group)
        size = nbmax * self.H * self.W
        if c == 1:
            self.padded = np.empty((nbmax, self.H, self.W), dtype=np.uint8)
            self.wide = np.empty(size, dtype=np.uint16)
            self.pair = np.empty(size - 1, dtype=np.uint16)
            self.pair32 = np.empty(size - 1, dtype=np.uint32)
            self.quad = np.empty(size - 1 - self.W, dtype=np.uint32)
        else:
            cp = 2 if c == 2 else 4
            self.padded = np.zeros((nbmax, self.H, self.W, cp), dtype=np.uint8)
        self.flagged = []

    def _table(self, chunk):
        """Padded copy of ``chunk`` as a flat table of words (see class doc)."""
        nb = chunk.shape[0]
        W, c = self.W, self.c
        if c == 1:
            grid = self.padded[:nb]
            grid[:, 1:-1, 1:-1] = chunk.reshape(nb, self.h, self.w)
        else:
            grid = self.padded[:nb]
            for k in range(c):  # one strided copy per channel (fast inner loops)
                grid[:, 1:-1, 1:-1, k] = chunk[..., k]
        grid[:, 0, 1:-1] = grid[:, 1, 1:-1]
        grid[:, -1, 1:-1] = grid[:, -2, 1:-1]
        grid[:, :, 0] = grid[:, :, 1]
        grid[:, :, -1] = grid[:, :, -2]
        flat = grid.reshape(-1)
        if c > 1:
            return flat.view(self.word)
        # word i = bytes (p[i], p[i + 1], p[i + W], p[i + W + 1])
        size = flat.size
        p = self.wide[:size]
        np.copyto(p, flat)
        pair = self.pair[: size - 1]
        np.left_shift(p[1:], 8, out=pair)
        pair |= p[:-1]
        pair32 = self.pair32[: size - 1]
        np.copyto(pair32, pair)
        quad = self.quad[: size - 1 - W]
        np.left_shift(pair32[W:], 16, out=quad)
        quad |= pair32[:-W]
        return quad.view(np.int32)

    def _block(self, table, mats, row0, rows, out_block, pix0):
        """Output rows ``row0:row0 + rows`` of the ``len(mats)`` images of ``table``."""
        h, w, H, W, c = self.h, self.w, self.H, self.W, self.c
        nb = len(mats)
        cols = rows * w
        npix = nb * cols
        # padded coordinates: (m0, m1, m2 + 1 + row0 * m0) @ (row - row0, col, 1)
        coef = np.concatenate([mats[:, 0, :], mats[:, 1, :]])
        coef[:, 2] += 1.0
        if row0:
            coef[:, 2] += row0 * coef[:, 0]
        x = self.coord[: 2 * npix].reshape(2 * nb, cols)
        grid = self.grid[:, :cols]
        # small products (m * n * k < 2**19) keep OpenBLAS single-threaded
        step = max(1, ((1 << 19) - 1) // (3 * cols))
        for i in range(0, 2 * nb, step):
            np.matmul(coef[i : i + step], grid, out=x[i : i + step])
        x = x.reshape(2, nb, cols)
        if self.clamp:
            np.clip(x[0], -1.0, h + 1.0, out=x[0])
            np.clip(x[1], -1.0, w + 1.0, out=x[1])
        base = self.base[: 2 * npix].reshape(2, nb, cols)
        np.copyto(base, x, casting="unsafe")  # truncation toward zero
        trunc = self.trunc[: 2 * npix].reshape(2, nb, cols)
        np.copyto(trunc, base)
        np.subtract(x, trunc, out=x)
        frac = self.frac[: 2 * npix].reshape(2, npix)
        np.copyto(frac, x.reshape(2, npix), casting="unsafe")
        ty, tx = frac[0], frac[1]
        br, bc = base[0], base[1]
        np.clip(br, 0, h, out=br)
        np.clip(bc, 0, w, out=bc)
        br *= W
        br += bc
        if nb > 1:
            br += (np.arange(nb, dtype=np.int32) * (H * W))[:, None]
        idx = br.reshape(npix)
        v = [a[: c * npix].reshape(c, npix) for a in self.vals]
        acc = self.acc[: c * npix].reshape(c, npix)
        tmp = self.tmp[: c * npix].reshape(c, npix)
        flag = self.flag[: c * npix].reshape(c, npix)
        tmp2 = self.tmp2[:npix]
        if c == 1:
            v = [a[0] for a in v]
            acc, tmp, flag = acc[0], tmp[0], flag[0]
            g = tmp
            np.take(table, idx, out=g, mode="wrap")
            np.bitwise_and(g, 0xFF, out=tmp2)
            np.copyto(v[0], tmp2)
            for k in (1, 2):
                np.right_shift(g, 8 * k, out=tmp2)
                np.bitwise_and(tmp2, 0xFF, out=tmp2)
                np.copyto(v[k], tmp2)
            g = g.view(np.uint32)
            np.right_shift(g, 24, out=g)  # logical shift: no mask needed
            np.copyto(v[3], g.view(np.int32))
            self._lerp(v, tx, ty, acc)
            self._finish(acc, tmp, out_block, flag)
            hits = np.flatnonzero(flag)
        else:
            gi = self.gidx[:npix]
            np.copyto(gi, idx)
            words = [a[:npix] for a in self.words]
            for wd, off in zip(words, (0, 1, W, W + 1)):
                np.take(table[off:], gi, out=wd, mode="wrap")
            # channel k of a word: (word >> 8k) & 0xFF; the mask is not needed
            # for the third of 3 channels (the padding byte above it is zero)
            last = c - 1 if c == 3 else c
            for j in range(4):
                np.bitwise_and(words[j], 0xFF, out=tmp[0])
                np.right_shift(words[j], self.shifts, out=tmp[1:])
                np.bitwise_and(tmp[1:last], 0xFF, out=tmp[1:last])
                np.copyto(v[j], tmp)
            self._lerp(v, tx, ty, acc)
            self._finish(acc, tmp, out_block, flag)
            anyf = flag[0]
            for k in range(1, c):
                anyf |= flag[k]
            hits = np.flatnonzero(anyf)
        if hits.size:
            self.flagged.append(hits + pix0)

    @staticmethod
    def _lerp(v, tx, ty, acc):
        """``acc = top + (bottom - top) * ty`` (``v[2]``, ``v[3]`` are overwritten)."""
        a, b, c, d = v
        np.subtract(b, a, out=acc)
        acc *= tx
        acc += a
        d -= c
        d *= tx
        d += c
        d -= acc
        d *= ty
        acc += d

    @staticmethod
    def _finish(acc, tmp, dst, flag):
        """Round ``acc`` (in place) into ``dst``; flag values near a boundary.

        ``acc``, ``tmp`` and ``flag`` are ``(npix,)`` or ``(c, npix)``; ``dst``
        is the ``(npix, c)`` output block.
        """
        acc += _MAGIC
        bits = acc.view(np.int32)
        np.right_shift(bits, _FRAC_BITS, out=tmp)
        # low byte = floor(v + 0.5); one copy per channel (a transposing copy
        # would run with an inner loop over the channels, much slower)
        if tmp.ndim == 1:
            np.copyto(dst[:, 0], tmp, casting="unsafe")
        else:
            for k in range(len(tmp)):
                np.copyto(dst[:, k], tmp[k], casting="unsafe")
        np.bitwise_and(bits, _FRAC_MASK, out=tmp)
        np.less_equal(tmp, 2 * _NEAR, out=flag)

    def run(self):
        images, mats, sources = self.images, self.mats, self.sources
        n, h, c, hw = len(mats), self.h, self.c, self.hw
        out_all = self.out.reshape(n * hw, c)
        pending = 0
        for s in range(0, n, self.group):
            e = min(n, s + self.group)
            if sources is None:
                chunk = images[s:e]
            elif e - s == 1:
                chunk = images[sources[s] : sources[s] + 1]  # a view, no copy
            else:
                chunk = images[sources[s:e]]
            table = self._table(chunk)
            for r0 in range(0, h, self.band):
                rows = min(self.band, h - r0)
                p0 = s * hw + r0 * self.w
                npix = (e - s) * rows * self.w
                self._block(table, mats[s:e], r0, rows, out_all[p0 : p0 + npix], p0)
                pending += npix
                if pending >= _FAST_RECHECK_PIXELS or (e == n and r0 + rows == h):
                    pending = 0
                    if self.flagged:
                        pix = np.concatenate(self.flagged)
                        self.flagged = []
                        out_all[pix] = _scipy_values(
                            images, mats, pix, order=1, mode="nearest", cval=0.0,
                            sources=sources,
                        )


# --------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------
def warp_affine(images, matrices, *, order=1, mode="nearest", cval=0.0):
    """Warp every image of a batch by its own affine transform.

    Batched, vectorised equivalent of calling
    ``scipy.ndimage.affine_transform(image, matrix, order=order, mode=mode,
    cval=cval)`` on every 2-D image (and every channel of a colour image).

    Parameters
    ----------
    images : ndarray of shape (n_samples, image_height, image_width) or \
            (n_samples, image_height, image_width, n_channels)
        Images to warp.  Any integer or floating-point dtype except bool (and
        float128).  Not modified.
    matrices : array-like of shape (n_samples, 3, 3) or (n_samples, 2, 3)
        One affine matrix per image, homogeneous or with the last row dropped.
        Each maps an OUTPUT pixel coordinate ``(row, col, 1)`` to the INPUT
        coordinate sampled there, exactly as ``scipy.ndimage.affine_transform``
        uses a homogeneous matrix.  Must be finite; a homogeneous matrix must
        have last row ``(0, 0, 1)``.
    order : {0, 1}, default=1
        Interpolation order: 0 for nearest neighbour (SciPy rounds with
        ``floor(x + 0.5)``), 1 for bilinear.
    mode : {"nearest", "constant", "reflect", "wrap"}, default="nearest"
        How points outside the input are filled, with SciPy's semantics for
        these names: ``"nearest"`` repeats the edge pixel; ``"constant"``
        returns ``cval`` for any input coordinate outside
        ``[0, size - 1]`` (no interpolation towards ``cval``, unlike SciPy's
        ``"grid-constant"``); ``"reflect"`` is the half-sample symmetric
        extension ``(d c b a | a b c d | d c b a)``; ``"wrap"`` is SciPy's
        ``"wrap"``, whose period is ``size - 1`` (first and last samples
        overlap), unlike ``"grid-wrap"``.
    cval : float, default=0.0
        Fill value for ``mode="constant"``.  For integer images it is rounded
        and clipped to the dtype like any output value.

    Returns
    -------
    warped : ndarray of the shape and dtype of ``images``
        Integer results are rounded half away from zero and clipped to the
        dtype's range, as SciPy does.

    Raises
    ------
    TypeError
        If ``images`` is not an ndarray of a real numeric dtype, or ``cval``
        is not a real number.
    ValueError
        If the shapes do not match, ``matrices`` is not finite or not affine,
        or ``order``/``mode`` is not supported.

    See Also
    --------
    imgbalance.AugmentationOverSampler : Random Keras-style transforms over-sampling rare classes.
    scipy.ndimage.affine_transform : The per-image reference it reproduces.

    Notes
    -----
    Parity with SciPy (tested against a per-image, per-channel loop over every
    mode and order): float64 images are computed in float64 and agree within
    1e-9; float32 images are interpolated in float32 (relative error about
    1e-7 of the value range); 8-bit images are interpolated in float32,
    other integer types in float64, and for every integer type the rare
    values close to a rounding boundary are taken from SciPy itself, so that
    integer outputs equal SciPy's (see the module notes).  float16 images
    (which SciPy rejects) are computed in float32.  Non-finite pixels (NaN,
    ``inf``) propagate to the output pixels that interpolate them, but not
    always as in SciPy: where SciPy weighs an ``inf`` neighbour by zero it
    gives NaN, where this kernel interpolates between two ``inf`` it gives
    NaN (``inf - inf``).  Check ``np.isfinite`` first when that matters.

    The kernel gathers the four neighbours of all pixels of a chunk of images
    at once from an edge-padded copy; 8-bit images with 2 to 4 channels are
    packed so that one gather fetches every channel.  No Python loop runs per
    pixel: small images are processed a chunk of images at a time, large ones
    an image (or a band of rows) at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augmentation import warp_affine
    >>> images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    >>> shift = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]])
    >>> flip = np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 3.0], [0.0, 0.0, 1.0]])
    >>> out = warp_affine(images, np.stack([shift, flip]), mode="constant")
    >>> out[0]  # output (r, c) samples input (r, c + 1)
    array([[ 1,  2,  3,  0],
           [ 5,  6,  7,  0],
           [ 9, 10, 11,  0]], dtype=uint8)
    >>> out[1]  # horizontal mirror
    array([[15, 14, 13, 12],
           [19, 18, 17, 16],
           [23, 22, 21, 20]], dtype=uint8)
    """
    _check_images(images)
    n = images.shape[0]
    mats = _check_matrices(matrices, n)
    order, cval = _check_options(order, mode, cval)
    out = np.empty(images.shape, dtype=images.dtype)
    _warp_into(images, mats, out, order=order, mode=mode, cval=cval)
    return out


def _warp_into(images, mats, out, *, order, mode, cval, sources=None, block_pixels=None):
    """Kernel entry point, without validation: ``out[i] = warp(images[sources[i]], mats[i])``.

    ``mats`` are ``(n, 2, 3)`` float64 matrices, ``out`` an ``(n, h, w[, c])``
    C-contiguous array of the images' dtype; ``sources`` (int indices into
    ``images``, default ``arange(n)``) lets callers warp chosen images without
    gathering them first.  ``block_pixels`` sets the output pixels per block of
    work (default ``_FAST_CHUNK_PIXELS`` / ``_CHUNK_PIXELS``): larger blocks
    mean fewer, longer NumPy calls, which suits several threads sharing the GIL.
    """
    n = len(mats)
    if n == 0:
        return out
    if _use_fast_path(images, mats, order, mode):
        _FastU8Bilinear(images, mats, out, sources, block_pixels).run()
        return out
    h, w = images.shape[1:3]
    block_pixels = _CHUNK_PIXELS if block_pixels is None else block_pixels
    per_chunk = max(1, block_pixels // (h * w))
    for s in range(0, n, per_chunk):
        e = min(n, s + per_chunk)
        chunk = images[s:e] if sources is None else images[sources[s:e]]
        # non-finite pixels propagate (see warp_affine's notes), silently as in SciPy
        with np.errstate(invalid="ignore"):
            _warp_chunk(chunk, mats[s:e], out[s:e], order, mode, cval)
    return out


def random_affine_matrices(
    rng,
    n,
    image_hw,
    *,
    rotation_range=0.0,
    width_shift_range=0.0,
    height_shift_range=0.0,
    shear_range=0.0,
    zoom_range=(1.0, 1.0),
    horizontal_flip=False,
    vertical_flip=False,
):
    """Draw random affine matrices with Keras ``ImageDataGenerator`` semantics.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Number of matrices.
    image_hw : tuple of (int, int)
        ``(image_height, image_width)`` of the images to warp.
    rotation_range : float, default=0.0
        Rotation angle in degrees, uniform in ``[-rotation_range, rotation_range]``.
    width_shift_range : float, default=0.0
        Horizontal shift as a fraction of the width, uniform in ``[-s, s]``.
    height_shift_range : float, default=0.0
        Vertical shift as a fraction of the height, uniform in ``[-s, s]``.
    shear_range : float, default=0.0
        Shear angle in degrees, uniform in ``[-shear_range, shear_range]``.
    zoom_range : tuple of (float, float), default=(1.0, 1.0)
        ``(low, high)``; the row and column zoom factors are drawn separately,
        each uniform in ``[low, high]``.  As in Keras a factor above 1 samples a
        larger input area, i.e. zooms *out*.
    horizontal_flip : bool, default=False
        Mirror left-right with probability 0.5.
    vertical_flip : bool, default=False
        Mirror top-bottom with probability 0.5.

    Returns
    -------
    matrices : ndarray of shape (n, 3, 3), float64
        Homogeneous matrices mapping output ``(row, col)`` to input coordinates,
        ready for :func:`warp_affine`.

    Notes
    -----
    **Random draws.**  One block ``u = rng.random((n, 8))`` is drawn whatever the
    parameters, so that image ``i`` uses row ``u[i]`` in this fixed order:
    rotation, height shift, width shift, shear, column zoom ``zx``, row zoom
    ``zy``, horizontal flip, vertical flip (Keras' own draw order).  A parameter
    left at its neutral value does not change the other draws, and the first
    ``k`` matrices of ``n`` equal the ``k`` matrices drawn from the same state.

    **Geometry mirrored from tf.keras' legacy** ``apply_affine_transform`` +
    ``transform_matrix_offset_center`` + ``flip_axis``: in Keras' ``(x, y)``
    frame the matrix is ``R(theta) @ T(tx, ty) @ S(shear) @ Z(zx, zy)`` with
    ``R = [[cos, -sin], [sin, cos]]``, ``T`` the shift, ``S = [[1, -sin(shear)],
    [0, cos(shear)]]`` and ``Z = diag(zx, zy)``; it is conjugated by a
    translation to the image centre ``((h - 1) / 2, (w - 1) / 2)`` and its two
    axes are swapped into SciPy's ``(row, col)`` order (Keras' ``PMP``
    permutation).  Applied to a row/column grid this gives, with
    ``R`` the rotation, the output-to-input matrix in ``(row, col)``::

        [[cos t, sin t], [-sin t, cos t]] @ [[cos s, 0], [-sin s, 1]]
                                        @ diag(zy, zx)

    plus the shift: a positive angle turns the image content counter-clockwise
    on screen; a positive height shift ``ty`` samples rows further down, so the
    content moves up (likewise left for a positive width shift).  Keras then
    flips the *output* (``flip_axis``); a flip is folded in here as the
    right-hand factor ``col -> w - 1 - col`` (or ``row -> h - 1 - row``), which
    is exact for orders 0 and 1.

    One deliberate difference: after its axis swap, Keras applies
    ``height_shift_range * h`` along columns and ``width_shift_range * w``
    along rows, and centres with ``h`` and ``w`` swapped -- harmless only for
    square images.  Here the height shift moves rows, the width shift moves
    columns, and the centre is the true image centre.  For square images with
    equal shift ranges the distribution of transforms is the same as Keras'.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augmentation._warp import random_affine_matrices
    >>> rng = np.random.default_rng(0)
    >>> m = random_affine_matrices(rng, 4, (28, 28), rotation_range=15,
    ...                            zoom_range=(0.9, 1.1), horizontal_flip=True)
    >>> m.shape
    (4, 3, 3)
    >>> np.allclose(m[:, 2], [0, 0, 1])
    True
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}.")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}.")
    try:
        h, w = (int(v) for v in image_hw)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"image_hw must be a pair (height, width) of ints, got {image_hw!r}."
        ) from exc
    if h < 1 or w < 1:
        raise ValueError(f"image_hw must be positive, got {image_hw!r}.")
    for name, value in (
        ("rotation_range", rotation_range),
        ("width_shift_range", width_shift_range),
        ("height_shift_range", height_shift_range),
        ("shear_range", shear_range),
    ):
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not np.isfinite(value)
            or value < 0
        ):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    try:
        z_lo, z_hi = (float(v) for v in zoom_range)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"zoom_range must be a pair (low, high) of floats, got {zoom_range!r}."
        ) from exc
    if not (np.isfinite(z_lo) and np.isfinite(z_hi) and 0 < z_lo <= z_hi):
        raise ValueError(
            f"zoom_range must satisfy 0 < low <= high, got {zoom_range!r}."
        )
    n = int(n)
    params = dict(
        rotation=float(rotation_range), height_shift=float(height_shift_range),
        width_shift=float(width_shift_range), shear=float(shear_range),
        zoom=(z_lo, z_hi), hflip=bool(horizontal_flip), vflip=bool(vertical_flip),
    )
    m = np.empty((n, 3, 3))
    # By blocks, so that the temporaries do not grow with n: consecutive
    # draws of rows continue one stream, so the matrices do not depend on
    # the block size.
    for start in range(0, n, _MATRIX_BLOCK):
        stop = min(n, start + _MATRIX_BLOCK)
        _affine_block(rng.random((stop - start, 8)), (h, w), out=m[start:stop], **params)
    return m


_MATRIX_BLOCK = 1 << 14  # matrices per block of random_affine_matrices


def _affine_block(u, image_hw, *, out, rotation, height_shift, width_shift, shear, zoom,
                  hflip, vflip):
    """The matrices of ``random_affine_matrices`` from uniform draws ``u`` (k, 8)."""
    h, w = image_hw
    z_lo, z_hi = zoom
    theta = np.deg2rad(rotation * (2.0 * u[:, 0] - 1.0))
    ty = height_shift * (2.0 * u[:, 1] - 1.0) * h  # rows
    tx = width_shift * (2.0 * u[:, 2] - 1.0) * w  # columns
    shear = np.deg2rad(shear * (2.0 * u[:, 3] - 1.0))
    zx = z_lo + (z_hi - z_lo) * u[:, 4]  # columns
    zy = z_lo + (z_hi - z_lo) * u[:, 5]  # rows
    hflip = hflip & (u[:, 6] < 0.5)
    vflip = vflip & (u[:, 7] < 0.5)

    cos_t, sin_t = np.cos(theta), np.sin(theta)
    cos_s, sin_s = np.cos(shear), np.sin(shear)
    # Keras (x, y) frame, before its axis swap: R @ T @ S @ Z
    mk = np.zeros((len(u), 3, 3))
    mk[:, 0, 0] = cos_t * zx
    mk[:, 0, 1] = (-cos_t * sin_s - sin_t * cos_s) * zy
    mk[:, 1, 0] = sin_t * zx
    mk[:, 1, 1] = (-sin_t * sin_s + cos_t * cos_s) * zy
    mk[:, 0, 2] = cos_t * tx - sin_t * ty
    mk[:, 1, 2] = sin_t * tx + cos_t * ty
    mk[:, 2, 2] = 1.0
    # Keras' swap PMP: its first axis becomes the column axis, the second the row.
    m = mk[:, [1, 0, 2]][:, :, [1, 0, 2]]
    # centre: offset @ M @ reset with the true centre in (row, col)
    centre = np.array([(h - 1) / 2.0, (w - 1) / 2.0])
    m[:, :2, 2] += centre - np.einsum("nij,j->ni", m[:, :2, :2], centre)
    # flips act on the output: M @ F
    if hflip.any():
        m[hflip, :, 2] += m[hflip, :, 1] * (w - 1)
        m[hflip, :, 1] *= -1.0
    if vflip.any():
        m[vflip, :, 2] += m[vflip, :, 0] * (h - 1)
        m[vflip, :, 0] *= -1.0
    out[...] = m
