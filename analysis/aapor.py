"""Response rates of the AAPOR Standard Definitions (10th edition) from invitation dispositions.

How the platform's dispositions map to AAPOR's categories:

| disposition | meaning | AAPOR |
|---|---|---|
| completed | response submitted | I (complete) |
| started, not submitted, >= 80 % of the applicable questions answered | broke off near the end | I (complete) |
| started, not submitted, 50-80 % answered | broke off midway | P (partial) |
| started, not submitted, < 50 % answered (or nothing) | broke off early | R (refusal and break-off) |
| refused | declined (recorded by the researcher) | R |
| invited | never responded | UH (unknown eligibility: nothing known) |
| undeliverable | the invitation did not reach them | UO (unknown eligibility, other) |
| ineligible | not part of the population | excluded from every rate |

No one is classed as non-contact (NC) or other (O): a web invitation gives no such information.

The thresholds are AAPOR's common ones (Standard Definitions, 10th ed., on break-offs: a case with 80 % or more
of the applicable questions answered is a complete, 50-80 % a partial, under 50 % a break-off) and can be set in
the instance configuration (AAPOR_COMPLETE_SHARE, AAPOR_PARTIAL_SHARE). "Applicable" questions are those whose
condition holds given the respondent's answers. A submitted response is a complete whatever it skipped: the
respondent reached the end, and what they left blank is item nonresponse.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMULAS = {
    "RR1": "I / ((I + P) + (R + NC + O) + (UH + UO))",
    "RR2": "(I + P) / ((I + P) + (R + NC + O) + (UH + UO))",
    "COOP1": "I / ((I + P) + R + O)",
}


PROGRESS = "progress:"  # the monitoring's counter of started, unsubmitted invitations: progress:PERCENT answered


@dataclass(frozen=True)
class BreakOff:
    """AAPOR's break-off rule: the share of applicable questions answered that makes an unsubmitted case a
    complete (I), a partial (P) or a break-off (R)."""

    complete: float = 0.8
    partial: float = 0.5

    def __post_init__(self):
        if not 0 < self.partial <= self.complete <= 1:
            raise ValueError(f"the break-off thresholds need 0 < partial ({self.partial}) <= complete "
                             f"({self.complete}) <= 1")

    def category(self, percent: int) -> str:
        """complete, partial or refusal (AAPOR's R holds break-offs) for a case with `percent` % answered."""
        if percent >= 100 * self.complete:
            return "complete"
        return "partial" if percent >= 100 * self.partial else "refusal"


@dataclass(frozen=True)
class Dispositions:
    complete: int = 0  # I
    partial: int = 0  # P
    refusal: int = 0  # R (refusals and break-offs)
    non_contact: int = 0  # NC
    other: int = 0  # O
    unknown_household: int = 0  # UH
    unknown_other: int = 0  # UO
    ineligible: int = 0

    @property
    def invited(self) -> int:
        return (self.complete + self.partial + self.refusal + self.non_contact + self.other
                + self.unknown_household + self.unknown_other + self.ineligible)


@dataclass(frozen=True)
class Rates:
    rr1: float | None
    rr2: float | None
    coop1: float | None


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def rates(d: Dispositions) -> Rates:
    interviews = d.complete + d.partial
    eligible_or_unknown = interviews + d.refusal + d.non_contact + d.other + d.unknown_household + d.unknown_other
    return Rates(
        rr1=_ratio(d.complete, eligible_or_unknown),
        rr2=_ratio(interviews, eligible_or_unknown),
        coop1=_ratio(d.complete, interviews + d.refusal + d.other),
    )
