"""The momentum-schedules lesson's live sentences: pure functions of the runs (no Streamlit calls).

The page's other sentences are fixed: they state the schedules' formulas or hold at every setting.
"""

import numpy as np

from ui.words import compare, plural
from .runs import KINDS, LABELS, first_reached


SAME = 1e-12          # two points closer than this (relative to their size) are the same point


def _same_point(a, b):
    """True where two points agree to rounding: |a − b| ≤ 10⁻¹²·(1 + |a|)."""
    return bool(np.all(np.abs(a - b) <= SAME * (1 + np.abs(a))))


def parting_step(path, reference):
    """The first step k at which ``path``'s point differs from ``reference``'s, or None if never."""
    for k in range(min(len(path.points), len(reference.points))):
        if not _same_point(path.points[k], reference.points[k]):
            return k
    return None


def _steps_phrase(step, steps):
    return f"at step {step}" if step is not None else f"not within the {steps} step{'s' if steps != 1 else ''}"


def start_caption(paths, beta1, steps_per_epoch):
    """The caption under the one-surface table: what the three runs share at the start, from the run.

    With the bias correction m̂₁ = (1 − β)g₁/(1 − β) = g₁ whatever β is, so θ₁ is the same for all three
    although the cyclic β₁ starts at β₁/2; the caption says so only where the run's θ₁ agree.  The
    decaying β₁ equals the constant one during epoch 0 (``steps_per_epoch`` steps).
    """
    constant, decay, cyclic = paths
    steps = len(constant.points) - 1
    if beta1 == 0:
        return ("With β₁ = 0 all three schedules are 0 at every step, so the three runs are one and the same run. "
                "Press Play to watch it; below, the loss gap and the distance to the minimum per step.")
    first = [p.points[min(1, steps)] for p in paths]
    if all(_same_point(point, first[0]) for point in first[1:]):
        start = (f"All three take the same first step, although the cyclic β₁ starts at β₁/2 = {beta1 / 2:g}: "
                 "with the bias correction m̂₁ = g₁ whatever β₁ is.")
    else:
        start = "The three first steps differ."
    epoch = f"{steps_per_epoch} step{'s' if steps_per_epoch != 1 else ''}"
    return (f"{start} The decaying β₁ equals the constant one for the first epoch ({epoch}); its run parts from "
            f"the constant one {_steps_phrase(parting_step(decay, constant), steps)}, the cyclic run "
            f"{_steps_phrase(parting_step(cyclic, constant), steps)}. Press Play to watch them; below, the loss "
            "gap and the distance to the minimum per step.")


def correction_sentence(corr, gap=0.01):
    """Where the decaying schedule's divisor 1 − β₁(t)ᵗ and the weight m holds, 1 − Π β₁(k), differ by more
    than ``gap`` (absolute), from the arrays ``corrections`` returns."""
    apart = np.flatnonzero(np.abs(corr["used"] - corr["weight"]) > gap)
    pair = "the decaying schedule's divisor 1 − β₁(t)ᵗ and the weight m holds, 1 − Π β₁(k),"
    if apart.size == 0:
        return f"with these settings {pair} never differ by more than {gap:g}."
    last = int(corr["t"][apart[-1]])
    if last == int(corr["t"][-1]):
        return f"with these settings {pair} still differ by more than {gap:g} at the last step, {last}."
    return f"with these settings {pair} differ by more than {gap:g} up to step {last} and agree within {gap:g} after it."


def halving_sentence(beta1, steps, steps_per_epoch):
    """When the tutorial's decay β₁/(1 + 0.1e) reaches β₁/2: at epoch e = 10, step t = 10·spe + 1."""
    if beta1 == 0:
        return "With β₁ = 0 there is nothing for the decay to take away."
    step = 10 * steps_per_epoch + 1
    if step > steps:
        return (f"At {_plural(steps_per_epoch, 'step')} per epoch the decay halves β₁ at step {step}, after this "
                f"run's {_plural(steps, 'step')}: here it takes away less than half.")
    return (f"At {_plural(steps_per_epoch, 'step')} per epoch the tutorial's decay has already halved β₁ by step "
            f"{step}.")


