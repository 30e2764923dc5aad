"""deploy/frontend.py: the index.html that names a first visit's downloads (issue 18), read from the installed
Streamlit's built code (the browser side is in tests/test_browser_offline.py)."""

from pathlib import Path

from streamlit import file_util

from deploy import frontend

STATIC = Path(file_util.get_static_dir())
PLOTLY = "./app/static/plotly-basic-4.1.1.min.js"

BUILT_MODULE = ('const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./Slider.aa.js","./react.bb.js",'
                '"../css/Slider.cc.css","./Html.dd.js"])))=>i.map(i=>d[i]);'
                'a=(0,U.lazy)(()=>H(()=>import(`./Slider.aa.js`),__vite__mapDeps([0,1,2]),import.meta.url)),'
                'b=(0,U.lazy)(()=>H(()=>import(`./Html.dd.js`).then(e=>e.n),__vite__mapDeps([3,1]),import.meta.url))')


def test_a_lazy_import_reads_as_its_chunk_and_the_files_it_needs():
    assert frontend.lazy_imports(BUILT_MODULE) == {
        "Slider.aa.js": ["./Slider.aa.js", "./react.bb.js", "../css/Slider.cc.css"],
        "Html.dd.js": ["./Html.dd.js", "./react.bb.js"]}
    assert frontend.chunk_name("static/js/Slider.WU6er_Bo.js") == "Slider"


def test_every_named_element_and_nested_import_is_found_in_the_installed_streamlit():
    """A Streamlit whose build renames a chunk fails here, not silently in a learner's first minute."""
    for elements in (frontend.ELEMENTS, frontend.DEFERRED):
        for chunk, nested in elements.items():
            files = frontend.chunk_files(STATIC, {chunk: nested})
            names = {frontend.chunk_name(file) for file in files}
            # An element's own chunk is a lazy import of the entry; a chunk named for its imports (markdown's
            # KaTeX) may be part of the entry itself.
            assert set(nested) <= names if nested else chunk in names, (chunk, nested, files)
            assert all((STATIC / file).is_file() for file in files), files


def test_the_html_names_each_chunk_once_and_keeps_streamlits_own_tags():
    original = (STATIC / "index.html").read_text()
    html = frontend.index_html(STATIC, scripts=[PLOTLY])
    named = [line.split('href="./', 1)[1].split('"')[0] for line in html.splitlines()
             if 'rel="modulepreload"' in line]
    assert len(named) == len(set(named))
    for chunk in ("DataFrame", "Slider", "BidiComponent", "rehype-katex"):
        assert any(frontend.chunk_name(file) == chunk for file in named), chunk
    assert html.count(f'<link rel="preload" as="script" href="{PLOTLY}">') == 1
    head, _ = original.split("</head>", 1)
    assert html.startswith(head) and html.endswith(original.split("</head>", 1)[1]), "Streamlit's HTML changed"


def test_the_mirror_serves_streamlits_files_and_its_own_index(tmp_path):
    served = Path(frontend.mirror(STATIC, scripts=[PLOTLY]))
    assert {entry.name for entry in served.iterdir()} == {entry.name for entry in STATIC.iterdir()}
    assert (served / "static" / "js").resolve() == (STATIC / "static" / "js").resolve()
    assert (served / "index.html").read_text() == frontend.index_html(STATIC, scripts=[PLOTLY])
    assert (STATIC / "index.html").read_text().count("modulepreload") < (served / "index.html").read_text().count(
        "modulepreload")
