"""The README's examples run and print what it shows, and its first two commands are the scripts that exist."""

import ast
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_readme_python_example_runs_and_prints_the_first_adam_step(capsys):
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip() == "[-0.1]"


def test_readme_starts_with_the_two_commands_and_ci_calls_the_test_one():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1).splitlines()
    commands = [line.split("#")[0].strip() for line in first_block]
    assert commands == ["bash scripts/run-app", "bash scripts/run-tests"]
    assert all((ROOT / c.split()[1]).is_file() for c in commands)
    assert "bash scripts/run-tests" in (ROOT / ".ci" / "run").read_text()


def notebook_section():
    """The README's 'Use the core in a notebook' section: its Python block and the output it shows."""
    section = README.split("## Use the core in a notebook\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    shown = re.search(r"```text\n(.*?)```", section, re.S).group(1)
    return code, shown


def test_readme_notebook_example_prints_what_the_readme_shows(capsys, monkeypatch):
    """The race of Adam and AdamW runs on the core (imported under its library name) and agrees with torch."""
    import optimizers
    monkeypatch.setitem(sys.modules, "adam_course_core", optimizers)
    code, shown = notebook_section()
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert capsys.readouterr().out == shown
    assert shown.count(": True") == 2


def test_readme_notebook_quotes_the_torch_fixtures_numbers():
    """The torch numbers the README quotes are the committed fixtures' start and first three steps."""
    code, _ = notebook_section()
    quoted = ast.literal_eval(re.search(r"torch_paths = (\{.*?\n\})", code, re.S).group(1))
    fixtures = np.load(ROOT / "tests" / "fixtures" / "torch_optim.npz")
    for name, case in [("Adam", "adam-l2=0.1"), ("AdamW", "adamw-wd=0.1")]:
        np.testing.assert_allclose(quoted[name], fixtures[f"{case}.params"][:4], rtol=0, atol=1e-12)
