"""When a run is diverging, and how to write its numbers: pure functions shared by figures, tables and prose.

The core marks a run *diverged* at its first non-finite point (``Trajectory.diverged_at``).  A run
can be diverging long before that: SGD with α = 10 on (θ − 2)² multiplies its distance to the
minimum by |1 − 2α| = 19 every step and is still finite after 50 steps (θ ≈ −5·10⁶⁴).  The rule
used everywhere in the course:

    gap_t = f(θ_t) − f*                         (the loss above the surface's minimum value)
    limit  = 10⁶ · max(gap_0, 1)                (a million times the start's gap, at least 10⁶)
    diverging from step k  ⇔  k ≥ 1 is the first step with gap_t > limit for every finite t ≥ k

The ``max(…, 1)`` keeps a start on (or next to) the minimum, whose gap is 0 or tiny, from calling a
harmless wiggle "diverging".  A run that never stays above the limit is not diverging, even if it
later hits NaN: that NaN came from arithmetic such as 0/0, not from numbers growing out of range
(:func:`stop_kind`).
"""

import math

import numpy as np

BLOWUP_FACTOR = 1e6
RULE = ("from that step to its last finite point, its loss above the surface's minimum stays more than "
        "10⁶ times the start's, and more than 10⁶")


def blowup_limit(gap0):
    """10⁶ · max(gap₀, 1): the loss gap above which a run counts as blown up."""
    return BLOWUP_FACTOR * max(float(gap0), 1.0)


def diverging_from(losses, min_value):
    """The first step k ≥ 1 from which ``losses − min_value`` stays above :func:`blowup_limit` up to the
    last finite loss; -1 if there is none (see the module docstring for the rule)."""
    gaps = np.asarray(losses, dtype=float) - min_value
    finite = np.isfinite(gaps)
    if gaps.size < 2 or not finite[0]:
        return -1
    last = len(gaps) - 1 if finite.all() else int(np.argmin(finite)) - 1
    above = gaps[1:last + 1] > blowup_limit(gaps[0])
    if not above.size or not above[-1]:
        return -1
    below = np.flatnonzero(~above)
    return int(below[-1] + 2) if below.size else 1


def stop_kind(losses, min_value, diverged_at):
    """Why a run stopped being finite: ``"overflow"`` (it was diverging first), ``"nan"`` (a value became
    NaN out of normal-sized numbers, e.g. 0/0) or ``None`` (it stayed finite)."""
    if diverged_at < 0:
        return None
    return "overflow" if diverging_from(losses, min_value) >= 0 else "nan"


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def short_number(value, digits=4):
    """A table cell: ``digits`` significant digits, scientific as m×10ⁿ outside [10⁻³, 10⁵); "—" if not finite.

    >>> short_number(2.7e129), short_number(0.000123456), short_number(1.98695)
    ('2.7×10¹²⁹', '1.235×10⁻⁴', '1.987')
    """
    if value is None or not math.isfinite(value):
        return "—"
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"
