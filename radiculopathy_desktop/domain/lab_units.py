"""The unit a clinic's laboratory reports serum creatinine in, and a typed value the unit
chosen may misread (gp17 F13: under the uk profile the intake offered mg/dL first, and a UK
result of "80" is 80 µmol/L).

* The default unit follows the clinic's country (the setting, else the one its guideline
  profile implies: :func:`radiculopathy_desktop.domain.emergency.country_for`), from
  :data:`CREATININE_UNIT_BY_COUNTRY`. A country with no entry keeps the first unit of
  :data:`~radiculopathy_desktop.domain.intake.CREATININE_UNITS`.
* :func:`creatinine_unit_question`: a value the chosen unit cannot hold but the other can
  (80 as mg/dL), or one both can hold (15: 15 mg/dL is severe kidney failure, 15 µmol/L far
  below an adult's range), is questioned with both readings. The accepted ranges are the
  intake's own (:data:`~radiculopathy_desktop.domain.intake.CREATININE_RANGES`): nothing is
  changed, the clinician checks the unit on the report.

Pure Python: no Qt.
"""

from __future__ import annotations

from radiculopathy_desktop.domain.emergency import country_for
from radiculopathy_desktop.domain.intake import CREATININE_RANGES, CREATININE_UNITS, UMOL_PER_MG_DL

#: country code -> (unit, source). Only where a source says which unit the laboratories report.
CREATININE_UNIT_BY_COUNTRY: dict[str, tuple[str, str]] = {
    "uk": ("umol/L", "NHS laboratories report serum creatinine in µmol/L: South Tees NHS pathology, Creatinine "
                     "(www.southtees.nhs.uk/services/pathology/tests/creatinine: adult serum 50-120 umol/L); "
                     "University Hospitals Sussex pathology, creatinine (male 59-104 µmol/L) [read in the labs' "
                     "own test pages; no national statement of the unit read]"),
    "us": ("mg/dL", "US laboratories report conventional units, mg/dL, the unit of the Cockcroft-Gault equation "
                    "the US labels use [unverified: no primary statement of US reporting units read]"),
}

UNIT_WORDS = {"mg/dL": "mg/dL", "umol/L": "µmol/L"}


def default_creatinine_unit(country: str | None, profile: str | None) -> str:
    """The unit the intake offers first for this clinic (its country, else its profile's)."""
    entry = CREATININE_UNIT_BY_COUNTRY.get(country_for(country, profile).code)
    return entry[0] if entry else CREATININE_UNITS[0]


def _other(unit: str) -> str:
    return next(u for u in CREATININE_UNITS if u != unit)


def _convert(value: float, unit: str) -> float:
    """``value`` in ``unit`` expressed in the other unit."""
    return value / UMOL_PER_MG_DL if unit == "umol/L" else value * UMOL_PER_MG_DL


def _say(value: float, unit: str) -> str:
    return f"{value:.2f} {UNIT_WORDS[unit]}" if unit == "mg/dL" else f"{value:.0f} {UNIT_WORDS[unit]}"


def _fits(value: float, unit: str) -> bool:
    lo, hi = CREATININE_RANGES[unit]
    return lo <= value <= hi


def creatinine_unit_question(value: float | None, unit: str) -> str | None:
    """The question a typed creatinine raises about its unit, or None.

    Outside the chosen unit's range but inside the other's: it cannot be this unit (the
    intake refuses it) and says what it would be in the other. Inside both: it is read in the
    chosen unit, with what it would be in the other, to be checked against the report."""
    if value is None or unit not in CREATININE_RANGES:
        return None
    other = _other(unit)
    typed = f"{value:g}"
    if not _fits(value, unit):
        if not _fits(value, other):
            return None  # refused with its range; no other reading
        lo, hi = CREATININE_RANGES[unit]
        return (f"{typed} is not a possible creatinine in {UNIT_WORDS[unit]} ({lo:g}-{hi:g}). If the report says "
                f"{UNIT_WORDS[other]}, choose {UNIT_WORDS[other]} ({typed} {UNIT_WORDS[other]} is "
                f"{_say(_convert(value, other), unit)}).")
    if _fits(value, other):
        return (f"Check the unit on the report: {typed} is read as {typed} {UNIT_WORDS[unit]} "
                f"({_say(_convert(value, unit), other)}); as {UNIT_WORDS[other]} it would be "
                f"{_say(_convert(value, other), unit)}.")
    return None
