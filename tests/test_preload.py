"""ui/preload.py imports, before any session, every module a lesson will import.

A module first imported inside a session's thread can be seen half-imported by another session
(the cold-start race of tests/test_browser_cold_start.py, which depends on timing); this test is its
deterministic half: run every lesson once after the preload, in a fresh interpreter, and list the
modules that were still new.
"""

import json
import subprocess
import sys

from conftest import ROOT

LESSON_FILES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))

RUN_EVERY_LESSON = """
import json, sys
from streamlit.testing.v1 import AppTest    # the harness, imported before the count starts
from ui import preload
preload.import_everything()                 # as scripts/serve.py does before the server starts
before = set(sys.modules)
at = AppTest.from_file("app.py", default_timeout=180)
at.run()
for lesson in json.loads(sys.argv[1]):
    at.switch_page(lesson)
    at.run()
    assert not at.exception, (lesson, [e.value for e in at.exception])
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_no_lesson_imports_a_module_the_preload_left_out():
    result = subprocess.run([sys.executable, "-c", RUN_EVERY_LESSON, json.dumps(LESSON_FILES)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    new_modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert new_modules == [], f"imported lazily inside a session: {new_modules}"


def test_the_preload_covers_every_module_of_the_course():
    from ui import preload
    names = set(preload.import_everything())
    for package in preload.OWN_PACKAGES:
        for path in (ROOT / package).glob("*.py"):
            module = package if path.stem == "__init__" else f"{package}.{path.stem}"
            assert module in names, module


IMPORT_UI_ALONE = """
import json, sys
import ui                                   # a bare `streamlit run app.py`: the first session imports ui
print(json.dumps(sorted(set(sys.argv[1:]) - set(sys.modules))))
"""


def test_importing_ui_alone_brings_in_what_streamlit_and_plotly_import_lazily():
    from ui import preload
    result = subprocess.run([sys.executable, "-c", IMPORT_UI_ALONE, *preload.LAZY_MODULES], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
