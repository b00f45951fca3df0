"""Response rates of the AAPOR Standard Definitions (10th edition) from invitation dispositions.

How the platform's dispositions map to AAPOR's categories:

| disposition | meaning | AAPOR |
|---|---|---|
| completed | response submitted | I (complete) |
| started, with answers saved | consented and answered at least one page | P (partial) |
| started, nothing answered | consented, then broke off | R (refusal and break-off) |
| refused | declined (recorded by the researcher) | R |
| invited | never responded | UH (unknown eligibility: nothing known) |
| undeliverable | the invitation did not reach them | UO (unknown eligibility, other) |
| ineligible | not part of the population | excluded from every rate |

No one is classed as non-contact (NC) or other (O): a web invitation gives no such information.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMULAS = {
    "RR1": "I / ((I + P) + (R + NC + O) + (UH + UO))",
    "RR2": "(I + P) / ((I + P) + (R + NC + O) + (UH + UO))",
    "COOP1": "I / ((I + P) + R + O)",
}


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