def _plural(n, word):
    return plural(n, word)


def _reached(rows, tolerance):
    """kind -> the step its run first came within ``tolerance`` (None: not reached), rows in KINDS order."""
    return {kind: first_reached(row, tolerance) for kind, row in zip(KINDS, rows)}


def beats(a, b):
    """True when first-arrival step ``a`` is strictly earlier than ``b`` (None: never arrived)."""
    return a is not None and (b is None or a < b)


def firsts(table, tolerance):
    """kind -> the surfaces on which it arrived first, alone or tied (a surface nobody reached counts for nobody)."""
    out = {kind: [] for kind in KINDS}
    for key, rows in table.items():
        reached = _reached(rows, tolerance)
        done = [step for step in reached.values() if step is not None]
        for kind, step in reached.items():
            if done and step == min(done):
                out[kind].append(key)
    return out


def head_to_head(table, tolerance, kind):
    """(surfaces where ``kind`` beats the constant β₁, surfaces where it loses, surfaces tied or both not reached)."""
    won, lost, even = [], [], []
    for key, rows in table.items():
        reached = _reached(rows, tolerance)
        mine, constant = reached[kind], reached["constant"]
        (won if beats(mine, constant) else lost if beats(constant, mine) else even).append(key)
    return won, lost, even


def _surfaces(keys, names):
    return ", ".join(names[key] for key in keys)


def count_sentence(table, tolerance, names):
    """Who came within ``tolerance`` first on how many of the surfaces, counted from the verdict table."""
    total = len(table)
    wins = firsts(table, tolerance)
    nobody = [key for key, rows in table.items() if all(step is None for step in _reached(rows, tolerance).values())]
    parts = []
    for kind in KINDS:
        n = len(wins[kind])
        where = f" ({_surfaces(wins[kind], names)})" if 0 < n < total else ""
        count = f"none of the {total}" if n == 0 else f"all {total}" if n == total else f"{n} of the {total}"
        parts.append(f"**{LABELS[kind]}** on {count} surfaces{where}")
    tail = (" Ties count for each." if any(len(v) for v in wins.values()) else "")
    if nobody:
        tail += (f" Nobody came within {tolerance:g} on {_plural(len(nobody), 'surface')} "
                 f"({_surfaces(nobody, names)}).")
    return f"First to come within {tolerance:g} of a minimum: " + "; ".join(parts) + "." + tail


def _versus(kind, won, lost, names, table=None, tolerance=None):
    """One schedule against the constant β₁, its words branching on the counts; when neither is ahead anywhere,
    whether that is because they tie or because neither comes within the tolerance (then their final losses)."""
    label = LABELS[kind]
    if not won and not lost:
        unreached = ([key for key, rows in table.items()
                      if _reached(rows, tolerance)[kind] is None and _reached(rows, tolerance)["constant"] is None]
                     if table is not None else [])
        if table is not None and len(unreached) == len(table):
            lower, higher = _final_losses(table, kind)
            return (f"Neither the {label} nor the constant one comes within {tolerance:g} of a minimum on any "
                    f"surface here, so arrival cannot rank them; by final loss the {label} is lower (by more than "
                    f"1 %) on {len(lower)} and higher on {len(higher)} of the {len(table)} surfaces.")
        if unreached:
            return (f"The {label} never beats the constant one and never loses to it here: they arrive at the same "
                    f"step on {_plural(len(table) - len(unreached), 'surface')}, and neither comes within "
                    f"{tolerance:g} on {_plural(len(unreached), 'surface')} ({_surfaces(unreached, names)}).")
        return f"The {label} never beats the constant one and never loses to it here."
    if not lost:
        return (f"The {label} is never behind the constant one here and ahead on {_plural(len(won), 'surface')} "
                f"({_surfaces(won, names)}): at these settings it is an improvement.")
    if not won:
        return (f"The {label} is never ahead of the constant one here and behind on {_plural(len(lost), 'surface')} "
                f"({_surfaces(lost, names)}).")
    return (f"The {label} is ahead of the constant one on {_plural(len(won), 'surface')} ({_surfaces(won, names)}) "
            f"and behind on {_plural(len(lost), 'surface')} ({_surfaces(lost, names)}): not a free improvement.")


