"""The README's example runs, and its first two commands are the scripts that exist."""

import re
from pathlib import Path

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
