"""Pupil-contact reports (clause 5), concerns about staff (4.1, 5, 6(iv)) and their
attachments: the most sensitive records Boundaries holds."""

from boundaries.concerns.models.attachments import Attachment
from boundaries.concerns.models.concerns import (
    Concern,
    ConcernEvent,
    ConcernKind,
    ConcernSource,
    ConcernStatus,
    Outcome,
)
from boundaries.concerns.models.pupil_contacts import (
    ContactStatus,
    ContactStep,
    PupilContactReport,
    StepKind,
)

__all__ = [
    "Attachment",
    "Concern",
    "ConcernEvent",
    "ConcernKind",
    "ConcernSource",
    "ConcernStatus",
    "ContactStatus",
    "ContactStep",
    "Outcome",
    "PupilContactReport",
    "StepKind",
]
