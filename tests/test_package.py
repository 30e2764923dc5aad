"""The core as a library: ``pip install`` of the repository gives ``import adam_course_core``.

The wheel is built from a copy of ``pyproject.toml`` and ``optimizers/`` (no build files land in the
repository) with the test environment's setuptools, without build isolation (no downloads), then installed
without dependencies into a fresh virtualenv.  That virtualenv sees NumPy and nothing else (a directory
holding only NumPy goes on its path), so the import proves NumPy is the core's only dependency.
"""

import email
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from test_readme import notebook_section

ROOT = Path(__file__).resolve().parents[1]
NUMPY_HOME = Path(np.__file__).resolve().parents[1]      # the site-packages holding numpy and numpy.libs


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The built wheel's path (built once for the module)."""
    source = tmp_path_factory.mktemp("source")
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copytree(ROOT / "optimizers", source / "optimizers", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--quiet", "--wheel-dir", str(dist), str(source)], check=True)
    (built,) = dist.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv_python(wheel, tmp_path_factory):
    """A fresh virtualenv's python with the wheel installed and NumPy (only) on its path."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home / "env")], check=True)
    python = home / "env" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", str(wheel)], check=True)
    numpy_only = home / "numpy_only"
    numpy_only.mkdir()
    for name in ("numpy", "numpy.libs"):
        if (NUMPY_HOME / name).exists():
            (numpy_only / name).symlink_to(NUMPY_HOME / name)
    return python, numpy_only


def run_in_venv(venv_python, code):
    python, numpy_only = venv_python
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(numpy_only), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([str(python), "-c", code], cwd=numpy_only.parent, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_wheel_is_adam_course_core_with_numpy_its_only_dependency(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(archive.read(metadata))
    assert meta["Name"] == "adam-course-core"
    assert [re.split(r"[<>=!~ ;]", r)[0] for r in meta.get_all("Requires-Dist")] == ["numpy"]
    packages = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert packages == {"adam_course_core"}      # the generic name `optimizers` is not installed
    expected = {f"adam_course_core/{p.name}" for p in (ROOT / "optimizers").glob("*.py")}
    assert expected <= set(names) and "adam_course_core/py.typed" in names


def test_installed_core_imports_from_the_venv_with_surfaces_and_run(venv_python):
    out = run_in_venv(venv_python, """
import sys, adam_course_core as acc
print(acc.__file__.startswith(sys.prefix))
s = acc.surfaces.get("rosenbrock")
t = acc.run(acc.adam(0.1), s.grad, s.start, 5, loss_fn=s.loss, keep_state=True)
print(t.params.shape, sorted(t.states), sorted(acc.surfaces.SURFACES)[:2])
print(sorted(m for m in sys.modules if m.split(".")[0] not in sys.stdlib_module_names
             and m.split(".")[0] not in ("__main__", "numpy", "adam_course_core")))
try:
    import optimizers
except ModuleNotFoundError:
    print("no optimizers")
""")
    assert out.splitlines() == ["True", "(6, 2) ['bc1', 'bc2', 'lr_eff', 'm', 'm_hat', 'v', 'v_hat', 'v_max'] "
                                "['beale', 'bowl']", "[]", "no optimizers"]


def test_readme_notebook_example_runs_on_the_installed_wheel(venv_python):
    code, shown = notebook_section()
    assert run_in_venv(venv_python, code) == shown