def cyclic_sentence(table, tolerance):
    """'The cyclic schedule wins on N of 6 surfaces', N counted from the verdict table, words branching on N."""
    n, total = len(firsts(table, tolerance)["cyclic"]), len(table)
    if n == 0:
        return f"The cyclic β₁ is first on none of the {total} surfaces."
    if n == total:
        return f"The cyclic β₁ is first (alone or tied) on all {total} surfaces."
    return f"The cyclic β₁ is first (alone or tied) on {n} of the {total} surfaces."


def _final_losses(table, kind):
    """(surfaces where ``kind``'s final loss is more than 1 % below the constant β₁'s, surfaces where above)."""
    lower, higher = [], []
    for key, rows in table.items():
        mine, constant = (rows[KINDS.index(k)]["final loss"] for k in (kind, "constant"))
        verdict = compare(mine, constant)
        (lower if verdict == "lower" else higher if verdict == "higher" else []).append(key)
    return lower, higher


def verdict_sentence(table, tolerance, names):
    """The verdict paragraph's counted part: each schedule against the constant β₁, then the cyclic count."""
    decay = _versus("decay", *head_to_head(table, tolerance, "decay")[:2], names, table, tolerance)
    cyclic = _versus("cyclic", *head_to_head(table, tolerance, "cyclic")[:2], names, table, tolerance)
    return f"{decay} {cyclic} {cyclic_sentence(table, tolerance)}"


QUIZ_TIE = "two or more, at the same step"
QUIZ_NONE = "none of them, in these steps"


def quiz_options():
    """The bowl question's options: one per schedule, a tie, nobody (every outcome has its option)."""
    return [LABELS[kind] for kind in KINDS] + [QUIZ_TIE, QUIZ_NONE]


def quiz_answer(rows, tolerance):
    """The option that is true for the bowl's rows: the single first arrival, a tie, or nobody."""
    reached = _reached(rows, tolerance)
    done = [step for step in reached.values() if step is not None]
    if not done:
        return QUIZ_NONE
    first = [kind for kind, step in reached.items() if step == min(done)]
    return LABELS[first[0]] if len(first) == 1 else QUIZ_TIE


def quiz_reveal(rows, tolerance):
    """The reveal: each schedule's step on the bowl, then what the constant β₁'s momentum bought or cost."""
    reached = _reached(rows, tolerance)
    listed = ", ".join(f"{LABELS[kind]} at step **{step}**" if step is not None else f"{LABELS[kind]} **not within "
                       "the run**" for kind, step in reached.items())
    constant = reached["constant"]
    verdicts = []
    for kind in ("decay", "cyclic"):
        other = reached[kind]
        if beats(constant, other):
            verdicts.append(f"taking it away cost the {LABELS[kind]} "
                            + (f"{other - constant} steps" if other is not None else "its arrival within the run"))
        elif beats(other, constant):
            verdicts.append(f"the {LABELS[kind]} arrived "
                            + (f"{constant - other} steps earlier" if constant is not None else "and the constant "
                               "one did not") + " without all of it")
        else:
            verdicts.append(f"the {LABELS[kind]} did no better and no worse")
    return (f"The core: {listed}. Momentum pushes along the bowl's long, shallow x-direction, and it also "
            f"overshoots; here {verdicts[0]}, and {verdicts[1]}.")
