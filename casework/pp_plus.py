"""Pupil Premium Plus for one PEP, computed once here for the child page, the PDF and the sign-off rule:
the year's rate, what was requested of the virtual school, what it approved, what is allocated against the
PEP's targets and what was spent."""

from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class PPPlusSummary:
    financial_year: str
    rate: Decimal | None  # None: no rate recorded for the year
    requested: Decimal
    approved: Decimal  # answered requests only
    awaiting: Decimal  # requested, not yet answered
    allocated: Decimal
    spent: Decimal
    requests: list = field(default_factory=list)
    targets: list = field(default_factory=list)

    @property
    def ceiling(self) -> Decimal:
        """What the targets may be allocated: approved, plus what is still awaiting an answer."""
        return self.approved + self.awaiting

    @property
    def ceiling_basis(self) -> str:
        if not self.requests:
            return "requested (no request is recorded)"
        if self.awaiting == self.requested:
            return "requested"
        if not self.awaiting:
            return "approved"
        return "approved or still awaiting an answer"

    @property
    def over_allocated(self) -> bool:
        return self.allocated > self.ceiling

    @property
    def unallocated(self) -> Decimal:
        return max(self.ceiling - self.allocated, ZERO)

    @property
    def overspent_targets(self) -> list:
        return [t for t in self.targets if t.ppplus_spent > t.ppplus_allocated]


def rates_by_year() -> dict[str, Decimal]:
    from .models import PPPlusRate

    return dict(PPPlusRate.objects.values_list("financial_year", "amount_per_child"))


def summarise(pep, rates: dict[str, Decimal] | None = None) -> PPPlusSummary:
    """Uses `pep.targets.all()` and `pep.ppplus_requests.all()` (prefetch them for a list) and one query for
    the rate unless `rates` (from `rates_by_year`) is given."""
    from .models.pupil_premium import financial_year_of

    year = financial_year_of(pep.period_starts_on)
    if rates is None:
        rates = rates_by_year()
    requests = list(pep.ppplus_requests.all()) if pep.pk else []
    targets = list(pep.targets.all()) if pep.pk else []
    answered = [r.approved for r in requests if r.approved is not None]
    return PPPlusSummary(
        financial_year=year,
        rate=rates.get(year),
        requested=sum((r.amount_requested for r in requests), ZERO),
        approved=sum(answered, ZERO),
        awaiting=sum((r.amount_requested for r in requests if r.approved is None), ZERO),
        allocated=sum((t.ppplus_allocated for t in targets), ZERO),
        spent=sum((t.ppplus_spent for t in targets), ZERO),
        requests=requests,
        targets=targets,
    )
