# The course in a container, after Streamlit's deployment guide: slim Python, the health endpoint as
# HEALTHCHECK, a non-root user. Nothing is downloaded at build time but the packages of requirements.txt
# and the charts' pinned plotly.js bundle (scripts/fetch_plotly_js.py: checked against its sha512).
# One container is one process (one core); compose.yaml runs several behind nginx with sticky sessions.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt
# The charts' first plotly.js into static/ now (the running app never writes to its own folder): the
# cartesian bundle of the installed plotly's plotly.js version.
COPY scripts/fetch_plotly_js.py scripts/fetch_plotly_js.py
RUN python scripts/fetch_plotly_js.py

COPY app.py .
COPY .streamlit .streamlit
COPY pages pages
COPY ui ui
COPY lessons lessons
COPY optimizers optimizers
COPY models models
COPY deploy deploy
COPY assets assets
COPY scripts/serve.py scripts/serve.py
# The full plotly.js, for 3-D figures, copied from the installed plotly package.
RUN python -c "from ui import plot; plot.ensure_plotly_js()" \
    && useradd --create-home --uid 10001 course
USER course

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read() != b'ok')"]
ENTRYPOINT ["python", "scripts/serve.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
