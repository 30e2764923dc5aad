"""Run an optimizer for a number of steps and keep the history the lessons draw."""

from dataclasses import dataclass
from typing import Callable, Optional, Union

import numpy as np
from numpy.typing import ArrayLike

from .base import Optimizer, check_nonnegative


@dataclass(frozen=True)
class Trajectory:
    """Everything one (possibly batched) run produced.

    Shapes, for ``x0`` of shape ``(*batch, D)`` and ``steps`` steps:

    - ``params``: ``(steps + 1, *batch, D)``; ``params[0]`` is ``x0``, ``params[k]`` the point after k steps.
    - ``losses``: ``(steps + 1, *batch)``, the loss at each point (when a loss function was given).
    - ``grads``: ``(steps, *batch, D)``, ``grads[k]`` the gradient used at ``params[k]`` (noise included).
    - ``updates``: ``(steps, *batch, D)``, the step the optimizer proposed, ``params[k+1] - params[k]``
      before any projection onto the bounds.
    - ``states``: name -> ``(steps, ...)``, the optimizer state after each step (m, v, ...) and the
      derived values its ``inspect`` gives (m̂, v̂, the effective learning rate).
    - ``diverged_at``: ``(*batch)`` ints, the first index k whose point (or loss) is not finite, or -1.
      Everything from that index on is NaN, so a figure draws nothing past it.
    """

    params: np.ndarray
    losses: Optional[np.ndarray] = None
    grads: Optional[np.ndarray] = None
    updates: Optional[np.ndarray] = None
    states: Optional[dict] = None
    diverged_at: Optional[np.ndarray] = None

    @property
    def steps(self) -> int:
        return self.params.shape[0] - 1

    @property
    def diverged(self) -> np.ndarray:
        """True for each run in the batch that left the finite world."""
        return self.diverged_at >= 0


def run(optimizer: Optimizer, grad_fn: Callable[..., ArrayLike], x0: ArrayLike, steps: int, *,
        loss_fn: Optional[Callable[[np.ndarray], ArrayLike]] = None, keep_state: Union[bool, str] = False,
        grad_noise: ArrayLike = 0.0, seed: Optional[int] = None,
        bounds: Optional[tuple[ArrayLike, ArrayLike]] = None, param_ndim: Optional[int] = None,
        with_step: bool = False) -> Trajectory:
    """Apply ``optimizer`` for ``steps`` steps from ``x0``.

    ``grad_fn(params) -> grads`` is called once per step, in order (so an online problem may
    count its calls).  With ``with_step=True`` it is called as ``grad_fn(params, t)``, t = 1, 2, ...
    the step number, for an online problem whose loss changes with time (see ``online.py``).
    ``loss_fn(points)`` is evaluated once, vectorised, on the whole history.
    ``grad_noise`` (a standard deviation, scalar or array broadcasting against the params) adds
    seeded Gaussian noise to every gradient.  ``bounds=(low, high)`` projects each new point onto
    that box.  The last ``param_ndim`` axes of ``x0`` form one parameter (default: the last axis,
    or none for a scalar); leading axes are a batch of independent runs.

    With ``keep_state=False`` only params (and losses) are kept: the fast path.  ``keep_state=True``
    keeps grads, updates, the state and the derived values of ``optimizer.inspect``;
    ``keep_state="raw"`` the same without the derived values (cheaper when a page needs none).
    """
    x0, steps, param_ndim = _check_inputs(x0, steps, param_ndim)
    if keep_state not in (False, True, "raw"):
        raise ValueError(f'keep_state must be False, True or "raw", got {keep_state!r}.')
    inspect = optimizer.inspect if keep_state and keep_state != "raw" else None
    grad_noise = check_nonnegative("grad_noise", grad_noise)
    noisy = np.any(np.asarray(grad_noise) > 0)
    rng = np.random.default_rng(seed) if noisy else None

    params = np.empty((steps + 1,) + x0.shape)
    params[0] = x0
    grads, updates, states = [], [], []
    state = optimizer.init(x0)
    with np.errstate(all="ignore"):
        for k in range(steps):
            # `...` keeps these arrays (views) even for a scalar x0, so `out=` can write into them.
            point, after = params[k, ...], params[k + 1, ...]
            g = _checked_grad(grad_fn(point, k + 1) if with_step else grad_fn(point), point.shape)
            if noisy:
                g = g + grad_noise * rng.standard_normal(point.shape)
            step, state = optimizer.update(g, state, point)
            np.add(point, step, out=after)
            if bounds is not None:          # np.clip, without its overhead on small arrays
                np.minimum(np.maximum(after, bounds[0], out=after), bounds[1], out=after)
            if keep_state:
                grads.append(np.array(g))   # grad_fn may reuse its output buffer
                updates.append(step)
                states.append(_state_record(state, inspect))
        losses = None if loss_fn is None else np.asarray(loss_fn(params), dtype=np.float64)

    diverged_at = _first_nonfinite(params, losses, param_ndim)
    history = dict(params=params, losses=losses)
    if keep_state:
        history.update(grads=_stack(grads, x0.shape, steps), updates=_stack(updates, x0.shape, steps),
                       states={name: np.stack([s[name] for s in states]) for name in (states[0] if states else {})})
    _blank_after_divergence(history, diverged_at)
    return Trajectory(diverged_at=diverged_at, **history)


