"""Phase of the episode from symptom onset: acute, subacute or chronic.

Source: ACP 2017 (Qaseem A et al. Ann Intern Med 2017;166:514-530): acute less than
4 weeks, subacute 4 to 12 weeks, chronic more than 12 weeks.

Boundaries, in whole days since onset (``as_of - onset_date``; onset day is day 0):

* acute:    day 0 to day 27  (less than 4 weeks = fewer than 28 days)
* subacute: day 28 to day 84 (exactly 4 weeks is subacute; exactly 12 weeks is still
  subacute, because chronic is *more than* 12 weeks)
* chronic:  day 85 onwards   (more than 84 days)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from radiculopathy_desktop.domain.build import fast_init

PHASES = ("acute", "subacute", "chronic")
ACUTE_BEFORE_DAY = 28  # acute while days < 28
CHRONIC_AFTER_DAY = 84  # chronic when days > 84
PHASE_SOURCE = ("ACP 2017: Qaseem A et al. Noninvasive treatments for acute, subacute, and chronic low back pain. "
                "Ann Intern Med 2017;166:514-530 (acute < 4 weeks, subacute 4-12 weeks, chronic > 12 weeks)")
PHASE_LABELS = {
    "acute": "Acute (under 4 weeks)",
    "subacute": "Subacute (4 to 12 weeks)",
    "chronic": "Chronic (over 12 weeks)",
}


@fast_init
@dataclass(frozen=True)
class Phase:
    name: str  # one of PHASES
    days_since_onset: int
    onset_date: dt.date
    as_of: dt.date

    @property
    def weeks_since_onset(self) -> int:
        """Completed weeks since onset."""
        return self.days_since_onset // 7

    @property
    def label(self) -> str:
        return PHASE_LABELS[self.name]

    def __str__(self) -> str:
        return self.name

    def to_dict(self) -> dict:
        return {
            "phase": self.name,
            "label": self.label,
            "days_since_onset": self.days_since_onset,
            "weeks_since_onset": self.weeks_since_onset,
            "onset_date": self.onset_date.isoformat(),
            "as_of": self.as_of.isoformat(),
            "source": PHASE_SOURCE,
        }


def phase_name(days_since_onset: int) -> str:
    if days_since_onset < 0:
        raise ValueError(f"days since onset cannot be negative (got {days_since_onset})")
    if days_since_onset < ACUTE_BEFORE_DAY:
        return "acute"
    if days_since_onset <= CHRONIC_AFTER_DAY:
        return "subacute"
    return "chronic"


def phase_of(onset_date: dt.date, as_of: dt.date) -> Phase:
    """The phase on ``as_of``; raises ValueError when ``as_of`` is before onset."""
    days = (as_of - onset_date).days
    if days < 0:
        raise ValueError(f"as_of ({as_of.isoformat()}) is before onset_date ({onset_date.isoformat()})")
    return Phase(phase_name(days), days, onset_date, as_of)
