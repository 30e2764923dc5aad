"""The playground's formula reader (lessons/playground/parse.py): the allowlist, the hostile corpus (each
refused in < 100 ms with its sentence, nothing executed), gradients against finite differences, and the
compiled NumPy function against SymPy's own evaluation."""

import ast
import builtins
import time

import numpy as np
import pytest
import sympy

from lessons.playground import parse
from lessons.playground.parse import FormulaError, read_formula, why_not_finite

# The hostile corpus: text -> a phrase its refusal must contain.
HOSTILE = {
    "__import__('os').system('id')": "Attribute access",
    "x.__class__": "Attribute access",
    "().__class__.__bases__[0].__subclasses__()": "Attribute access",
    "x.real": "Attribute access",
    "__import__": "double underscores",
    "__builtins__": "double underscores",
    "lambda: 1": "lambda",
    "(lambda x: x)(2)": "Only the listed functions",
    "[x for x in (1, 2)]": "comprehension",
    "sum(x for x in (1, 2))": "“sum” is not a function I know",
    "sin(x for x in (1, 2))": "comprehension",
    "{x: 1 for x in (1,)}": "comprehension",
    "open('/etc/passwd')": "“open” is not a function I know",
    "eval('1')": "“eval” is not a function I know",
    "exec('import os')": "“exec” is not a function I know",
    "getattr(x, 'y')": "“getattr” is not a function I know",
    "sin.__call__(x)": "Attribute access",
    "'abc'": "Text in quotes",
    "x + 'a'": "Text in quotes",
    "f'{x}'": "Text in quotes",
    "b'x'": "Text in quotes",
    "9**9**9": "keep exponents within ±64",
    "(9**9)**9": "too large",
    "9^9^9": "keep exponents within ±64",
    "(9^9)^9": "too large",
    "x**(10**10)": "keep exponents within ±64",
    "x**(9**9)": "keep exponents within ±64",
    "(x**64)**64": "Once its powers are combined",
    "2**(2**(2**(2**(2**2))))": "keep exponents within ±64",
    "e**1000": "keep exponents within ±64",
    "exp(exp(exp(10)))": "too large",
    "10000000*x": "too large",
    "9e999": "too large",
    "1e-400 * 0 + 1/0": "divides by zero",
    "(" * 10_000 + "x" + ")" * 10_000: "20,001 characters long",
    "(" * 100 + "x" + ")" * 100: "nested 100 deep",
    "-" * 60 + "x": "nested more than",
    "+".join(["x"] * 150): "more than 200 parts",
    "x" * 10_000_000: "10,000,000 characters long",
    "z + 1": "Unknown name “z”",
    "X**2": "did you mean “x”",
    "os": "Unknown name “os”",
    "sin": "is a function",
    "": "Type a function",
    "   ": "Type a function",
    "\u0445**2": "CYRILLIC SMALL LETTER HA",        # Cyrillic х
    "\uff58 + y": "FULLWIDTH LATIN SMALL LETTER X",
    "\u03bf + x": "GREEK SMALL LETTER OMICRON",
    "x\u200b + y": "ZERO WIDTH SPACE",
    "x\u202e + y": "RIGHT-TO-LEFT OVERRIDE",
    "x²": "superscript",
    "x\x00": "U+0000",
    "x if y else 1": "if … else",
    "x < 1": "comparison",
    "x and y": "and / or",
    "True": "is not a number",
    "None": "is not a number",
    "1j * x": "Imaginary",
    "x; y": "not a formula I can read",
    "x = 1": "not a formula I can read",
    "import os": "not a formula I can read",
    "2x": "not a formula I can read",
    "x[0]": "square brackets",
    "(x, y)": "tuple",
    "[x]": "list",
    "{x}": "set",
    "{1: x}": "dictionary",
    "(y := 2)": "assignment",
    "min(x)": "min takes 2 arguments",
    "sin(x, y)": "sin takes 1 argument",
    "sin(x=1)": "sin takes 1 argument",
    "sin(*x)": "starred",
    "log(-1)": "not a real number",
    "sqrt(-4)": "not a real number",
    "(-8)**(1/3)": "not a real number",
    "x // 2": "not one of + - * / ** ^",
    "x % 2": "not one of + - * / ** ^",
    "x @ y": "not one of + - * / ** ^",
    "~x": "not one of + - * / ** ^",
}


