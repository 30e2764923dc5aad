"""Your own loss, read safely: text -> Python's ``ast`` -> an allowlist -> a SymPy tree we build -> NumPy.

Nothing a learner types (or a shared link carries) is ever given to ``eval``, ``sympify``, ``parse_expr``
or ``lambdify``: those run code.  The text is parsed by ``ast.parse(mode="eval")``, which only builds a
tree; every node of that tree must be one of a few kinds (numbers, x, y, pi, e, + − * / **, unary ±,
and calls of the functions in :data:`FUNCTIONS`), and the SymPy expression is built node by node from
it.  SymPy differentiates that trusted tree, and :func:`compile_numpy` turns it into a composition of
NumPy ufuncs by walking it (no code is generated, so there is nothing to inject into).

Limits, each refused with a sentence before SymPy sees anything:

- at most :data:`MAX_CHARS` characters, plain ASCII (``−``, ``×`` and ``÷`` read as - * /), parentheses
  nested at most :data:`MAX_PARENS` deep, at most :data:`MAX_NODES` tree nodes, tree depth
  :data:`MAX_DEPTH`;
- numbers written at most :data:`MAX_CONSTANT` in size; every constant part, folded in floats as it is
  built, at most :data:`MAX_FOLDED`; every exponent whose value is known (after folding, so ``9**9**9``,
  ``(9**9)**9`` and ``x**(10**10)`` all stop) at most :data:`MAX_EXPONENT` in size, also after SymPy
  merges powers (``(x**64)**64`` is x⁴⁰⁹⁶).  SymPy computes ``Integer**Integer`` at once, so the bounds are
  checked *before* each power is made.
"""

import ast
import math
import unicodedata
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
import sympy

MAX_CHARS = 300
MAX_PARENS = 20
MAX_NODES = 200
MAX_DEPTH = 50
MAX_CONSTANT = 1e6
MAX_FOLDED = 1e12
MAX_EXPONENT = 64

X, Y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
VARIABLES = {"x": X, "y": Y}
CONSTANTS = {"pi": (sympy.pi, math.pi), "e": (sympy.E, math.e)}
# name -> (SymPy function, the same on floats for constant folding, number of arguments)
FUNCTIONS = {
    "sin": (sympy.sin, math.sin, 1), "cos": (sympy.cos, math.cos, 1), "tan": (sympy.tan, math.tan, 1),
    "exp": (sympy.exp, math.exp, 1), "log": (sympy.log, math.log, 1), "sqrt": (sympy.sqrt, math.sqrt, 1),
    "abs": (sympy.Abs, abs, 1), "tanh": (sympy.tanh, math.tanh, 1), "sinh": (sympy.sinh, math.sinh, 1),
    "cosh": (sympy.cosh, math.cosh, 1), "min": (sympy.Min, min, 2), "max": (sympy.Max, max, 2),
}
TYPING_HINT = ("a formula may use numbers, x and y, pi and e, + - * / and ** (or ^), parentheses, and "
               + ", ".join(FUNCTIONS) + " (min and max of two terms)")
SAME_AS_ASCII = {"\u2212": "-", "\u00d7": "*", "\u00f7": "/"}     # −, ×, ÷ as a learner may type them
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


class FormulaError(ValueError):
    """A formula refused; ``str(error)`` is the sentence for the learner (plain text, not Markdown)."""


@dataclass(frozen=True)
class Formula:
    """A function the learner typed, read and checked.

    ``expr`` is f as a SymPy tree built by :func:`read_formula`; ``variables`` ("x",) or ("x", "y");
    ``gradient`` the partial derivatives ∂f/∂x (and ∂f/∂y), differentiated by SymPy; ``loss`` maps points
    ``(..., D) -> (...)`` and ``grad`` maps ``(..., D) -> (..., D)``, as ``optimizers.surfaces`` does.
    """

    text: str
    expr: sympy.Expr
    variables: tuple
    gradient: tuple
    loss: Callable
    grad: Callable

    @property
    def dim(self):
        return len(self.variables)

    @property
    def latex(self):
        args = ", ".join(self.variables)
        return f"f({args}) = {sympy.latex(self.expr)}"

    @property
    def gradient_latex(self):
        parts = [sympy.latex(d) for d in self.gradient]
        if self.dim == 1:
            return rf"f'(x) = {parts[0]}"
        return (rf"\nabla f(x, y) = \begin{{pmatrix}} \dfrac{{\partial f}}{{\partial x}} \\[4pt] "
                rf"\dfrac{{\partial f}}{{\partial y}} \end{{pmatrix}} = \begin{{pmatrix}} {parts[0]} \\[4pt] "
                rf"{parts[1]} \end{{pmatrix}}")


