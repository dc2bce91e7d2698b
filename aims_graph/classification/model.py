"""Typed results of a classification, as plain dataclasses (``asdict`` gives JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Provision:
    iri: str
    notation: str | None


@dataclass(frozen=True)
class Record:
    """One derived outcome with its grounds; ``category`` is None for an exemption
    (an Article 6(3) exception or the Annex III point 5(b) carve-out)."""

    iri: str
    category: str | None
    grounds: tuple[Provision, ...]
    explanation: str
    rule: str


@dataclass(frozen=True)
class AppliedObligation:
    iri: str
    label: str
    provision: Provision | None
    condition: str | None  # when only some operators are bound, in words
    decided: bool = True  # False: the condition is for a person to judge (aims:obligationMayApply)
    applies_from: str | None = None  # ISO date, in the version in force on the as-of date, for the system's route
    version: str | None = None  # the aims:LegalActVersion in force on the as-of date
    applies_on_as_of: bool = False  # its provision applies on the as-of date (and the obligation is decided)


@dataclass(frozen=True)
class TimelineEntry:
    """The day one obligation starts to apply to a system, and under which version of the act."""

    date: str
    obligation: str
    label: str
    provision: Provision | None
    version: str
    version_label: str
    decided: bool


@dataclass
class SystemClassification:
    """Everything derived for one AI system or general-purpose AI model."""

    iri: str
    label: str | None
    kind: str  # "AISystem" or "GeneralPurposeAIModel"
    categories: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    obligations: list[AppliedObligation] = field(default_factory=list)
    as_of: str | None = None  # the date the law was read on (ISO)

    def to_dict(self) -> dict:
        return asdict(self)
