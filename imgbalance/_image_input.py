"""What every estimator taking image batches shares, written once.

:class:`HOGTransformer`, :class:`ImageFlattener`, :class:`ImageReshaper`,
:class:`AugmentationOverSampler` and :class:`ImageResampler` take the same
input (see :mod:`imgbalance._validation` for the contract).  This module
holds the three things they would otherwise each repeat:

* :class:`ImageInputMixin` -- the input tags: image batches (``three_d_array``)
  and flattened rows (``two_d_array``; scikit-learn's ``check_estimator``
  runs nothing but the clone check without it);
* :data:`IMAGE_SHAPE_CONSTRAINT` -- the ``image_shape`` entry of
  ``_parameter_constraints`` (its value is checked by
  :func:`imgbalance._validation.check_image_shape`);
* :func:`image_input_docstring` -- imbalanced-learn's ``Substitution``
  decorator (the precedent for shared docstring text) filling the
  ``{image_shape}`` parameter and ``{image_attributes}`` placeholders, plus
  any other keyword given (docstrings are formatted once, so pass all of
  them to one call).  Literal braces in a decorated docstring are written
  ``{{`` and ``}}``.
"""

from imblearn.utils import Substitution

__all__ = ["IMAGE_SHAPE_CONSTRAINT", "ImageInputMixin", "image_input_docstring"]

IMAGE_SHAPE_CONSTRAINT = {"image_shape": [tuple, list, None]}

# Placeholders sit at the parameter indentation (4 spaces): continuation lines
# carry the 8 spaces of a numpydoc description, later names 4.
_IMAGE_SHAPE_DOC = """image_shape : tuple of int or None, default=None
        Shape ``(height, width)`` or ``(height, width, n_channels)`` of one
        image when ``X`` is passed flattened as ``(n_samples, n_features)``
        (rows in C order); checked against image arrays, which carry their
        own shape.  If None, a 2-D ``X`` is taken as ``1 x n_features``
        images.  Images are channels-last: input that looks channels-first
        (``(n_samples, 3, 32, 32)``, or such an ``image_shape``) gets a
        :class:`~imgbalance.exceptions.ChannelsFirstWarning` naming the
        fix, ``X.transpose(0, 2, 3, 1)``; it is never transposed silently."""

_IMAGE_ATTRIBUTES_DOC = """image_shape_ : tuple of int
        Shape of one image seen when fitting.

    n_features_in_ : int
        Number of pixel values per image, ``prod(image_shape_)``."""



def image_input_docstring(**more):
    """Class decorator: fill the shared placeholders (and ``more``) of its docstring."""
    return Substitution(
        image_shape=_IMAGE_SHAPE_DOC, image_attributes=_IMAGE_ATTRIBUTES_DOC, **more
    )


class ImageInputMixin:
    """Input tags of an estimator that takes image batches or flattened images.

    Put it left of ``BaseEstimator`` (or of an imbalanced-learn base class).
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = True
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = False
        return tags
