"""The plotly.js bundles the charts load (issue 18): the basic and cartesian bundles fetched at setup
(scripts/fetch_plotly_js.py), pinned to the installed Python plotly and checked against their sha512;
each figure gets the smallest that draws it, the full bundle only for other trace types (3-D)."""

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
from ui.figures import SpecFigure

_spec = importlib.util.spec_from_file_location("fetch_plotly_js", ROOT / "scripts" / "fetch_plotly_js.py")
fetch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fetch)


BASIC, CARTESIAN = plot.PARTIAL_BUNDLES                        # their file names, smallest first


def fetched(name):
    """A partial bundle in static/ (run-app, run-tests and the Dockerfile fetch them at setup)."""
    path = fetch.STATIC_DIR / name
    assert path.exists(), f"{path} is missing: run python scripts/fetch_plotly_js.py (scripts/run-tests does)"
    return path.read_bytes()


def registered_traces(bundle):
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle.decode("utf-8", "replace")))


def test_the_partial_bundles_are_the_plotly_js_of_the_pinned_python_plotly():
    pinned = re.search(r"^plotly==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert pinned and pinned.group(1) == plotly.__version__, "requirements.txt pins the plotly that is installed"
    assert fetch.VERSION == get_plotlyjs_version(), \
        f"plotly {plotly.__version__} draws with plotly.js {get_plotlyjs_version()}, the fetched bundles are {fetch.VERSION}"
    assert [bundle.name for bundle in fetch.BUNDLES] == list(plot.PARTIAL_BUNDLES)   # the files the charts ask for
    for bundle in fetch.BUNDLES:
        data = fetched(bundle.name)
        assert fetch.integrity(data) == bundle.bundle_integrity and bundle.version == fetch.VERSION
        assert fetch.header_version(data.decode("utf-8", "replace")) == get_plotlyjs_version()
        assert f"({bundle.kind} - minified)" in data[:200].decode()
    assert fetch.header_version(plot.PLOTLY_JS.read_text()[:500]) == get_plotlyjs_version()


def test_each_bundle_is_sent_the_trace_types_it_registers_and_holds_the_smaller_ones():
    basic, cartesian = (registered_traces(fetched(name)) for name in (BASIC, CARTESIAN))
    assert basic == plot.PARTIAL_BUNDLES[BASIC] and cartesian == plot.PARTIAL_BUNDLES[CARTESIAN]
    everything = registered_traces(plot.PLOTLY_JS.read_bytes())
    assert basic < cartesian < everything and {"surface", "scatter3d"} <= everything - cartesian


def fake_package(member, data):
    """An npm-style tarball holding ``data`` as ``member``."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        info = tarfile.TarInfo(member)
        info.size, info.mtime = len(data), 499162500               # npm's fixed date, 1985-10-26
        archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_the_fetch_keeps_only_a_bundle_that_matches_its_pinned_integrity(tmp_path):
    data = b"/**\n* plotly.js (cartesian - minified) v9.9.9\n*/\nvar Plotly = {};\n"
    tarball = tmp_path / "package.tgz"
    tarball.write_bytes(fake_package("package/plotly-cartesian.min.js", data))
    bundle = fetch.Bundle("cartesian", "9.9.9", fetch.integrity(tarball.read_bytes()), fetch.integrity(data))
    static, url = tmp_path / "static", tarball.as_uri()
    target = fetch.fetch(bundle, static, url)
    assert target.name == "plotly-cartesian-9.9.9.min.js" and target.read_bytes() == data
    assert fetch.header_version(data.decode()) == "9.9.9"
    assert target.stat().st_mtime == 499162500                    # Last-Modified: 1985, so browsers keep it

    target.write_bytes(data.replace(b"{}", b"{x}"))                # a copy changed on disk is fetched again
    assert fetch.fetch(bundle, static, url).read_bytes() == data

    tampered = bytearray(tarball.read_bytes())
    tampered[len(tampered) // 2] ^= 1
    tarball.write_bytes(bytes(tampered))
    target.unlink()
    with pytest.raises(ValueError, match="integrity"):
        fetch.fetch(bundle, static, url)
    assert list(static.iterdir()) == []                            # nothing kept, not even a partial file

    tarball.write_bytes(fake_package("package/plotly-cartesian.min.js", data + b"//"))   # another file inside
    with pytest.raises(ValueError, match="integrity"):
        fetch.fetch(bundle._replace(integrity=fetch.integrity(tarball.read_bytes())), static, url)
    assert list(static.iterdir()) == []


def bundle_of(figure):
    return json.loads(plot.payload(figure))["plotly_js"]


def test_a_figure_gets_the_smallest_bundle_that_draws_it(monkeypatch):
    basic, cartesian = ({"url": f"app/static/{name}", "rank": rank} for rank, name in enumerate((BASIC, CARTESIAN)))
    full = {"url": f"app/static/{plot.FULL_BUNDLE}", "rank": 2}
    z = [[0, 1], [2, 3]]
    assert bundle_of(go.Figure([go.Scatter(y=[1, 2]), go.Bar(y=[1])], layout=dict(images=[dict(source="x")]))) == basic
    assert bundle_of(go.Figure([go.Scatter(y=[1, 2]), go.Heatmap(z=z), go.Contour(z=z), go.Image(z=[z])])) == cartesian
    assert bundle_of(go.Figure(go.Surface(z=z))) == full
    assert bundle_of(go.Figure(go.Scatter(y=[1]), frames=[go.Frame(data=[go.Scatter3d(x=[1], y=[1], z=[1])])])) == full
    assert plot.plotly_bundle({"data": [{"y": [1]}], "frames": [{"data": [{"type": "heatmap"}]}]}) == cartesian
    # The course's own figures keep their traces in the spec they hand over (the playground's maps are heatmaps).
    assert bundle_of(SpecFigure(dict(data=[{"type": "heatmap", "z": z}], layout={}, frames=[]))) == cartesian
    assert bundle_of(SpecFigure(dict(data=[{"type": "surface", "z": z}], layout={}, frames=[]))) == full

    monkeypatch.setenv("COURSE_PLOTLY_BUNDLE", "full")            # the old way, for the benchmark
    assert bundle_of(go.Figure(go.Scatter(y=[1, 2]))) == full
    monkeypatch.delenv("COURSE_PLOTLY_BUNDLE")
    monkeypatch.setattr(plot, "STATIC_DIR", ROOT / "no-such-folder")   # never fetched: every chart still draws
    assert bundle_of(go.Figure(go.Scatter(y=[1, 2]))) == full


def test_a_missing_bundle_is_replaced_by_the_next_larger_one(monkeypatch, tmp_path):
    (tmp_path / CARTESIAN).write_bytes(fetched(CARTESIAN))
    monkeypatch.setattr(plot, "STATIC_DIR", tmp_path)
    assert bundle_of(go.Figure(go.Scatter(y=[1, 2]))) == {"url": f"app/static/{CARTESIAN}", "rank": 1}


def test_the_frame_starts_fetching_the_basic_bundle_on_every_page(monkeypatch):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    preload = [h.proto.body for h in at.get("html") if "course-plotly-preload" in h.proto.body]
    assert len(preload) == 1 and f'"app/static/{BASIC}"' in preload[0]
    assert "rel: 'preload', as: 'script'" in preload[0] and "loadPlotly(" not in preload[0]   # fetched, not run
    assert at.get("html")[0].proto.unsafe_allow_javascript

    monkeypatch.setenv("COURSE_PLOTLY_BUNDLE", "partial-eager")     # the benchmark's "before": run at once
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    preload = [h.proto.body for h in at.get("html") if "course-plotly-preload" in h.proto.body]
    assert len(preload) == 1 and f'"url": "app/static/{BASIC}", "rank": 0' in preload[0]
    assert preload[0].count("loadPlotly(") >= 2                    # the charts' own loader, called once

    monkeypatch.setenv("COURSE_PLOTLY_BUNDLE", "full")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not [h for h in at.get("html") if "course-plotly-preload" in h.proto.body]