# ---- reading the text ----------------------------------------------------------------------

def read_formula(text) -> Formula:
    """The learner's ``text`` as a :class:`Formula`, or :class:`FormulaError` with the reason in a sentence."""
    tree = parse_tree(text)
    expr = Builder(tree.source).build(tree.body)
    check_powers(expr)
    variables = ("x", "y") if Y in expr.free_symbols else ("x",)
    symbols = [VARIABLES[name] for name in variables]
    gradient = tuple(sympy.diff(expr, s) for s in symbols)
    loss_of = compile_numpy(expr)
    grads_of = [compile_numpy(d) for d in gradient]
    return Formula(tree.source, expr, variables, gradient, pointwise_loss(loss_of, variables),
                   pointwise_grad(grads_of, variables))


@dataclass(frozen=True)
class _Tree:
    source: str
    body: ast.AST


def parse_tree(text) -> _Tree:
    """Checks on the raw text (length, characters, nesting), then ``ast.parse``, then size and depth."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("Type a function of x (or of x and y), for example (x - 2)**2 or x**2 + 10*y**2.")
    if len(text) > MAX_CHARS:
        raise FormulaError(f"This formula is {len(text):,} characters long; keep it within {MAX_CHARS}.")
    source = "".join(SAME_AS_ASCII.get(char, char) for char in text).strip()
    check_characters(source)
    check_parentheses(source)
    try:
        tree = ast.parse(source.replace("^", "**"), mode="eval")
    except SyntaxError as error:
        where = f" near character {error.offset}" if error.offset else ""
        raise FormulaError(f"This is not a formula I can read{where}: check for a missing bracket, operator "
                           "or number (write 2*x, not 2x).") from None
    check_size(tree)
    return _Tree(source, tree.body)


def check_characters(source):
    """Plain printable ASCII only: a look-alike letter (Cyrillic х, Greek ο, full-width ｘ) is refused by name."""
    for char in source:
        if char.isascii() and (char.isprintable()):
            continue
        if char in SUPERSCRIPTS:
            raise FormulaError(f"The superscript “{char}” is not read as a power: write x**2 or x^2.")
        name = unicodedata.name(char, "an unnamed character")
        shown = char if char.isprintable() and not unicodedata.category(char).startswith("Z") else " "
        raise FormulaError(f"The character “{shown}” ({name}, U+{ord(char):04X}) is not allowed, even where it "
                           "looks like a plain letter or sign: type the formula with plain keyboard letters, "
                           "digits, spaces and + - * / ^ ( ).")


def check_parentheses(source):
    """Parentheses nested at most MAX_PARENS deep (counted on the text, before any parser sees it)."""
    depth = deepest = 0
    for char in source:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_PARENS:
        raise FormulaError(f"The parentheses are nested {deepest} deep; keep them within {MAX_PARENS}.")


def check_size(tree):
    """At most MAX_NODES nodes, then at most MAX_DEPTH levels (iterative walks: no recursion on untrusted input)."""
    count, stack = 0, [tree]
    while stack:
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"This formula has more than {MAX_NODES} parts; make it shorter.")
        stack.extend(ast.iter_child_nodes(stack.pop()))
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FormulaError(f"This formula is nested more than {MAX_DEPTH} levels deep; make it simpler.")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


# ---- building the SymPy tree from the allowed nodes -------------------------------------------

@dataclass(frozen=True)
class Term:
    """A built subtree: ``expr`` in SymPy and, when it holds no variable, its ``value`` as a float."""
    expr: sympy.Expr
    value: Optional[float] = None

    @property
    def constant(self):
        return self.value is not None


REFUSED_NODES = {
    ast.Attribute: "Attribute access (a dot after a name, as in {src}) is not part of a formula",
    ast.Lambda: "A lambda is Python code, not a formula",
    ast.ListComp: "A comprehension (for … in …) is Python code, not a formula",
    ast.SetComp: "A comprehension (for … in …) is Python code, not a formula",
    ast.DictComp: "A comprehension (for … in …) is Python code, not a formula",
    ast.GeneratorExp: "A comprehension (for … in …) is Python code, not a formula",
    ast.Subscript: "Indexing with square brackets ({src}) is not part of a formula",
    ast.Compare: "A comparison ({src}) is not a formula: the loss must be a number",
    ast.BoolOp: "and / or are not part of a formula",
    ast.IfExp: "if … else is Python code, not a formula: use min(…, …) or max(…, …) for a choice",
    ast.NamedExpr: "An assignment (:=) is Python code, not a formula",
    ast.Await: "await is Python code, not a formula",
    ast.JoinedStr: "Text in quotes is not part of a formula",
    ast.List: "A list ({src}) is not a formula", ast.Tuple: "A tuple ({src}) is not a formula: one expression only",
    ast.Set: "A set ({src}) is not a formula", ast.Dict: "A dictionary ({src}) is not a formula",
    ast.Starred: "A starred argument ({src}) is not part of a formula",
}
BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class Builder:
    """Builds the SymPy tree from an allowed ``ast`` tree, folding constant parts in floats to bound them.

    Recursion depth is at most MAX_DEPTH: :func:`check_size` has already bounded the tree.
    """

    def __init__(self, source):
        self.source = source

    def quote(self, node, limit=30):
        """The node's own text from the formula, cut to ``limit`` characters, in “quotes”."""
        text = ast.get_source_segment(self.source.replace("^", "**"), node) or "…"
        return f"“{text if len(text) <= limit else text[:limit] + '…'}”"

    def refuse(self, sentence):
        raise FormulaError(f"{sentence}. {TYPING_HINT[0].upper()}{TYPING_HINT[1:]}.")

    def build(self, node) -> sympy.Expr:
        return self.term(node).expr

    def term(self, node) -> Term:
        kind = type(node)
        if kind in REFUSED_NODES:
            self.refuse(REFUSED_NODES[kind].format(src=self.quote(node)))
        if kind is ast.Constant:
            return self.number(node)
        if kind is ast.Name:
            return self.name(node)
        if kind is ast.UnaryOp and type(node.op) in (ast.USub, ast.UAdd):
            inner = self.term(node.operand)
            if type(node.op) is ast.UAdd:
                return inner
            return Term(-inner.expr, None if not inner.constant else -inner.value)
        if kind is ast.BinOp and type(node.op) in BINARY:
            return self.binary(node)
        if kind is ast.Call:
            return self.call(node)
        if kind in (ast.BinOp, ast.UnaryOp):
            self.refuse(f"The operator in {self.quote(node)} is not one of + - * / ** ^")
        self.refuse(f"{self.quote(node)} is not part of a formula")

    def number(self, node) -> Term:
        value = node.value
        if isinstance(value, str) or isinstance(value, bytes):
            self.refuse(f"Text in quotes ({self.quote(node)}) is not part of a formula")
        if isinstance(value, bool) or value is None or value is Ellipsis:
            self.refuse(f"{self.quote(node)} is not a number")
        if isinstance(value, complex):
            self.refuse(f"Imaginary numbers ({self.quote(node)}) are not allowed: the loss must be real")
        if abs(value) > MAX_CONSTANT or not math.isfinite(value):
            self.refuse(f"The number {self.quote(node)} is too large: write numbers up to {MAX_CONSTANT:,.0f} in size")
        expr = sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)
        return Term(expr, float(value))

    def name(self, node) -> Term:
        if node.id in VARIABLES:
            return Term(VARIABLES[node.id])
        if node.id in CONSTANTS:
            expr, value = CONSTANTS[node.id]
            return Term(expr, value)
        if node.id in FUNCTIONS:
            self.refuse(f"“{node.id}” is a function: give it an argument in parentheses, as in {node.id}(x)")
        if "__" in node.id:
            self.refuse(f"Names with double underscores (“{node.id[:30]}”) are Python's internals, not maths")
        hint = f" (did you mean “{node.id.lower()}”?)" if node.id.lower() in {**VARIABLES, **CONSTANTS} else ""
        self.refuse(f"Unknown name “{node.id[:30]}”{hint}: the only variables are x and y")

    def call(self, node) -> Term:
        if type(node.func) is not ast.Name:
            if type(node.func) is ast.Attribute:
                self.refuse(f"Attribute access (a dot after a name, as in {self.quote(node.func)}) is not part "
                            "of a formula")
            self.refuse(f"Only the listed functions can be called, not {self.quote(node.func)}")
        name = node.func.id
        if name not in FUNCTIONS:
            if "__" in name:
                self.refuse(f"Names with double underscores (“{name[:30]}”) are Python's internals, not maths")
            self.refuse(f"“{name[:30]}” is not a function I know")
        sympy_fn, float_fn, arity = FUNCTIONS[name]
        if node.keywords or len(node.args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            self.refuse(f"{name} takes {arity} {plural}, as in {name}({', '.join(['x', 'y'][:arity])}), "
                        f"not {self.quote(node)}")
        args = [self.term(arg) for arg in node.args]
        value = None
        if all(arg.constant for arg in args):
            value = self.fold(lambda: float_fn(*(arg.value for arg in args)), node)
        return Term(sympy_fn(*(arg.expr for arg in args)), value)

    def binary(self, node) -> Term:
        left, right = self.term(node.left), self.term(node.right)
        op = type(node.op)
        if op is ast.Pow:
            return self.power(node, left, right)
        if op is ast.Div and right.constant and right.value == 0:
            self.refuse(f"{self.quote(node)} divides by zero")
        expr = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
                ast.Div: lambda a, b: a / b}[op](left.expr, right.expr)
        value = None
        if left.constant and right.constant:
            value = self.fold(lambda: {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__,
                                       ast.Div: float.__truediv__}[op](left.value, right.value), node)
        return Term(expr, value)

    def power(self, node, base, exponent) -> Term:
        """base ** exponent, bounded *before* SymPy computes it: |exponent| ≤ MAX_EXPONENT when known, and a
        constant result's size judged by |exponent|·log₁₀|base| ≤ log₁₀ MAX_FOLDED, never by computing it."""
        if exponent.constant and abs(exponent.value) > MAX_EXPONENT:
            self.refuse(f"The exponent in {self.quote(node)} is {short(exponent.value)}; keep exponents within "
                        f"±{MAX_EXPONENT}")
        value = None
        if base.constant and exponent.constant:
            b, p = base.value, exponent.value
            if b == 0 and p < 0:
                self.refuse(f"{self.quote(node)} divides by zero")
            if b < 0 and not float(p).is_integer():
                self.refuse(f"{self.quote(node)} is not a real number (a fractional power of a negative number)")
            if b != 0 and p * math.log10(abs(b)) > math.log10(MAX_FOLDED):
                self.refuse(f"{self.quote(node)} is too large: keep every constant within {short(MAX_FOLDED)}")
            value = self.fold(lambda: b ** p, node)
        return Term(base.expr ** exponent.expr, value)

    def fold(self, compute, node) -> float:
        """A constant part's value in floats; refused when it is not a finite real of size ≤ MAX_FOLDED."""
        try:
            value = compute()
        except (ValueError, ZeroDivisionError):
            self.refuse(f"{self.quote(node)} is not a real number (outside its function's domain, or 0 in a "
                        "denominator)")
        except OverflowError:
            value = math.inf
        if isinstance(value, complex) or not math.isfinite(value) or abs(value) > MAX_FOLDED:
            self.refuse(f"{self.quote(node)} is too large: keep every constant within {short(MAX_FOLDED)}")
        return float(value)


