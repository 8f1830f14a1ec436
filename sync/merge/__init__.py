"""The merge (DESIGN §6): entries in, projections out, incrementally and by full rebuild."""

from sync.merge.apply import apply_batch
from sync.merge.rebuild import projection_snapshot, rebuild

__all__ = ["apply_batch", "projection_snapshot", "rebuild"]
