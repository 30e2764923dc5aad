"""The data the models train on: the 8×8 digits (shipped in assets/, no download) and a seeded noisy sine."""

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

ASSET = Path(__file__).resolve().parents[1] / "assets" / "digits.npz"
PIXEL_MAX = 16.0          # the digits' pixels count "on" cells in a 4×4 block: 0..16, not 0..255
TEST_FRACTION = 0.2


class Digits(NamedTuple):
    """One split of the digits: inputs scaled to [0, 1], integer labels, and the raw images."""

    x_train: np.ndarray       # (n_train, 64) float64, pixel / 16
    y_train: np.ndarray       # (n_train,) int
    x_test: np.ndarray        # (n_test, 64)
    y_test: np.ndarray        # (n_test,)
    images_test: np.ndarray   # (n_test, 8, 8) uint8, pixels 0..16, for showing mistakes


def _read_only(array):
    array.setflags(write=False)
    return array


@lru_cache(maxsize=1)
def load_digits():
    """The 1,797 images (uint8, pixels 0..16) and their labels, from assets/digits.npz (read-only)."""
    with np.load(ASSET) as archive:
        return _read_only(archive["images"].copy()), _read_only(archive["target"].astype(np.int64))


def normalise(images):
    """Pixels 0..16 -> 0..1 (the tutorial divides by 255, which squeezes every input below 0.07)."""
    return np.asarray(images, dtype=np.float64).reshape(len(images), -1) / PIXEL_MAX


def digits_split(seed=0, test_fraction=TEST_FRACTION):
    """A fixed, seeded train/test split: a permutation of the 1,797 images, the first 20 % for testing."""
    images, target = load_digits()
    order = np.random.default_rng(seed).permutation(len(images))
    n_test = int(round(test_fraction * len(images)))
    test, train = order[:n_test], order[n_test:]
    return Digits(normalise(images[train]), target[train], normalise(images[test]), target[test], images[test])


class Series(NamedTuple):
    """A noisy sine: x_t = sin(2πt/period) + σ·noise_t; the last ``test_length`` points are the test stretch."""

    clean: np.ndarray         # (length,)
    noisy: np.ndarray         # (length,)
    test_start: int           # index of the first test point


def noisy_sine(length=400, period=20.0, noise=0.1, test_length=100, seed=0):
    """The RNN's series, generated from ``seed`` (Gaussian noise of standard deviation ``noise``)."""
    t = np.arange(length, dtype=np.float64)
    clean = np.sin(2 * np.pi * t / period)
    noisy = clean + noise * np.random.default_rng(seed).standard_normal(length)
    return Series(clean, noisy, length - test_length)
