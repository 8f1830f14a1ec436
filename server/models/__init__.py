"""Storage: typed SQLAlchemy 2.0 models. Imports only schemas/, never Flask."""

from server.models import engine, sequence  # noqa: F401  connection settings, seq stamping
from server.models.audit import AuditEvent
from server.models.auth import LoginAttempt, LoginSession
from server.models.base import Base
from server.models.decisions import ConcernAction, ReviewDecision, SuggestionDecision
from server.models.evidence import (
    Attachment,
    Concern,
    Entry,
    EntryPupil,
    SyncCounter,
    SyncOp,
    Template,
)
from server.models.imports import RosterImport
from server.models.mis import MisLock, MisRun, MisSource, SenFieldChange, SenFieldOwner
from server.models.passport import Passport, PassportConflict, PassportField, PassportFieldVersion
from server.models.projections import EnrolmentStats, GroupStats, VoicePoint
from server.models.provision import Enrolment, Group, Intervention, group_staff
from server.models.pupil import Pupil, PupilNeed, SenProvision
from server.models.school import School, SchoolClass, Staff, Term, class_teachers
from server.models.security import LegalHold, PupilModeGrant, SecondFactor, SecuritySettings
from server.models.sync_settings import SyncSettings
from server.models.trust import TrustGrant

__all__ = [
    "Attachment",
    "Concern",
    "ConcernAction",
    "Entry",
    "EntryPupil",
    "Passport",
    "PassportConflict",
    "PassportField",
    "PassportFieldVersion",
    "EnrolmentStats",
    "GroupStats",
    "VoicePoint",
    "SyncCounter",
    "SyncOp",
    "Template",
    "AuditEvent",
    "Base",
    "Enrolment",
    "Group",
    "Intervention",
    "LegalHold",
    "LoginAttempt",
    "LoginSession",
    "MisLock",
    "MisRun",
    "MisSource",
    "Pupil",
    "PupilModeGrant",
    "PupilNeed",
    "ReviewDecision",
    "RosterImport",
    "School",
    "SecondFactor",
    "SecuritySettings",
    "SchoolClass",
    "SenFieldChange",
    "SenFieldOwner",
    "SenProvision",
    "Staff",
    "SuggestionDecision",
    "SyncSettings",
    "Term",
    "TrustGrant",
    "class_teachers",
    "group_staff",
]
