"""The general warp path: SciPy's ``affine_transform``, batched (pure NumPy).

Handles every dtype, order 0 and 1 and the modes ``"constant"``,
``"nearest"``, ``"reflect"`` and ``"wrap"``; SciPy itself is called only for
the rare values at rounding ties.  :mod:`._fast_u8` takes over the common
case of 8-bit bilinear ``"nearest"`` warps.

Algorithm notes (:func:`warp_chunk`)
------------------------------------
1. The images are processed in chunks of about ``CHUNK_PIXELS`` output pixels,
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
   see :func:`scipy_offset_first`), as an outer sum of a row term and a
   column term, then mapped into the image with SciPy's own boundary
   arithmetic (:func:`_map_axis`, the operations of ``map_coordinate`` in
   SciPy's ``ni_interpolation.c``, in the same order), so that the boundary
   decisions and the order-0 rounding (``floor(x + 0.5)``) match SciPy to
   the last bit.
5. Bilinear weights are then computed once per pixel and shared by all
   channels.  8-bit and float32 images are interpolated in float32, everything
   else in float64.  For integer images the few values that lie within the
   error bound of a rounding boundary (``_TIE_EPS`` in float32, 64 ulps in
   float64) are taken from SciPy itself (:func:`scipy_values`, which samples
   just those pixels with ``scipy.ndimage.map_coordinates``), so integer
   outputs equal SciPy's.
6. Integer outputs are rounded and clipped as SciPy does, by
   :func:`imgbalance._dtypes.round_to_dtype` with ``ties="away"``.
"""

import functools

import numpy as np

from .._dtypes import round_to_dtype

__all__ = [
    "CHUNK_PIXELS",
    "bilinear",
    "scipy_coordinates",
    "scipy_offset_first",
    "scipy_values",
    "warp_chunk",
]

CHUNK_PIXELS = 1 << 16  # output pixels per chunk: its temporaries stay in the caches
_TIE_EPS = 2e-4  # float32 error bound on an 8-bit interpolated value (~8 ulp of 255)


def bilinear(v00, v01, v10, v11, tx, ty, out):
    """Bilinear interpolation in SciPy's operation order, in place.

    ``top = v00 + (v01 - v00) * tx`` and ``bottom = v10 + (v11 - v10) * tx``
    (``tx`` the column weight), then ``out = top + (bottom - top) * ty``:
    the order of floating-point operations both warp paths rely on.
    ``v11`` is overwritten (it holds ``bottom - top``).  Returns ``out``.

    Examples
    --------
    >>> import numpy as np
    >>> v = [np.array([0.0]), np.array([2.0]), np.array([4.0]), np.array([6.0])]
    >>> bilinear(*v, np.array([0.5]), np.array([0.5]), np.empty(1))
    array([3.])
    """
    np.subtract(v01, v00, out=out)
    out *= tx
    out += v00
    v11 -= v10
    v11 *= tx
    v11 += v10
    v11 -= out
    v11 *= ty
    out += v11
    return out

@functools.lru_cache(maxsize=None)
def scipy_offset_first():
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


def scipy_coordinates(mats, rows, cols):
    """SciPy's float64 input coordinates of output pixels ``(rows, cols)``.

    ``mats[..., d, :]`` (matrices of shape ``(..., 2, 3)``) broadcasts
    against ``rows`` and ``cols``.  Returns one array per axis, computed in
    the operation order of the installed SciPy (see :func:`scipy_offset_first`).
    """
    coords = []
    for d in range(2):
        m0, m1, m2 = mats[..., d, 0], mats[..., d, 1], mats[..., d, 2]
        if scipy_offset_first():
            coords.append((m2 + rows * m0) + cols * m1)
        else:
            coords.append((rows * m0 + cols * m1) + m2)
    return coords


def scipy_values(images, mats, pix, *, order, mode, cval, sources=None):
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
        scipy_coordinates(mats[img], rows.astype(np.float64), cols.astype(np.float64))
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


def _wrap_or_reflect(coord, length, mode):
    """Map coordinates outside ``[0, length - 1]`` in place, as SciPy's ``map_coordinate``.

    The operations are those of ``map_coordinate`` in SciPy's
    ``ni_interpolation.c``, in the same order, so that every result -- and
    the order-0 rounding that follows -- is SciPy's to the last bit.  Both
    masks are taken before any value is mapped, as SciPy tests each input
    once.  Mapped values lie in ``[-1, length)``, whose neighbours are all in
    the padded buffer (index ``length`` is the replicated edge, as SciPy's
    reflection of it); a last clip keeps the padded indices in bounds should
    a reduction round outside (never hit by the probes of
    ``tests/test_warp_scipy_probes.py``).
    """
    neg = coord < 0
    big = coord > length - 1
    if mode == "wrap":  # period length - 1: first and last samples overlap
        sz = float(length - 1)
        c = coord[neg]
        coord[neg] = c + sz * (np.trunc(-c / sz) + 1.0)
        c = coord[big]
        coord[big] = c - sz * np.trunc(c / sz)
    else:  # reflect: half-sample symmetric, period 2 * length
        sz2 = 2.0 * length
        c = coord[neg]
        far = c < -sz2
        c[far] = sz2 * np.trunc(-c[far] / sz2) + c[far]
        # -in - 1 directly: no reduction to [0, 2 * length) first (that rounds twice)
        coord[neg] = np.where(c < -length, c + sz2, -c - 1.0)
        c = coord[big]
        c -= sz2 * np.trunc(c / sz2)
        coord[big] = np.where(c >= length, (sz2 - c) - 1.0, c)
    np.clip(coord, -1.0, np.nextafter(float(length), 0.0), out=coord)


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
    elif length <= 1:  # wrap, reflect
        coord[...] = 0.0
    else:
        _wrap_or_reflect(coord, length, mode)
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
    """Write float ``values`` into channel ``k`` of ``out_flat`` with SciPy rounding.

    ``values`` is scratch: it is rounded in place.
    """
    round_to_dtype(values, dtype, ties="away", out=out_flat[:, k], overwrite_input=True)


def warp_chunk(chunk, mats, out, order, mode, cval):
    nb, h, w = chunk.shape[:3]
    c = chunk.shape[3] if chunk.ndim == 4 else 1
    dt = chunk.dtype
    n_pix = nb * h * w
    fast8 = dt.itemsize == 1
    ct = np.float32 if (fast8 or dt == np.float32 or dt == np.float16) else np.float64
    pad_value = round_to_dtype(cval, dt, ties="away")
    flat, W, tail = _pack(chunk, pad_value)

    # input coordinates with SciPy's operation order, as outer sums of a row
    # term (nb, h, 1) and a column term (nb, 1, w)
    rows = np.arange(h, dtype=np.float64)[:, None]
    cols = np.arange(w, dtype=np.float64)
    coords = [x.reshape(-1) for x in scipy_coordinates(mats[:, None, None], rows, cols)]
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
    bot = np.empty(n_pix, dtype=ct)
    for k in range(c):
        bilinear(*(v[:, k] for v in f), txc, tyc, out=bot)
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
            out_flat[near] = scipy_values(chunk, mats, near, order=1, mode=mode, cval=cval)

