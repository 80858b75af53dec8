"""HOG descriptors beside the min-max scaled pixels, as one feature table."""

import math

from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MinMaxScaler

from ._hog import hog_n_features
from ._hog_transformer import HOGTransformer
from ._reshape import ImageFlattener

__all__ = ["hog_pixel_weight", "make_hog_and_pixels"]

#: The pixel weight on the reference shape: on 28x28 images with (4, 4) cells
#: and (2, 2) blocks it gives the HOG part and the min-max scaled pixels about
#: the same Euclidean norm (about 6).
REFERENCE_PIXEL_WEIGHT = 0.5
_REFERENCE_SHAPE, _REFERENCE_CELL = (28, 28), (4, 4)


def hog_pixel_weight(image_shape, pixels_per_cell=(4, 4), cells_per_block=(2, 2)):
    """Weight of the pixels beside HOG that keeps the two parts' norms balanced.

    The HOG part's norm grows as the square root of its number of blocks
    (each block is normalised; colour images give one descriptor), the pixel
    part's as the square root of ``h * w * c``.  The returned weight keeps
    their ratio what it is on 28x28 images with (4, 4) cells and (2, 2)
    blocks, where it is 0.5.

    Parameters
    ----------
    image_shape : tuple of int
        ``(height, width)`` or ``(height, width, n_channels)`` of one image.
    pixels_per_cell : tuple of int, default=(4, 4)
        The HOG cell size.
    cells_per_block : tuple of int, default=(2, 2)
        The HOG block size, in cells.

    Returns
    -------
    weight : float

    Examples
    --------
    >>> from imgbalance.feature_extraction import hog_pixel_weight
    >>> hog_pixel_weight((28, 28))
    0.5
    >>> round(hog_pixel_weight((8, 8), (2, 2)), 3)
    0.875
    """

    def blocks(image_hw, cell):  # HOG features per orientation
        return hog_n_features(
            image_hw, orientations=1, pixels_per_cell=cell, cells_per_block=cells_per_block
        )

    hog_ratio = blocks(tuple(image_shape[:2]), tuple(pixels_per_cell)) / blocks(
        _REFERENCE_SHAPE, _REFERENCE_CELL
    )
    pixel_ratio = math.prod(image_shape) / math.prod(_REFERENCE_SHAPE)
    return REFERENCE_PIXEL_WEIGHT * math.sqrt(hog_ratio / pixel_ratio)


class _AutoWeightedUnion(FeatureUnion):
    """The HOG + pixels union whose pixel weight follows the images of ``fit``.

    ``pixel_weight="auto"`` is resolved in ``fit`` by :func:`hog_pixel_weight`
    from the shape of the images the pixel branch saw and the HOG branch's
    cells and blocks (``pixel_weight_``); the pixel columns of the output are
    multiplied by it.  A ``"pixels"`` entry of ``transformer_weights`` takes
    precedence (``pixel_weight_`` is then None and the union weighs them).
    A branch set to ``"drop"`` or ``"passthrough"`` (``set_params(hog="drop")``)
    leaves nothing to balance: ``pixel_weight_`` is then None, or the given
    float when only HOG is replaced.
    """

    def __init__(self, transformer_list, *, pixel_weight="auto", n_jobs=None,
                 transformer_weights=None, verbose=False, verbose_feature_names_out=True):
        super().__init__(
            transformer_list, n_jobs=n_jobs, transformer_weights=transformer_weights,
            verbose=verbose, verbose_feature_names_out=verbose_feature_names_out,
        )
        self.pixel_weight = pixel_weight

    def _resolve(self):
        pixels, hog = self.named_transformers["pixels"], self.named_transformers["hog"]
        if "pixels" in (self.transformer_weights or {}) or isinstance(pixels, str):
            self.pixel_weight_ = None
            return
        if self.pixel_weight != "auto":
            self.pixel_weight_ = float(self.pixel_weight)
            return
        if isinstance(hog, str):  # "drop" or "passthrough": no HOG part to balance against
            self.pixel_weight_ = None
            return
        hog = hog.get_params()
        self.pixel_weight_ = hog_pixel_weight(
            pixels[0].image_shape_, hog["pixels_per_cell"], hog["cells_per_block"]
        )

    def _weigh(self, Xt):
        if self.pixel_weight_ is None:
            return Xt
        n = self.named_transformers["pixels"][-1].n_features_in_
        if hasattr(Xt, "iloc"):  # pandas output
            Xt = Xt.copy()
            Xt.iloc[:, -n:] = Xt.iloc[:, -n:] * self.pixel_weight_
        else:
            Xt[:, -n:] *= self.pixel_weight_  # a fresh array from the union
        return Xt

    def fit(self, X, y=None, **params):
        super().fit(X, y, **params)
        self._resolve()
        return self

    def fit_transform(self, X, y=None, **params):
        Xt = super().fit_transform(X, y, **params)
        self._resolve()
        return self._weigh(Xt)

    def transform(self, X, **params):
        return self._weigh(super().transform(X, **params))


