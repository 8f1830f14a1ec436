"""A push batch in three parts: what came in (checked before the write lock), what the batch
will write (planned under it), and what each op is told."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from sync.merge.contributions import Deltas
from sync.scope import Scope


@dataclass
class PreparedOp:
    """One op after every check that needs no lock: envelope, payload, core fields, answers."""

    op: object
    digest: str
    parsed: dict | None
    errors: dict
    version: dict | None = None  # a new entry version that passed its checks; rev set later
    content_errors: dict = field(default_factory=dict)


@dataclass
class PushInput:
    scope: Scope
    device_id: str
    ops: list[PreparedOp] = field(default_factory=list)
    # One moment for the whole batch: every row it writes then shares one value, which the
    # bulk writer converts once (server/models/bulk.py), not once per row.
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # What every checked new session version adds to the projections, summed before the lock
    # so the write only takes away the few that end up refused or replaced within the batch.
    sessions: Deltas = field(default_factory=Deltas)


@dataclass
class Plan:
    """What the batch will write, decided op by op against stored history."""

    known_ops: dict = field(default_factory=dict)  # op_id -> stored or earlier-in-batch op
    used_seqs: set = field(default_factory=set)
    heads: dict = field(default_factory=dict)  # entry_id -> head version, as the batch leaves it
    replaced: dict = field(default_factory=dict)  # entry_id -> head version as stored
    authors: dict = field(default_factory=dict)  # entry_id -> who recorded its first version
    entries: list = field(default_factory=list)  # new version rows, in op order
    passport_fields: dict = field(default_factory=dict)  # (pupil_id, field) -> PassportField
    passport_conflicts: list = field(default_factory=list)  # (PassportConflict, its result)
    ops: list = field(default_factory=list)  # sync_ops rows of accepted ops


@dataclass
class Batch:
    session: Session
    input: PushInput
    plan: Plan = field(default_factory=Plan)
    results: list[dict] = field(default_factory=list)

    @property
    def scope(self) -> Scope:
        return self.input.scope

    @classmethod
    def for_web_edit(cls, session: Session, scope: Scope) -> "Batch":
        """A batch of one passport edit made in the browser, planned by the same rules."""
        return cls(session, PushInput(scope, device_id="web"))
