"""What staff and panels declare: connections (4.1(iv), 4.1(v)), recruitment attestations
(4.2) and the school device register (5). See docs/decisions/0006."""

from boundaries.declarations.models.connections import (
    AdviceText,
    ConnectionDeclaration,
    CounterpartKind,
    DeclarationOutcome,
    DeclarationStatus,
    Relationship,
)
from boundaries.declarations.models.devices import DeviceKind, DeviceLoan, SchoolDevice
from boundaries.declarations.models.recruitment import (
    AttestationKind,
    RecruitmentAttestation,
    ShortlistedCandidate,
    Vacancy,
)

__all__ = [
    "AdviceText",
    "AttestationKind",
    "ConnectionDeclaration",
    "CounterpartKind",
    "DeclarationOutcome",
    "DeclarationStatus",
    "DeviceKind",
    "DeviceLoan",
    "RecruitmentAttestation",
    "Relationship",
    "SchoolDevice",
    "ShortlistedCandidate",
    "Vacancy",
]
