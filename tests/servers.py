"""Real servers for tests: daphne processes on the test database, and a Redis of their own."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
DAPHNE = [sys.executable, "-m", "daphne", "-b", "127.0.0.1"]
# In memory only: nothing written to disk, as CI's own Redis.
REDIS_OPTIONS = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
# How long a daphne worker may take to stop after SIGTERM before it is killed (see stop()).
STOP_WAIT_S = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    """The test database, as the environment of a server process names it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"]}
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {"DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}


def server_environment(**extra):
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(DEBUG="0", HTTPS="0", ALLOWED_HOSTS="127.0.0.1,localhost")
    environment.update(database_url())
    environment.update(extra)
    return environment


def wait_until_healthy(process, url, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(Path(log_path).read_text()) from None
            time.sleep(0.2)


def start_daphne(environment, log_path, port=None, arguments=()):
    """A daphne worker serving the ASGI app; returns (process, url) once /healthz answers.
    `arguments` go to daphne's command line (for example its ping interval)."""
    port = port or free_port()
    log = open(log_path, "a")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [*DAPHNE, "-p", str(port), *arguments, "jointlearn.asgi:application"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(process, url, log_path)
    return process, url


def stop(process, *, kill=False):
    """Daphne gives its handlers up to 10 s (its application close timeout) to finish after
    SIGTERM, so waiting exactly that long raced with it (CI of session 8); past 30 s it is
    killed, which is not what any test checks."""
    if process.poll() is None:
        process.kill() if kill else process.terminate()
        try:
            process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if getattr(process, "log", None):
        process.log.close()


def start_redis(directory, port=None):
    """A throw-away Redis on a free port (redis-server from Debian, as CI installs it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    port = port or free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), *REDIS_OPTIONS, "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(b"PING\r\n")
                if probe.recv(16).startswith(b"+PONG"):
                    return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.1)