class Executed(Exception):
    """Raised by the traps: something tried to run code."""


@pytest.fixture
def traps(monkeypatch):
    """Watch eval, exec, code-compiling ``compile`` (not ``ast.parse``'s tree-only one), SymPy's string readers
    and imports of os/subprocess: any call that carries the learner's text, or imports os, is recorded.

    (SymPy itself runs ``exec`` on its own source strings when it first builds some functions; those calls
    carry none of the learner's text and are let through.)
    """
    calls = []

    def watch(name, real):
        def called(*args, **kwargs):
            calls.append((name, args))
            return real(*args, **kwargs)
        return called
    real_import, real_compile = builtins.__import__, builtins.compile

    def guarded_import(name, *args, **kwargs):
        if name in ("os", "subprocess") and not calls_allowed_import():
            calls.append(("import", (name,)))
        return real_import(name, *args, **kwargs)

    def tree_only_compile(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            calls.append(("compile", (source,)))
        return real_compile(source, filename, mode, flags, *args, **kwargs)
    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, watch(name, getattr(builtins, name)))
    monkeypatch.setattr(builtins, "compile", tree_only_compile)
    monkeypatch.setattr(builtins, "__import__", guarded_import)
    for name in ("sympify", "lambdify", "parse_expr"):
        if hasattr(sympy, name):
            monkeypatch.setattr(sympy, name, watch(name, getattr(sympy, name)))
    return calls


def calls_allowed_import():
    """os is already imported everywhere; a *new* import of it during parsing is what would be suspicious."""
    import sys
    return "os" in sys.modules


def assert_nothing_ran(calls, text):
    """No watched call carried any part of ``text`` (its first 20 characters), and none was a SymPy reader."""
    fragment = text.strip()[:20]
    for name, args in calls:
        assert name not in ("sympify", "lambdify", "parse_expr"), (name, args)
        assert not (fragment and any(isinstance(a, str) and fragment in a for a in args)), (name, args)


