"""Warnings raised by imgbalance, for users to catch or filter.

Examples
--------
>>> import warnings
>>> import numpy as np
>>> from imgbalance import ImageFlattener
>>> from imgbalance.exceptions import ChannelsFirstWarning
>>> X = np.zeros((2, 3, 8, 8))  # channels-first: 3 channels of 8 x 8 pixels
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     _ = ImageFlattener().fit(X)
>>> [w.category.__name__ for w in caught]
['ChannelsFirstWarning']
>>> ImageFlattener().fit(X.transpose(0, 2, 3, 1)).image_shape_  # the fix it names
(8, 8, 3)
"""

from ._warnings import ChannelsFirstWarning

__all__ = ["ChannelsFirstWarning"]
