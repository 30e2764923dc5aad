"""Fetch the plotly.js bundle the charts load first into ``static/``: the official "cartesian" bundle.

The lessons draw scatter, heatmap, contour and image traces, all in plotly.js's cartesian bundle (the
npm package ``plotly.js-cartesian-dist-min``: 1.5 MB against the full bundle's 4.8 MB, so the browser
has a third to fetch and evaluate before the first chart).  A figure with any other trace type (3-D)
still gets the full bundle, copied from the installed Python plotly (``ui/plot.py``).

The version is pinned to the plotly.js inside the pinned Python plotly (``requirements.txt``), whose
figure schema the figures follow (``tests/test_plotly_bundle.py`` checks that the two agree).  The
tarball must match npm's sha512 integrity value committed here, and only the ``.min.js`` is kept,
under a versioned name (the charts find it there by that name; a new version is a new URL, so
browsers may keep a copy for long).  Its timestamp is the tarball's (npm's fixed 1985 date), which
Streamlit's static file server sends as Last-Modified: with no Cache-Control, browsers keep such a
file fresh for a tenth of its age, i.e. years.

Run by ``scripts/run-app``, ``scripts/run-tests`` and the Dockerfile:  ``python scripts/fetch_plotly_js.py``.
Nothing is downloaded when ``static/`` already holds a verified copy.
"""

import base64
import hashlib
import io
import os
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "plotly.js-cartesian-dist-min"
VERSION = "4.1.1"               # == plotly.offline.get_plotlyjs_version() of the plotly pinned in requirements.txt
# npm view plotly.js-cartesian-dist-min@4.1.1 dist.integrity  (sha512 of the tarball)
INTEGRITY = "sha512-o8GrFeusncwBIxbBynRJpY4pkgVB6caM+JLpwrLYbbsO7dZ8FJ+SVN2Fr+L7kiG/Z6w4P5O0Jus/Qr5EefHVeg=="
MEMBER = "package/plotly-cartesian.min.js"
# The same form for the .min.js inside: a verified copy on disk is recognised without downloading.
BUNDLE_INTEGRITY = "sha512-Ej2DOLypRPZLZrZnvDD2TiFsAfCaUzFXQBCaINnpQz673FO+IoX8elbQ47iQH1KMaFdLZodTpIRHf6RvttXQxQ=="
URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
NAME = f"plotly-cartesian-{VERSION}.min.js"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def integrity(data):
    """npm's form of a digest: ``sha512-`` and the base64 of the SHA-512 of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def check(data, expected, what):
    """Raise ValueError unless ``data`` has the integrity value ``expected``."""
    if integrity(data) != expected:
        raise ValueError(f"{what} does not match its pinned sha512 integrity value: refusing it")


def header_version(text):
    """The version in a plotly.js bundle's header comment (``plotly.js (cartesian - minified) v4.1.1``)."""
    found = re.search(r"\*\s*plotly\.js\b[^\n]*?\bv(\d+\.\d+\.\d+)", text[:500])
    return found.group(1) if found else None


def extract(tarball, member=MEMBER):
    """The bytes and timestamp of ``member`` in the gzipped tarball ``tarball``."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        info = archive.getmember(member)
        return archive.extractfile(info).read(), info.mtime


def fetch(static_dir=STATIC_DIR, url=URL, expected=INTEGRITY, bundle_expected=BUNDLE_INTEGRITY, name=NAME):
    """``static_dir / name``, verified; downloaded from ``url`` and extracted first unless already there."""
    target = Path(static_dir) / name
    if target.exists() and integrity(target.read_bytes()) == bundle_expected:
        return target
    with urllib.request.urlopen(url, timeout=60) as reply:
        tarball = reply.read()
    check(tarball, expected, url)
    bundle, mtime = extract(tarball)
    check(bundle, bundle_expected, f"{MEMBER} in {url}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(bundle)
    os.utime(partial, (mtime, mtime))
    os.replace(partial, target)          # atomic: a running server never serves half a file
    return target


def main():
    try:
        target = fetch()
    except (OSError, ValueError) as error:
        print(f"could not fetch {PACKAGE} {VERSION} ({error}); the charts will load the full plotly.js bundle",
              file=sys.stderr)
        return 1
    print(f"{target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}: "
          f"{PACKAGE} {VERSION}, verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
