"""The plotly.js bundles the charts load (issue 18): the cartesian bundle fetched at setup
(scripts/fetch_plotly_js.py), pinned to the installed Python plotly and checked against its sha512;
the full bundle only for figures that need another trace type."""

import importlib.util
import io
import json
import re
import tarfile

import plotly
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from conftest import ROOT
from ui import plot

_spec = importlib.util.spec_from_file_location("fetch_plotly_js", ROOT / "scripts" / "fetch_plotly_js.py")
fetch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fetch)


def fetched_bundle():
    """The cartesian bundle in static/ (run-app, run-tests and the Dockerfile fetch it at setup)."""
    path = fetch.STATIC_DIR / fetch.NAME
    assert path.exists(), f"{path} is missing: run python scripts/fetch_plotly_js.py (scripts/run-tests does)"
    return path.read_bytes()


def test_the_cartesian_bundle_is_the_plotly_js_of_the_pinned_python_plotly():
    pinned = re.search(r"^plotly==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert pinned and pinned.group(1) == plotly.__version__, "requirements.txt pins the plotly that is installed"
    assert fetch.VERSION == get_plotlyjs_version(), \
        f"plotly {plotly.__version__} draws with plotly.js {get_plotlyjs_version()}, the fetched bundle is {fetch.VERSION}"
    assert fetch.NAME == plot.PARTIAL_BUNDLE                        # the file the charts ask for
    bundle = fetched_bundle()
    assert fetch.integrity(bundle) == fetch.BUNDLE_INTEGRITY
    assert fetch.header_version(bundle.decode("utf-8", "replace")) == get_plotlyjs_version()
    assert "(cartesian" in bundle[:200].decode()
    assert fetch.header_version(plot.PLOTLY_JS.read_text()[:500]) == get_plotlyjs_version()


def test_the_trace_types_sent_to_the_cartesian_bundle_are_the_ones_it_registers():
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', fetched_bundle().decode("utf-8", "replace")))
    assert registered == plot.PARTIAL_TRACES
    everything = set(re.findall(r'moduleType:"trace",name:"(\w+)"', plot.PLOTLY_JS.read_text()))
    assert {"surface", "scatter3d"} <= everything - registered


def fake_package(bundle):
    """An npm-style tarball holding ``bundle`` as the cartesian .min.js."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        info = tarfile.TarInfo(fetch.MEMBER)
        info.size, info.mtime = len(bundle), 499162500            # npm's fixed date, 1985-10-26
        archive.addfile(info, io.BytesIO(bundle))
    return out.getvalue()


def test_the_fetch_keeps_only_a_bundle_that_matches_its_pinned_integrity(tmp_path):
    bundle = b"/**\n* plotly.js (cartesian - minified) v9.9.9\n*/\nvar Plotly = {};\n"
    tarball = tmp_path / "package.tgz"
    tarball.write_bytes(fake_package(bundle))
    pins = dict(url=tarball.as_uri(), expected=fetch.integrity(tarball.read_bytes()),
                bundle_expected=fetch.integrity(bundle), name="plotly-cartesian-9.9.9.min.js")
    static = tmp_path / "static"
    target = fetch.fetch(static, **pins)
    assert target.read_bytes() == bundle and fetch.header_version(bundle.decode()) == "9.9.9"
    assert target.stat().st_mtime == 499162500                    # Last-Modified: 1985, so browsers keep it

    target.write_bytes(bundle.replace(b"{}", b"{x}"))              # a copy changed on disk is fetched again
    assert fetch.fetch(static, **pins).read_bytes() == bundle

    tampered = bytearray(tarball.read_bytes())
    tampered[len(tampered) // 2] ^= 1
    tarball.write_bytes(bytes(tampered))
    target.unlink()
    with pytest.raises(ValueError, match="integrity"):
        fetch.fetch(static, **pins)
    assert list(static.iterdir()) == []                            # nothing kept, not even a partial file

    tarball.write_bytes(fake_package(bundle + b"//"))              # a tarball that matches, holding another file
    with pytest.raises(ValueError, match="integrity"):
        fetch.fetch(static, **{**pins, "expected": fetch.integrity(tarball.read_bytes())})
    assert list(static.iterdir()) == []


def bundle_of(figure):
    return json.loads(plot.payload(figure))["plotly_js"]


def test_a_figure_gets_the_cartesian_bundle_unless_it_has_another_trace_type(monkeypatch):
    partial = {"url": f"app/static/{plot.PARTIAL_BUNDLE}", "full": False}
    full = {"url": f"app/static/{plot.FULL_BUNDLE}", "full": True}
    z = [[0, 1], [2, 3]]
    assert bundle_of(go.Figure([go.Scatter(y=[1, 2]), go.Heatmap(z=z), go.Contour(z=z), go.Image(z=[z])])) == partial
    assert bundle_of(go.Figure(go.Surface(z=z))) == full
    assert bundle_of(go.Figure(go.Scatter(y=[1]), frames=[go.Frame(data=[go.Scatter3d(x=[1], y=[1], z=[1])])])) == full
    assert plot.plotly_bundle({"data": [{"y": [1]}], "frames": [{"data": [{"type": "heatmap"}]}]}) == partial

    monkeypatch.setenv("COURSE_PLOTLY_BUNDLE", "full")            # the old way, for the benchmark
    assert bundle_of(go.Figure(go.Scatter(y=[1, 2]))) == full
    monkeypatch.delenv("COURSE_PLOTLY_BUNDLE")
    monkeypatch.setattr(plot, "STATIC_DIR", ROOT / "no-such-folder")   # never fetched: every chart still draws
    assert bundle_of(go.Figure(go.Scatter(y=[1, 2]))) == full


def test_the_frame_starts_loading_the_cartesian_bundle_on_every_page(monkeypatch):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    preload = [h.proto.body for h in at.get("html") if "course-plotly-preload" in h.proto.body]
    assert len(preload) == 1 and f"app/static/{plot.PARTIAL_BUNDLE}" in preload[0]
    assert preload[0].count("loadPlotly(") >= 2                    # the charts' own loader, called once
    assert at.get("html")[0].proto.unsafe_allow_javascript

    monkeypatch.setenv("COURSE_PLOTLY_BUNDLE", "full")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not [h for h in at.get("html") if "course-plotly-preload" in h.proto.body]
