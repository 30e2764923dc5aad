"""Small words the live sentences are made of, shared by every page: counts with their plural, multiples
of α, and verdicts on two numbers that may print alike.

>>> plural(1, "step"), plural(2, "step"), plural(0, "epoch"), plural(1, "number")
('1 step', '2 steps', '0 epochs', '1 number')
>>> alpha_times("1"), alpha_times("1.00"), alpha_times("0.55"), alpha_times(1.0), alpha_times(0.5499)
('α', 'α', '0.55α', 'α', '0.5499α')
>>> compare(249.4549, 249.4605), compare(1.0, 2.0), compare(3.0, 1.0)
('same', 'higher', 'lower')
"""

import math

from .divergence import short_number

RELATIVE_GAP = 0.01     # two numbers differ, for a verdict, when they are more than 1 % apart


def plural(count, word, many=None):
    """"1 step", "2 steps", "0 steps"; ``many`` for irregular plurals ("1 quantity", "3 quantities")."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def number(value, digits=4):
    """The course's short style for a number in a sentence (2.7×10¹²⁹, 0.3014, 144)."""
    return short_number(float(value), digits)


def alpha_times(ratio, digits=4):
    """A step as a multiple of α: "α" for one α, else "0.55α".  ``ratio`` is a number or its printed text."""
    text = ratio if isinstance(ratio, str) else number(ratio, digits)
    try:
        one = float(text) == 1.0
    except ValueError:
        one = False
    return "α" if one else f"{text}α"


def differ(a, b, gap=RELATIVE_GAP):
    """True when a and b are more than ``gap`` apart relative to the larger of the two (both finite)."""
    a, b = float(a), float(b)
    if not (math.isfinite(a) and math.isfinite(b)):
        return a != b
    return abs(a - b) > gap * max(abs(a), abs(b))


def compare(new, old, gap=RELATIVE_GAP):
    """"higher", "lower" or "same" for ``new`` against ``old``, "same" unless they are more than ``gap`` apart."""
    if not differ(new, old, gap):
        return "same"
    return "higher" if new > old else "lower"


def same_digits(a, b, most=6):
    """How many significant digits a and b share (``most`` when they are equal to that many): for
    "the same to N digits"."""
    a, b = float(a), float(b)
    if a == b:
        return most
    scale = max(abs(a), abs(b))
    return max(0, min(most, int(math.floor(-math.log10(abs(a - b) / scale)))))
