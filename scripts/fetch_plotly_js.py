"""Fetch the plotly.js bundles the charts load first into ``static/``: the official "basic" and "cartesian" ones.

Most lessons draw only scatter and bar traces, which plotly.js's basic bundle holds (npm's
``plotly.js-basic-dist-min``, 1.2 MB); heatmaps and contours need the cartesian bundle
(``plotly.js-cartesian-dist-min``, 1.5 MB).  The full bundle (4.8 MB, copied from the installed Python
plotly by ``ui/plot.py``) stays for figures with any other trace type (3-D).  A browser evaluates the
basic bundle in about a seventh of the full one's time and the cartesian one in about 40 % (``benchmarks/README.md``).

The version is pinned to the plotly.js inside the pinned Python plotly (``requirements.txt``), whose
figure schema the figures follow (``tests/test_plotly_bundle.py`` checks that they agree).  Each tarball
must match npm's sha512 integrity value committed here, and only its ``.min.js`` is kept, under a
versioned name (the charts ask for it by that name; a new version is a new URL, so browsers may keep a
copy for long).  Its timestamp is the tarball's (npm's fixed 1985 date), which Streamlit's static file
server sends as Last-Modified: with no Cache-Control, browsers keep such a file fresh for a tenth of its
age, i.e. years, and do not ask the server again.

Run by ``scripts/run-app``, ``scripts/run-tests`` and the Dockerfile:  ``python scripts/fetch_plotly_js.py``.
Nothing is downloaded for a bundle that ``static/`` already holds, verified.
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
from typing import NamedTuple

VERSION = "4.1.1"               # == plotly.offline.get_plotlyjs_version() of the plotly pinned in requirements.txt
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


class Bundle(NamedTuple):
    """One official partial bundle: npm's ``plotly.js-<kind>-dist-min`` at ``version``."""
    kind: str
    version: str
    integrity: str            # npm view plotly.js-<kind>-dist-min@<version> dist.integrity: sha512 of the tarball
    bundle_integrity: str     # the same form for the .min.js inside: a verified copy is known without downloading

    @property
    def package(self):
        return f"plotly.js-{self.kind}-dist-min"

    @property
    def url(self):
        return f"https://registry.npmjs.org/{self.package}/-/{self.package}-{self.version}.tgz"

    @property
    def member(self):
        return f"package/plotly-{self.kind}.min.js"

    @property
    def name(self):
        """The file in static/: ``plotly-<kind>-<version>.min.js`` (ui/plot.py asks for it by this name)."""
        return f"plotly-{self.kind}-{self.version}.min.js"


BUNDLES = (
    Bundle("basic", VERSION,
           "sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ==",
           "sha512-orZ6OgVLrRp8vSfEJ9XXGswEzLgmW4nqH1ja1cWJRPqwAkyU0GcrM42aDvIcJjrK9EmGWyVZ3tpMmHXbCrrIaA=="),
    Bundle("cartesian", VERSION,
           "sha512-o8GrFeusncwBIxbBynRJpY4pkgVB6caM+JLpwrLYbbsO7dZ8FJ+SVN2Fr+L7kiG/Z6w4P5O0Jus/Qr5EefHVeg==",
           "sha512-Ej2DOLypRPZLZrZnvDD2TiFsAfCaUzFXQBCaINnpQz673FO+IoX8elbQ47iQH1KMaFdLZodTpIRHf6RvttXQxQ=="),
)


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


def extract(tarball, member):
    """The bytes and timestamp of ``member`` in the gzipped tarball ``tarball``."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        info = archive.getmember(member)
        return archive.extractfile(info).read(), info.mtime


def fetch(bundle, static_dir=STATIC_DIR, url=None):
    """``static_dir / bundle.name``, verified; downloaded (from ``url``, by default npm's) first unless there."""
    target = Path(static_dir) / bundle.name
    if target.exists() and integrity(target.read_bytes()) == bundle.bundle_integrity:
        return target
    with urllib.request.urlopen(url or bundle.url, timeout=60) as reply:
        tarball = reply.read()
    check(tarball, bundle.integrity, url or bundle.url)
    data, mtime = extract(tarball, bundle.member)
    check(data, bundle.bundle_integrity, f"{bundle.member} of {bundle.package} {bundle.version}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(data)
    os.utime(partial, (mtime, mtime))
    os.replace(partial, target)          # atomic: a running server never serves half a file
    return target


def main():
    failed = 0
    for bundle in BUNDLES:
        try:
            target = fetch(bundle)
        except (OSError, ValueError) as error:
            print(f"could not fetch {bundle.package} {bundle.version} ({error}); "
                  "charts will load a larger plotly.js bundle instead", file=sys.stderr)
            failed = 1
            continue
        print(f"static/{target.name}: {bundle.package} {bundle.version}, verified")
    return failed


if __name__ == "__main__":
    sys.exit(main())
