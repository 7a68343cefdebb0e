"""The emergency and urgent-help numbers a patient is told to call, by the clinic's country.

One table, used by every handout and warning. The clinic's country is a setting
(``clinic_country``: chosen at first run and in Settings, or ``settings set``); until it
is set, the guideline profile decides (``uk`` -> United Kingdom, ``us`` -> United States).

Sources:
* United Kingdom: NHS, "When to call 999" and "NHS 111" (999 for a life-threatening
  emergency; 111 for urgent help that is not an emergency). 112 also works in the UK.
* United States: FCC, "911 Emergency Communications" (911 is the national emergency number).
* European Union: Directive (EU) 2018/1972 (European Electronic Communications Code),
  Article 109: 112 is the single European emergency number in every member state.

Pure Python: no Qt.
"""

from __future__ import annotations

from radiculopathy_desktop.domain.frozen import FrozenRecord


class Country(FrozenRecord):
    """One row of the table (a hand-written frozen record, domain/frozen.py: issue 17)."""

    _fields = ("code", "label", "emergency", "urgent", "source")
    code: str
    label: str
    emergency: str | None  # None: the clinic's country is not in the table
    urgent: str | None  # a non-emergency urgent line (NHS 111), where there is one
    source: str

    def __init__(self, code: str, label: str, emergency: str | None, urgent: str | None = None, source: str = ""):
        self._set_fields(code, label, emergency, urgent, source)


COUNTRIES: dict[str, Country] = {
    "uk": Country("uk", "United Kingdom (999, NHS 111)", "999", "111",
                  "NHS: When to call 999; NHS 111 for urgent help that is not an emergency"),
    "us": Country("us", "United States (911)", "911", None, "FCC: 911 Emergency Communications"),
    "eu": Country("eu", "European Union (112)", "112", None,
                  "Directive (EU) 2018/1972, Article 109: the single European emergency number 112"),
    "other": Country("other", "Another country (the handouts say \"your local emergency number\")", None),
}
DEFAULT_BY_PROFILE = {"uk": "uk", "us": "us"}
SETTING_KEY = "clinic_country"

_WORDS = {
    "en": {"local": "your local emergency number", "ed": "go to the emergency department",
           "urgent": "call NHS {urgent} for urgent advice, or go to the emergency department"},
    "es": {"local": "número local de emergencias", "ed": "vaya a urgencias",
           "urgent": "llame al {urgent} (NHS) para pedir consejo urgente, o vaya a urgencias"},
}


class CountryError(ValueError):
    """An unknown country code (the message lists the known ones)."""


def check_country(code: str) -> str:
    code = (code or "").strip().lower()
    if code not in COUNTRIES:
        raise CountryError(f"clinic_country must be one of {', '.join(COUNTRIES)} (got {code!r}).")
    return code


def country_for(stored: str | None, profile: str | None) -> Country:
    """The clinic's country: the setting, else the one the guideline profile implies, else "other"."""
    if stored in COUNTRIES:
        return COUNTRIES[stored]
    return COUNTRIES[DEFAULT_BY_PROFILE.get(profile or "", "other")]


def emergency_words(country: Country, lang: str = "en") -> dict[str, str]:
    """The handout placeholders: ``emergency_number`` ("999", or "your local emergency number")
    and ``urgent_help`` (what to do when the clinic cannot be reached today)."""
    words = _WORDS.get(lang, _WORDS["en"])
    return {
        "emergency_number": country.emergency or words["local"],
        "urgent_help": words["urgent"].format(urgent=country.urgent) if country.urgent else words["ed"],
    }
