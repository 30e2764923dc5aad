"""Streamlit's frontend with the first visit's downloads named in its ``index.html`` (issue 18).

On a cold browser Streamlit's frontend fetches an element's code only when the first message that draws
such an element arrives, about 1.5 s after the page was asked for, and React shows a lesson's chart
together with the page's last element chunk to arrive (the table's is 1.2 MB with its Arrow code).  Here
the page's HTML names those chunks from the start, as ``<link rel="modulepreload">`` (fetched and parsed
while the frontend starts; run when an element first needs them), and the charts' first plotly.js as
``<link rel="preload" as="script">``, so they are in hand when the elements arrive.

Which chunks: those of the elements the lessons draw (``ELEMENTS``), looked up in the frontend's built
code, so the hashed file names always match the installed Streamlit.  Each lazy import there reads
``import(`./Slider.<hash>.js`),__vite__mapDeps([i, ...])``, the indices pointing into the module's
``__vite__mapDeps`` file list: the chunk first, then every file it needs.  ``DEFERRED`` elements are large
and drawn by few pages; they load when a page draws them (tests/test_browser_offline.py holds every lesson
to these two lists).

``scripts/serve.py`` serves a mirror of Streamlit's static folder (a symbolic link to each of its entries)
whose only file of its own is this ``index.html``; Streamlit's installed files are never changed.
"""

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

# Streamlit's lazily loaded element chunks, by the name before their hash: the navigation's page links,
# sliders, radios and segmented controls, buttons and downloads, the charts (custom components v2:
# BidiComponent), the frame's HTML, tables and the 3-D switch.  {chunk: lazy imports inside it} names
# those a chunk loads itself: KaTeX, which the markdown of every lesson needs.
ELEMENTS = {"PageLink": (), "Html": (), "BidiComponent": (), "Slider": (), "Radio": (), "ButtonGroup": (),
            "Button": (), "DownloadButton": (), "Checkbox": (), "DataFrame": (), "Table": (),
            "StreamlitMarkdown": ("rehype-katex",)}
# Loaded only by the pages that draw them: code listings (1.6 MB, two lessons), the playground's text input,
# the training page's progress bars, and markdown with raw HTML.
DEFERRED = {"StreamlitSyntaxHighlighter": (), "TextInput": (), "Progress": (), "StreamlitMarkdown": ("rehype-raw",)}

_FILE_LIST = re.compile(r"__vite__mapDeps=\(i,m=__vite__mapDeps,d=\(m\.f\|\|\(m\.f=\[([^\]]*)\]")
_LAZY_IMPORT = re.compile(r"import\(`\./([^`]+?\.js)`\)(?:\.then\([^()]*\))?,__vite__mapDeps\(\[([\d,]*)\]\)")
_ENTRY = re.compile(r'<script type="module" crossorigin src="\./static/js/([^"]+\.js)"></script>')


def chunk_name(file_name):
    """``"Slider.WU6er_Bo.js"`` → ``"Slider"``: the part before the build's hash."""
    return file_name.rsplit("/", 1)[-1].split(".", 1)[0]


def lazy_imports(module_text):
    """The module's lazy imports: ``{chunk file: [files it needs, the chunk first]}``, paths relative to
    the module's folder (``./x.js``, ``../css/x.css``)."""
    listed = _FILE_LIST.search(module_text)
    files = [name.strip('"') for name in listed.group(1).split(",")] if listed else []
    return {target: [files[int(i)] for i in indices.split(",") if i]
            for target, indices in _LAZY_IMPORT.findall(module_text)}


def chunk_files(static_dir, elements):
    """The static files (``static/js/…``, ``static/css/…``, relative to ``static_dir``) that ``elements``
    ({chunk: its own lazy imports}, like ``ELEMENTS``) load, each once, in order.  A chunk is looked up
    among the entry module's lazy imports, its own imports in the chunk's module."""
    js = Path(static_dir) / "static" / "js"
    entry = _ENTRY.search((Path(static_dir) / "index.html").read_text()).group(1)
    imports = {chunk_name(target): files for target, files in lazy_imports((js / entry).read_text()).items()}
    files = []
    for chunk, nested in elements.items():
        files += imports.get(chunk, [])
        for module in js.glob(f"{chunk}.*.js") if nested else ():
            files += [file for target, needed in lazy_imports(module.read_text()).items()
                      if chunk_name(target) in nested for file in needed]
    return list(dict.fromkeys(os.path.normpath(f"static/js/{file}") for file in files))


def preload_tags(files, scripts=()):
    """``<link>`` tags: module preloads for the chunks, style preloads for their CSS, script preloads for
    ``scripts`` (URLs relative to the page, e.g. the charts' plotly.js)."""
    tags = [f'<link rel="modulepreload" crossorigin href="./{file}">' if file.endswith(".js")
            else f'<link rel="preload" as="style" crossorigin href="./{file}">' for file in files]
    tags += [f'<link rel="preload" as="script" href="{url}">' for url in scripts]
    return "\n    ".join(tags)


def index_html(static_dir, scripts=()):
    """Streamlit's ``index.html`` with :func:`preload_tags` for ``ELEMENTS`` just before ``</head>``; the files
    the HTML names already are left out."""
    html = (Path(static_dir) / "index.html").read_text()
    files = [file for file in chunk_files(static_dir, ELEMENTS) if f"./{file}" not in html]
    return html.replace("</head>", f"  {preload_tags(files, scripts)}\n  </head>", 1)


def mirror(static_dir, scripts=()):
    """A new folder to serve as Streamlit's static folder: a link to each of its entries, and our
    :func:`index_html`.  Returns its path; the folder goes when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="course-frontend-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for entry in Path(static_dir).iterdir():
        if entry.name != "index.html":
            (folder / entry.name).symlink_to(entry)
    (folder / "index.html").write_text(index_html(static_dir, scripts))
    return str(folder)
