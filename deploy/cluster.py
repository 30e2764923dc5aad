"""N course processes behind nginx on one machine: the compose file's topology without Docker.

``python -m deploy.cluster --apps 2 --port 8500`` starts app processes on ports 8501, 8502, … (each
``scripts/serve.py``, so each imports everything before its first learner) and nginx on 8500, waits
until every app answers ``/_stcore/health``, and stops them all on Ctrl-C or SIGTERM.  Tests and
``benchmarks/bench_load.py`` use :func:`running_cluster`.
"""

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from deploy.nginx_conf import nginx_config

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def wait_healthy(url, timeout=90.0):
    """Poll ``url`` (a /_stcore/health address) until it answers "ok"; raise after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer ok within {timeout:.0f} s")


def start_app(port, log_path):
    """One course process on 127.0.0.1:``port``, its output in ``log_path``."""
    log = open(log_path, "wb")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start_nginx(backends, port, run_dir):
    """nginx in the foreground on 127.0.0.1:``port`` balancing over ``backends``, files in ``run_dir``."""
    run_dir = Path(run_dir)
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx_config(backends, f"127.0.0.1:{port}", run_dir))
    subprocess.run([NGINX, "-t", "-q", "-c", str(conf), "-e", str(run_dir / "error.log")], check=True)
    return subprocess.Popen([NGINX, "-c", str(conf), "-e", str(run_dir / "error.log")],
                            start_new_session=True)


def stop(processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def running_cluster(apps, port, run_dir=None):
    """Start ``apps`` course processes and nginx on ``port``; yield the base URL; stop them all.

    ``apps = 0`` starts one process on ``port`` itself, without nginx (the single-process baseline).
    """
    with contextlib.ExitStack() as stack:
        if run_dir is None:
            run_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="course-cluster-"))
        processes = []
        stack.callback(stop, processes)
        if apps == 0:
            processes.append(start_app(port, Path(run_dir) / f"app-{port}.log"))
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health")
        else:
            app_ports = [port + 1 + i for i in range(apps)]
            processes += [start_app(p, Path(run_dir) / f"app-{p}.log") for p in app_ports]
            for p in app_ports:
                wait_healthy(f"http://127.0.0.1:{p}/_stcore/health")
            processes.insert(0, start_nginx([f"127.0.0.1:{p}" for p in app_ports], port, run_dir))
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health")
        yield f"http://127.0.0.1:{port}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=os.cpu_count() or 2,
                        help="app processes behind nginx (default: one per core)")
    parser.add_argument("--port", type=int, default=8500, help="nginx's port; the apps take the next ones")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with running_cluster(args.apps, args.port) as url:
        print(f"The course is served by {args.apps} processes behind nginx at {url}", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