def short(value):
    """A number as a sentence writes it: 387420489, 1e+12 -> 10^12."""
    if abs(value) >= 1e6 and float(value).is_integer() and math.log10(abs(value)).is_integer():
        return f"10^{int(math.log10(abs(value)))}"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"


def check_powers(expr):
    """Every known exponent of the built tree (after SymPy merged powers) within ±MAX_EXPONENT."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_Number and abs(float(node.exp)) > MAX_EXPONENT:
            raise FormulaError(f"Once its powers are combined this formula has the exponent {short(float(node.exp))}; "
                               f"keep exponents within ±{MAX_EXPONENT}.")


# ---- compiling the trusted tree to NumPy ---------------------------------------------------------

UFUNCS = {sympy.sin: np.sin, sympy.cos: np.cos, sympy.tan: np.tan, sympy.exp: np.exp, sympy.log: np.log,
          sympy.Abs: np.abs, sympy.tanh: np.tanh, sympy.sinh: np.sinh, sympy.cosh: np.cosh, sympy.sign: np.sign}


class NotCompilable(TypeError):
    """The tree holds a node the NumPy compiler does not know (a safety net: the allowlist produces none)."""


def compile_numpy(expr) -> Callable:
    """A function of ``env`` (variable name -> array) computing ``expr`` with NumPy ufuncs, by walking the tree.

    Only these node kinds exist in a tree built by :class:`Builder` and differentiated by SymPy: symbols x
    and y, numbers, π and e, sums, products, powers, the functions of :data:`UFUNCS`, Max, Min and Heaviside
    (the derivative of Max/Min; H(0) = ½ as in SymPy).  Anything else raises :class:`NotCompilable`.
    """
    if expr.is_Symbol:
        if expr not in (X, Y):
            raise NotCompilable(f"unknown symbol {expr}")
        name = expr.name
        return lambda env: env[name]
    if expr.is_Number or expr.is_NumberSymbol:
        number = float(expr)
        return lambda env: number
    parts = [compile_numpy(arg) for arg in expr.args]
    if isinstance(expr, sympy.Add):
        return lambda env: _reduce(np.add, parts, env)
    if isinstance(expr, sympy.Mul):
        return lambda env: _reduce(np.multiply, parts, env)
    if isinstance(expr, sympy.Pow):
        return _power(parts[0], expr.exp)
    if expr.func in UFUNCS:
        ufunc = UFUNCS[expr.func]
        return lambda env: ufunc(parts[0](env))
    if isinstance(expr, (sympy.Max, sympy.Min)):
        pair = np.maximum if isinstance(expr, sympy.Max) else np.minimum
        return lambda env: _reduce(pair, parts, env)
    if isinstance(expr, sympy.Heaviside):
        at_zero = parts[1] if len(parts) > 1 else (lambda env: 0.5)
        return lambda env: np.heaviside(parts[0](env), at_zero(env))
    raise NotCompilable(f"{expr.func.__name__} is not supported")


def _reduce(ufunc, parts, env):
    value = parts[0](env)
    for part in parts[1:]:
        value = ufunc(value, part(env))
    return value


def _power(base, exponent):
    """base ** exponent: x², √x and 1/x by their own ufuncs (exact and fast), else np.power on floats."""
    if exponent.is_Number:
        p = float(exponent)
        special = {2.0: np.square, 0.5: np.sqrt, -1.0: lambda v: np.divide(1.0, v), 1.0: lambda v: v}
        if p in special:
            ufunc = special[p]
            return lambda env: ufunc(np.asarray(base(env), dtype=float))
        return lambda env: np.power(np.asarray(base(env), dtype=float), p)
    power = compile_numpy(exponent)
    return lambda env: np.power(np.asarray(base(env), dtype=float), power(env))


def _env(points, variables):
    points = np.asarray(points, dtype=np.float64)
    return {name: points[..., i] for i, name in enumerate(variables)}, points.shape[:-1]


def pointwise_loss(loss_of, variables):
    """``(..., D) -> (...)``: the compiled f on a batch of points (a constant f broadcast to the batch)."""
    def loss(points):
        env, shape = _env(points, variables)
        with np.errstate(all="ignore"):
            return np.array(np.broadcast_to(loss_of(env), shape), dtype=np.float64)
    return loss


def pointwise_grad(grads_of, variables):
    """``(..., D) -> (..., D)``: the compiled partial derivatives, stacked along the last axis."""
    def grad(points):
        env, shape = _env(points, variables)
        out = np.empty(shape + (len(grads_of),))
        with np.errstate(all="ignore"):
            for i, partial in enumerate(grads_of):
                out[..., i] = partial(env)
        return out
    return grad


# ---- why a value is not finite, in words ------------------------------------------------------

def why_not_finite(expr, point, variables=("x", "y")) -> Optional[str]:
    """Why ``expr`` is not finite at ``point``: the innermost part whose inputs are finite but whose value is
    not, named with its cause ("log of a negative number", "division by zero", "overflow"); None if finite."""
    env = {name: np.float64(v) for name, v in zip(variables, point)}
    found = _first_bad(expr, env)
    if found is None:
        return None
    node, cause = found
    return f"{cause} in `{sympy.sstr(node)[:80]}`"


def _value(expr, env):
    with np.errstate(all="ignore"):
        return float(compile_numpy(expr)(env))


def _first_bad(expr, env):
    for arg in expr.args:
        found = _first_bad(arg, env)
        if found is not None:
            return found
    if expr.is_Atom or math.isfinite(_value(expr, env)):
        return None
    args = [_value(arg, env) for arg in expr.args]
    return expr, _cause(expr, args)


def _cause(expr, args):
    """The reason a node with finite inputs ``args`` has a value that is not finite."""
    if expr.func is sympy.log:
        return "the log of zero" if args[0] == 0 else f"the log of a negative number ({args[0]:.4g})"
    if isinstance(expr, sympy.Pow):
        base, power = args
        if base == 0 and power < 0:
            return "a division by zero"
        if base < 0 and not float(power).is_integer():
            return f"a fractional power (such as a square root) of a negative number ({base:.4g})"
    if expr.func in (sympy.exp, sympy.sinh, sympy.cosh):
        return f"an overflow: {expr.func.__name__} of {args[0]:.4g} is beyond float64's largest number (1.8e308)"
    if isinstance(expr, sympy.Add) and all(math.isfinite(a) for a in args):
        return "an overflow: the sum is beyond float64's largest number (1.8e308)"
    if isinstance(expr, sympy.Mul) and 0.0 in args:
        return "zero times infinity"
    return "an overflow: the value is beyond float64's largest number (1.8e308)"