def make_hog_and_pixels(hog=None, *, pixel_weight=REFERENCE_PIXEL_WEIGHT, image_shape=None):
    """HOG descriptors beside the pixels min-max scaled to ``[0, pixel_weight]``.

    Parameters
    ----------
    hog : HOGTransformer or None, default=None
        The HOG step; None means ``HOGTransformer(pixels_per_cell=(4, 4),
        cells_per_block=(2, 2), image_shape=image_shape)``.
    pixel_weight : float or "auto", default=0.5
        The ``transformer_weights`` entry of the pixels: each scaled pixel
        lies in ``[0, pixel_weight]``.  :func:`hog_pixel_weight` gives the
        weight that balances the two parts on another image shape;
        ``"auto"`` computes it in ``fit`` from the images the union sees and
        the HOG step's ``pixels_per_cell`` and ``cells_per_block`` (the
        fitted union's ``pixel_weight_``; a ``"pixels"`` entry set in
        ``transformer_weights`` later, e.g. by a grid, takes precedence).
        This is the ``"hog+pixels"`` of :func:`~imgbalance.make_resampling_search`.
    image_shape : tuple of int or None, default=None
        Passed to the pixel branch's :class:`ImageFlattener` (and to the
        default ``hog``), for flattened input.

    Returns
    -------
    union : sklearn.pipeline.FeatureUnion
        (a subclass of it with a ``pixel_weight`` parameter for ``"auto"``)
        With the branches ``"hog"`` and ``"pixels"`` (a pipeline of
        ``"flatten"`` and ``"minmax"``), so that grid keys read
        ``features__hog__pixels_per_cell`` and
        ``features__transformer_weights``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.feature_extraction import make_hog_and_pixels
    >>> X = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    >>> make_hog_and_pixels().fit_transform(X).shape  # 1296 HOG + 784 pixels
    (5, 2080)
    >>> union = make_hog_and_pixels(pixel_weight="auto").fit(np.zeros((2, 56, 56)))
    >>> round(union.pixel_weight_, 3)  # hog_pixel_weight((56, 56))
    0.542
    >>> round(make_hog_and_pixels(pixel_weight="auto").fit(np.zeros((2, 8, 8))).pixel_weight_, 3)
    0.292
    """
    if hog is None:
        hog = HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2), image_shape=image_shape)
    pixels = Pipeline(
        [("flatten", ImageFlattener(image_shape=image_shape)), ("minmax", MinMaxScaler())]
    )
    if isinstance(pixel_weight, str):
        if pixel_weight != "auto":
            raise ValueError(f"pixel_weight must be a float or 'auto'; got {pixel_weight!r}.")
        return _AutoWeightedUnion([("hog", hog), ("pixels", pixels)], pixel_weight="auto")
    return FeatureUnion(
        [("hog", hog), ("pixels", pixels)], transformer_weights={"pixels": pixel_weight}
    )
