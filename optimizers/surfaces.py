"""Loss surfaces for the lessons: 1-D and 2-D, with analytic gradients.

A point is an array whose last axis holds the coordinates (length 1 or 2); any leading axes
are a batch, so ``loss`` maps ``(..., D) -> (...)`` and ``grad`` maps ``(..., D) -> (..., D)``.
"""

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Optional

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Surface:
    key: str
    title: str
    latex: str
    loss: Callable[[ArrayLike], np.ndarray]      # (..., D) -> (...)
    grad: Callable[[ArrayLike], np.ndarray]      # (..., D) -> (..., D)
    x_range: tuple
    y_range: Optional[tuple]
    minima: tuple            # known minimisers, each a tuple of coordinates; the first is global
    start: tuple             # the lesson's default start point
    blurb: str
    hessian_eigenvalues: Optional[tuple] = None   # for quadratics: the curvatures along the axes

    @property
    def dim(self) -> int:
        return 1 if self.y_range is None else 2

    @property
    def min_value(self) -> float:
        """The global minimum value, from the first known minimiser."""
        return float(self.loss(np.array(self.minima[0])))

    def distance_to_minimum(self, points: ArrayLike) -> np.ndarray:
        """Euclidean distance from each point to the nearest known minimiser: ``(..., D) -> (...)``."""
        points = np.asarray(points, dtype=np.float64)
        minima = np.array(self.minima, dtype=np.float64)
        gaps = points[..., None, :] - minima
        return np.sqrt(np.min(np.sum(gaps * gaps, axis=-1), axis=-1))


def _coords(x):
    x = np.asarray(x, dtype=np.float64)
    return x[..., 0], x[..., 1]


def _stack(*components):
    """The components along a new last axis (``np.stack(components, axis=-1)``, at a third of its cost)."""
    out = np.empty(np.shape(components[0]) + (len(components),))
    for i, component in enumerate(components):
        out[..., i] = component
    return out


# ---- 1-D ---------------------------------------------------------------------------------

def _parabola_loss(x):
    return (np.asarray(x, dtype=np.float64)[..., 0] - 2.0) ** 2


def _parabola_grad(x):
    return 2.0 * (np.asarray(x, dtype=np.float64) - 2.0)


def _two_wells_loss(x):
    x = np.asarray(x, dtype=np.float64)[..., 0]
    return x**4 - 3.0 * x**2 + x


def _two_wells_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return 4.0 * x**3 - 6.0 * x + 1.0


def _two_wells_minima():
    """The real roots of 4x³ - 6x + 1 where the curvature 12x² - 6 is positive, global first."""
    roots = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
    minima = [r for r in roots if 12 * r * r - 6 > 0]
    return tuple(sorted(((float(r),) for r in minima), key=lambda p: _two_wells_loss(np.array(p))))


# ---- 2-D ---------------------------------------------------------------------------------

BOWL_CURVATURES = (1.0, 10.0)
_ROTATION = np.array([[np.cos(np.pi / 4), -np.sin(np.pi / 4)], [np.sin(np.pi / 4), np.cos(np.pi / 4)]])
_ROTATED_HESSIAN = _ROTATION @ np.diag(BOWL_CURVATURES) @ _ROTATION.T
_ROTATED_HESSIAN.flags.writeable = False


def _bowl_loss(x):
    a, b = _coords(x)
    return 0.5 * (BOWL_CURVATURES[0] * a**2 + BOWL_CURVATURES[1] * b**2)


def _bowl_grad(x):
    a, b = _coords(x)
    return _stack(BOWL_CURVATURES[0] * a, BOWL_CURVATURES[1] * b)