@pytest.mark.parametrize("text, phrase", list(HOSTILE.items()), ids=[repr(t[:30]) for t in HOSTILE])
def test_hostile_text_is_refused_fast_with_its_sentence_and_nothing_runs(text, phrase, traps):
    start = time.perf_counter()
    with pytest.raises(FormulaError) as refusal:
        read_formula(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.1, f"{elapsed * 1e3:.1f} ms"
    sentence = str(refusal.value)
    assert_nothing_ran(traps, text)
    assert phrase in sentence
    assert sentence.endswith(".") and len(sentence) < 600 and "Traceback" not in sentence


def test_the_parser_never_reads_a_string_with_python_or_sympy(traps):
    """With eval/exec/compile/sympify/lambdify watched, a typical formula parses, differentiates and compiles
    without any of them seeing its text."""
    text = "(1 - x)^2 + 100*(y - x^2)^2 + max(x, y) + abs(sin(x)) + sqrt(1 + y**2) + log(2 + cos(x))"
    f = read_formula(text)
    assert_nothing_ran(traps, text)
    assert f.dim == 2
    assert np.all(np.isfinite(f.grad(np.array([[0.3, -0.2]]))))


def test_ast_parse_is_the_only_reader():
    source = open(parse.__file__).read()
    for forbidden in ("eval(", "exec(", "sympify", "parse_expr", "lambdify(", "compile("):
        code = [line for line in source.splitlines() if forbidden in line and not line.lstrip().startswith(("#", "-"))
                and "``" not in line and "never" not in line]
        assert not code, code


def test_the_allowlist():
    """Every listed piece is accepted: numbers, x, y, + − * / ** ^, parentheses, pi, e and the functions."""
    for text in ("x", "y", "2.5", "-x", "+x", "x + y", "x − y", "x*y", "x×y", "x/y", "x÷y", "x**2", "x^2", "(x)",
                 "pi*x", "e*x", "1e-3*x", ".5*x", *(f"{name}(x)" for name in ("sin", "cos", "tan", "exp", "log", "sqrt",
                                                                             "abs", "tanh", "sinh", "cosh")),
                 "min(x, y)", "max(x, 2*y)", "2**x", "x**y", "x**-1", "x**0.5"):
        read_formula(text)


def test_one_variable_is_one_dimensional_and_y_makes_two():
    assert read_formula("(x - 2)^2").dim == 1
    assert read_formula("x + y").dim == 2
    assert read_formula("y^2").variables == ("x", "y")
    assert read_formula("3").dim == 1


def test_the_typeset_formula_is_sympys_latex_of_our_tree():
    f = read_formula("(x - 2)^2 + 10*y^2")
    assert f.latex == "f(x, y) = " + sympy.latex(f.expr)
    assert r"\dfrac{\partial f}{\partial x}" in f.gradient_latex
    assert read_formula("(x-2)^2").gradient_latex == "f'(x) = 2 x - 4"


TYPICAL = [
    "(x - 2)^2", "x^4 - 3*x^2 + x", "sin(3*x) + x^2/10", "log(1 + x^2)", "exp(-x^2)", "sqrt(x^2 + 1)",
    "tanh(x) * x", "cosh(x/2)", "1/(1 + x^2)", "(1 - x)^2 + 100*(y - x^2)^2", "x^2 + 10*y^2",
    "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)", "1 - exp(-(x^2 + y^2)/2)", "sinh(x/3) * cos(y)",
    "abs(x) + abs(y - 1)", "max(x^2, y^2) + min(x, y)", "x^y", "e^(x/3) + pi*y^2", "tan(x/4) + y^3",
    "sqrt(x^2 + y^2 + 1) - log(2 + sin(x*y))",
]


def _points(dim, rng, count=25):
    return rng.uniform(0.2, 1.8, size=(count, dim)) * rng.choice([-1, 1], size=(count, dim))


@pytest.mark.parametrize("text", TYPICAL)
def test_gradients_match_central_differences(text):
    """∂f/∂xᵢ ≈ (f(θ + h eᵢ) − f(θ − h eᵢ)) / 2h at random points (kinks of abs/min/max avoided by the sampling)."""
    f = read_formula(text)
    rng = np.random.default_rng(len(text))
    points = _points(f.dim, rng)
    if "x^y" in text:
        points = np.abs(points)            # x^y is real for x > 0
    h = 1e-6
    numeric = np.stack([(f.loss(points + h * np.eye(f.dim)[i]) - f.loss(points - h * np.eye(f.dim)[i])) / (2 * h)
                        for i in range(f.dim)], axis=-1)
    analytic = f.grad(points)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-5 * (1 + np.abs(f.loss(points)).max()))


@pytest.mark.parametrize("text", TYPICAL)
def test_the_compiled_function_and_gradient_match_sympy_evalf(text):
    f = read_formula(text)
    rng = np.random.default_rng(7)
    points = _points(f.dim, rng, 8)
    if "x^y" in text:
        points = np.abs(points)
    symbols = [parse.VARIABLES[name] for name in f.variables]
    for point, value, grad in zip(points, f.loss(points), f.grad(points)):
        subs = dict(zip(symbols, map(float, point)))
        assert value == pytest.approx(float(f.expr.evalf(subs=subs)), rel=1e-12, abs=1e-12)
        for partial, component in zip(f.gradient, grad):
            assert component == pytest.approx(float(partial.evalf(subs=subs)), rel=1e-10, abs=1e-10)


def test_loss_and_grad_are_batched_like_the_named_surfaces():
    f = read_formula("x^2 + 3*y")
    points = np.zeros((4, 5, 2))
    assert f.loss(points).shape == (4, 5)
    assert f.grad(points).shape == (4, 5, 2)
    np.testing.assert_array_equal(f.grad(points)[..., 1], 3.0)         # a constant partial, broadcast
    assert read_formula("7").loss(np.zeros((3, 1))).tolist() == [7.0, 7.0, 7.0]


@pytest.mark.parametrize("text, point, cause", [
    ("log(x - 1)", (0.5,), "log of a negative number"),
    ("log(x)", (0.0,), "log of zero"),
    ("1/x", (0.0,), "division by zero"),
    ("sqrt(x - 3)", (1.0,), "fractional power"),
    ("exp(x^2)", (40.0,), "overflow: exp of 1600"),
    ("x + y", (1.0, 2.0), None),
])
def test_points_where_f_is_not_finite_are_explained_in_words(text, point, cause):
    f = read_formula(text)
    why = why_not_finite(f.expr, point, f.variables)
    if cause is None:
        assert why is None
    else:
        assert cause in why