def _check_inputs(x0, steps, param_ndim):
    try:
        x0 = np.array(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be a number or an array of numbers, got {x0!r}.") from None
    if not np.all(np.isfinite(x0)):
        raise ValueError("x0 (the start point) contains NaN or infinite values; choose finite numbers.")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number ≥ 0, got {steps!r}.")
    if param_ndim is None:
        param_ndim = min(1, x0.ndim)
    if not 0 <= param_ndim <= x0.ndim:
        raise ValueError(f"param_ndim must lie between 0 and x0.ndim = {x0.ndim}, got {param_ndim}.")
    return x0, int(steps), param_ndim


def _checked_grad(g, shape):
    g = np.asarray(g, dtype=np.float64)
    if g.shape != shape:
        raise ValueError(f"grad_fn returned an array of shape {g.shape}, but the parameters have shape "
                         f"{shape}; it must return one gradient entry per parameter.")
    return g


def _state_record(state, inspect=None):
    """The state's arrays and, given the optimizer's ``inspect``, its derived values, as a flat dict."""
    record = {name: value for name, value in state._asdict().items()
              if name != "count" and value is not None and np.ndim(value) > 0}
    if inspect is not None:
        record.update(inspect(state))
    return {name: np.array(value, dtype=np.float64) for name, value in record.items()}


def _stack(arrays, shape, steps):
    return np.stack(arrays) if steps else np.empty((0,) + shape)


def _first_nonfinite(params, losses, param_ndim):
    """Index of the first point (or loss) that is not finite, per run in the batch; -1 if none."""
    lead = params.ndim - param_ndim
    # Each point's own axes go first, so "all coordinates finite" is an AND of long contiguous
    # rows; numpy reduces a short trailing axis one tiny row at a time, ~20x slower.
    finite = np.isfinite(np.moveaxis(params, range(lead, params.ndim), range(param_ndim)), order="C")
    finite = np.all(finite, axis=tuple(range(param_ndim)))
    if losses is not None and losses.shape == finite.shape:
        finite &= np.isfinite(losses)
    if finite.all():
        return np.full(finite.shape[1:], -1)
    bad = ~finite
    return np.where(bad.any(axis=0), bad.argmax(axis=0), -1)


def _blank_after_divergence(history, diverged_at):
    """Set everything from the diverging index on to NaN, so nothing past it gets drawn.

    Index k of params and losses is the point after k steps; index k of the per-step records
    (grads, updates, states) is the step taken from point k.  Both are blanked from
    ``diverged_at`` on, so the records keep the step that produced the bad point: it shows why.
    """
    if not np.any(diverged_at >= 0):
        return
    arrays = [history.get("params"), history.get("losses"), history.get("grads"), history.get("updates")]
    arrays += list((history.get("states") or {}).values())
    for values in arrays:
        if values is not None and values.ndim > diverged_at.ndim:
            _blank(values, diverged_at)


def _blank(values, diverged_at):
    """NaN out ``values[k]`` for every k ≥ diverged_at of each diverged run (in place)."""
    step = np.arange(values.shape[0]).reshape((-1,) + (1,) * diverged_at.ndim)
    dead = (diverged_at >= 0) & (step >= diverged_at)
    dead = dead.reshape(dead.shape + (1,) * (values.ndim - dead.ndim))
    values[np.broadcast_to(dead, values.shape)] = np.nan