def _rotated_loss(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * np.einsum("...i,ij,...j->...", x, _ROTATED_HESSIAN, x)


def _rotated_grad(x):
    return np.asarray(x, dtype=np.float64) @ _ROTATED_HESSIAN.T


def _saddle_loss(x):
    a, b = _coords(x)
    return a**2 - b**2 + 0.25 * b**4


def _saddle_grad(x):
    a, b = _coords(x)
    return _stack(2.0 * a, -2.0 * b + b**3)


def _rosenbrock_loss(x):
    a, b = _coords(x)
    return (1.0 - a) ** 2 + 100.0 * (b - a * a) ** 2


def _rosenbrock_grad(x):
    a, b = _coords(x)
    ridge = b - a * a
    grad = np.empty(np.shape(ridge) + (2,))
    np.subtract(-2.0 * (1.0 - a), 400.0 * a * ridge, out=grad[..., 0])
    np.multiply(200.0, ridge, out=grad[..., 1])
    return grad


_BEALE_C = (1.5, 2.25, 2.625)


def _beale_loss(x):
    a, b = _coords(x)
    return sum((c - a + a * b**k) ** 2 for k, c in enumerate(_BEALE_C, start=1))


def _beale_grad(x):
    a, b = _coords(x)
    ga = gb = 0.0
    for k, c in enumerate(_BEALE_C, start=1):
        residual = c - a + a * b**k
        ga = ga + 2.0 * residual * (b**k - 1.0)
        gb = gb + 2.0 * residual * k * a * b ** (k - 1)
    return _stack(ga + 0.0 * a, gb + 0.0 * b)


def _himmelblau_loss(x):
    a, b = _coords(x)
    return (a * a + b - 11.0) ** 2 + (a + b * b - 7.0) ** 2


def _himmelblau_grad(x):
    a, b = _coords(x)
    first, second = a * a + b - 11.0, a + b * b - 7.0
    return _stack(4.0 * a * first + 2.0 * second, 2.0 * first + 4.0 * b * second)


def _rastrigin_loss(x):
    x = np.asarray(x, dtype=np.float64)
    return 10.0 * x.shape[-1] + np.sum(x * x - 10.0 * np.cos(2 * np.pi * x), axis=-1)


def _rastrigin_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return 2.0 * x + 20.0 * np.pi * np.sin(2 * np.pi * x)


VALLEY_CURVATURES = (1.0, 100.0)
_VALLEY_HESSIAN = _ROTATION @ np.diag(VALLEY_CURVATURES) @ _ROTATION.T
_VALLEY_HESSIAN.flags.writeable = False


def _valley_loss(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * np.einsum("...i,ij,...j->...", x, _VALLEY_HESSIAN, x)


def _valley_grad(x):
    return np.asarray(x, dtype=np.float64) @ _VALLEY_HESSIAN.T


def _plateau_loss(x):
    a, b = _coords(x)
    return 1.0 - np.exp(-(a * a + b * b) / 2.0)


def _plateau_grad(x):
    a, b = _coords(x)
    well = np.exp(-(a * a + b * b) / 2.0)
    return _stack(a * well, b * well)


_ALL = (
    Surface("parabola", "Parabola (x−2)²", r"f(x) = (x-2)^2", _parabola_loss, _parabola_grad,
            (-3.0, 9.0), None, ((2.0,),), (8.0,),
            "The classic first lesson: one minimum at x = 2, curvature 2 everywhere.",
            hessian_eigenvalues=(2.0,)),
    Surface("two_wells", "Two wells", r"f(x) = x^4 - 3x^2 + x", _two_wells_loss, _two_wells_grad,
            (-2.2, 2.2), None, _two_wells_minima(), (2.0,),
            "A shallow local minimum on the right and the global one on the left: "
            "who gets stuck where depends on step size and momentum."),
    Surface("bowl", "Ill-conditioned bowl", r"f(x, y) = \tfrac12\,(x^2 + 10\,y^2)", _bowl_loss, _bowl_grad,
            (-6.0, 6.0), (-3.0, 3.0), ((0.0, 0.0),), (-5.0, 2.0),
            "Curvature 10 across the valley, 1 along it: plain gradient descent zigzags.",
            hessian_eigenvalues=BOWL_CURVATURES),
    Surface("rotated_bowl", "Rotated bowl",
            r"f(\mathbf{x}) = \tfrac12\,\mathbf{x}^\top R_{45^\circ}\,\mathrm{diag}(1, 10)\,R_{45^\circ}^\top\mathbf{x}",
            _rotated_loss, _rotated_grad, (-5.0, 5.0), (-5.0, 5.0), ((0.0, 0.0),), (-4.0, -1.0),
            "The same bowl turned by 45°: its axes no longer line up with the coordinates, "
            "so per-coordinate scaling cannot undo the bad conditioning.",
            hessian_eigenvalues=BOWL_CURVATURES),
    Surface("saddle", "Saddle", r"f(x, y) = x^2 - y^2 + \tfrac14 y^4", _saddle_loss, _saddle_grad,
            (-2.5, 2.5), (-2.5, 2.5), ((0.0, np.sqrt(2.0)), (0.0, -np.sqrt(2.0))), (-2.0, 0.01),
            "A saddle point at the origin between two valleys at y = ±√2: "
            "the gradient across the saddle is tiny, so plain descent lingers there."),
    Surface("rosenbrock", "Rosenbrock", r"f(x, y) = (1-x)^2 + 100\,(y - x^2)^2",
            _rosenbrock_loss, _rosenbrock_grad, (-2.0, 2.0), (-1.0, 3.0), ((1.0, 1.0),), (-1.2, 1.0),
            "A long curved valley with a flat floor: easy to find, slow to follow to (1, 1)."),
    Surface("beale", "Beale",
            r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
            _beale_loss, _beale_grad, (-4.5, 4.5), (-4.5, 4.5), ((3.0, 0.5),), (1.0, 1.75),
            "Flat plateaus and steep walls; the minimum sits at (3, 0.5)."),
    Surface("himmelblau", "Himmelblau", r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            _himmelblau_loss, _himmelblau_grad, (-5.0, 5.0), (-5.0, 5.0),
            ((3.0, 2.0), (-2.805118086952745, 3.131312518250573),
             (-3.779310253377747, -3.283185991286170), (3.584428340330492, -1.848126526964404)),
            (0.0, 0.0), "Four minima of equal depth: the start decides which one you reach."),
    Surface("rastrigin", "Rastrigin",
            r"f(x, y) = 20 + \sum_{i} \left(x_i^2 - 10\cos 2\pi x_i\right)",
            _rastrigin_loss, _rastrigin_grad, (-5.12, 5.12), (-5.12, 5.12), ((0.0, 0.0),), (3.2, -2.6),
            "A bowl covered in dimples: dozens of local minima, one global minimum at the origin."),
    Surface("plateau", "Plateau", r"f(x, y) = 1 - e^{-(x^2 + y^2)/2}", _plateau_loss, _plateau_grad,
            (-5.0, 5.0), (-5.0, 5.0), ((0.0, 0.0),), (4.0, 3.0),
            "A narrow well in a flat plain: far from the well the gradient is almost zero."),
    Surface("narrow_valley", "Narrow valley",
            r"f(\mathbf{x}) = \tfrac12\,\mathbf{x}^\top R_{45^\circ}\,\mathrm{diag}(1, 100)\,R_{45^\circ}^\top\mathbf{x}",
            _valley_loss, _valley_grad, (-5.0, 5.0), (-5.0, 5.0), ((0.0, 0.0),), (-4.0, -2.0),
            "A sharp, narrow valley along the diagonal: curvature 100 across it, 1 along it, "
            "and neither direction is a coordinate axis.",
            hessian_eigenvalues=VALLEY_CURVATURES),
)

SURFACES = MappingProxyType({surface.key: surface for surface in _ALL})


def get(key: str) -> Surface:
    """The surface named ``key``; ValueError listing the valid names otherwise."""
    try:
        return SURFACES[key]
    except KeyError:
        raise ValueError(f"Unknown surface {key!r}; choose one of: {', '.join(SURFACES)}.") from None
