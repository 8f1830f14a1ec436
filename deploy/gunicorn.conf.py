"""gunicorn settings for one app server; nginx in front spreads requests over several of these.

Sessions live in the database and attachments on a shared volume, so any worker on any
server can answer any request: nothing is kept in process memory between requests.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
# One thread per worker: a sync push is CPU-bound Python, and threads sharing a GIL slowed the
# worker holding the database's write lock (bench/sync_push.py: p95 at 8 tablets 425 ms with
# 2 workers x 4 threads, 220-310 ms with single-threaded workers). nginx buffers request bodies,
# so a slow upload never holds a worker.
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# Sync pushes of up to 500 ops and 10 MB photo uploads from slow school Wi-Fi need some slack.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so a slow leak can never take a server down in term time.
max_requests = 2000
max_requests_jitter = 200
# nginx sets X-Forwarded-*; trust it only from the private network the proxy sits on.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
# Log the path but never the query string, which could carry a pupil's name in a search.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(L)ss'


def post_worker_init(worker):
    """Move the loaded app (about 140,000 objects: Flask, SQLAlchemy, marshmallow, our modules)
    out of the garbage collector's sight. They live as long as the worker; yet each full
    collection walked them all, a 60-100 ms pause that fell on whichever push was running.

    Then collect less often. A request frees nearly all it makes by reference counting, yet
    the default threshold (700 new objects) ran the collector several times in every push
    (bench/sync_push.py at 8 and 32 tablets). Cycles now wait for 50,000: a few MB at most."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
