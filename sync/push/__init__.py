"""Push (DESIGN §5.1): a batch of device ops, idempotent per op, where one bad op never fails
its neighbours. `pipeline.push` is the whole path, read top-down: prepare (no lock), commit,
take the write lock, apply, commit, with retries."""

from sync.push.pipeline import Busy, push
from sync.push.prepare import body_hash

__all__ = ["Busy", "body_hash", "push"]
