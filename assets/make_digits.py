"""Make assets/digits.npz from scikit-learn's bundled copy of the UCI digits (run once, outside the app).

    python -m venv /tmp/skenv && /tmp/skenv/bin/pip install scikit-learn
    /tmp/skenv/bin/python assets/make_digits.py

The app itself never imports scikit-learn: it reads the .npz with NumPy (models/data.py).
The file holds ``images`` (1797, 8, 8) uint8 with pixels 0..16 and ``target`` (1797,) uint8,
in scikit-learn's order.  Licence and source: assets/DIGITS_LICENSE.txt.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent / "digits.npz"

digits = load_digits()
images = digits.images.astype(np.uint8)
assert images.shape == (1797, 8, 8) and images.min() == 0 and images.max() == 16
assert np.array_equal(images, digits.images)          # the pixels are whole numbers: nothing lost
np.savez_compressed(OUT, images=images, target=digits.target.astype(np.uint8))
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
