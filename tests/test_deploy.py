"""The shipped gunicorn settings do what their comments promise."""

import os
import runpy
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONF = os.path.join(ROOT, "deploy", "gunicorn.conf.py")

# Runs in its own interpreter: freezing this test process's objects would outlive the test.
FREEZE_CHECK = f"""
import gc, runpy
from server import create_app
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite://"}})
gc.collect()
walked_before = len(gc.get_objects())
runpy.run_path({CONF!r})["post_worker_init"](None)
print(gc.get_freeze_count(), walked_before, len(gc.get_objects()))
"""


def test_workers_default_to_one_thread_and_several_processes(monkeypatch):
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    settings = runpy.run_path(CONF)
    assert settings["threads"] == 1
    assert settings["workers"] >= 3


def test_worker_hides_the_loaded_app_from_full_collections(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", FREEZE_CHECK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "INSTANCE_PATH": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, walked_before, walked_after = map(int, done.stdout.split())
    assert frozen > 50_000
    # What a full collection walks: the whole app before, next to nothing after.
    assert walked_after < walked_before / 100
