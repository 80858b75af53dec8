"""The fast warp path: 8-bit images, bilinear, mode "nearest" (pure NumPy).

This is the augmentation default.  :class:`FastU8Bilinear` replaces the
general path of :mod:`._scipy_exact` for 8-bit images with 1 to 4 channels
(its speed-up is measured by ``benchmarks/bench_warp_paths.py``, recorded in
``benchmarks/results/bench_warp_paths.txt``) and gives the
same output:

* coordinates come from one small matrix product per block (BLAS, kept
  single-threaded); their truncated integer parts are clamped to the padded
  image instead of clamping the coordinates, which gives the edge values
  exactly because the two neighbours read there are equal;
* one-channel images are gathered from a table whose 32-bit words pack the
  four bilinear neighbours of a pixel (one gather per output pixel);
* all channels are interpolated by the same NumPy calls (``(c, npix)`` arrays);
* rounding goes through the float32 bits of ``v + 256.5``, which also tells
  which values lie within 8 * 2**-15 of a rounding boundary (more than twice
  the float32 error bound); those few values (17 of the 2**15 fraction
  values) are taken from SciPy itself (:func:`._scipy_exact.scipy_values`),
  so the output is identical to SciPy's.
"""

import numpy as np

from ._scipy_exact import bilinear, scipy_values

__all__ = ["FastU8Bilinear", "use_fast_path"]

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


def use_fast_path(images, mats, order, mode):
    """Whether :class:`FastU8Bilinear` handles this call."""
    if images.dtype != np.uint8 or order != 1 or mode != "nearest":
        return False
    if images.ndim == 4 and images.shape[3] > 4:
        return False
    h, w = images.shape[1:3]
    if (h + 2) * (w + 2) >= 2**31 // 4:  # int32 table indices
        return False
    # non-finite coordinates (a finite matrix can overflow) take the general path
    return bool(np.isfinite(_coordinate_reach(mats, h, w)))


class FastU8Bilinear:
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
      by SciPy itself (:func:`scipy_values`)
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
            bilinear(*v, tx, ty, out=acc)
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
            bilinear(*v, tx, ty, out=acc)
            self._finish(acc, tmp, out_block, flag)
            anyf = flag[0]
            for k in range(1, c):
                anyf |= flag[k]
            hits = np.flatnonzero(anyf)
        if hits.size:
            self.flagged.append(hits + pix0)

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
                        out_all[pix] = scipy_values(
                            images, mats, pix, order=1, mode="nearest", cval=0.0,
                            sources=sources,
                        )
