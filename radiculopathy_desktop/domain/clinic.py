"""The clinic's own details, printed on handouts and used as defaults: one typed record.

Kept with the data (the store's settings table), not in the window's per-user
preferences: a command-line handout carries the same address as one printed from the
window, a restored backup brings its clinic details back, and two data folders (two
clinics, or a demo folder) keep their own. Changing them is audited
(``settings_changed``) by the store.
"""

from __future__ import annotations

from typing import Any, Mapping

from radiculopathy_desktop.domain.emergency import CountryError, check_country
from radiculopathy_desktop.domain.frozen import FrozenRecord

#: The guideline profiles a clinic can choose as its default (``--profile`` overrides it).
CLINIC_PROFILES = ("us", "uk")
DEFAULT_PROFILE = "us"
MAX_NAME = 120
MAX_ADDRESS = 500


class ClinicSettingsError(ValueError):
    """A clinic detail that cannot be stored; the message names the field (``clinic_name``...)."""


class ClinicSettings(FrozenRecord):
    """The clinic's name, its contact block (address and phone, as printed on handouts),
    its country (the emergency number; None until chosen: then the profile implies it)
    and its default guideline profile. A hand-written frozen record (domain/frozen.py:
    read before the window's first paint, issue 17)."""

    _fields = ("name", "address", "country", "profile")
    name: str
    address: str
    country: str | None
    profile: str

    def __init__(self, name: str = "", address: str = "", country: str | None = None,
                 profile: str = DEFAULT_PROFILE):
        self._set_fields(name, address, country, profile)

    def validated(self, new_input: bool = True) -> "ClinicSettings":
        """A cleaned copy (blanks trimmed, country and profile lower-cased), or :class:`ClinicSettingsError`.

        New input (``new_input``) also refuses, in the name and each line of the address,
        the invisible characters a name refuses (direction overrides, zero width space...:
        :mod:`~radiculopathy_desktop.domain.characters`; rt10 F8), naming the character;
        a value stored before that check stays readable (the handout shows it escaped)."""
        name = (self.name or "").strip()
        address = "\n".join(line.rstrip() for line in (self.address or "").strip().splitlines())
        if len(name) > MAX_NAME:
            raise ClinicSettingsError(f"clinic_name is longer than {MAX_NAME} characters.")
        if any(ord(c) < 32 for c in name):
            raise ClinicSettingsError("clinic_name must be one line of printable text.")
        if len(address) > MAX_ADDRESS:
            raise ClinicSettingsError(f"clinic_address is longer than {MAX_ADDRESS} characters.")
        if any(ord(c) < 32 and c != "\n" for c in address):
            raise ClinicSettingsError("clinic_address must be printable text (lines are allowed).")
        if new_input:
            _refuse_hidden(name=name, address=address)
        country = None
        if self.country not in (None, ""):
            try:
                country = check_country(str(self.country))
            except CountryError as exc:
                raise ClinicSettingsError(str(exc)) from None
        profile = str(self.profile or "").strip().lower()  # one case rule with the country: "UK" is uk
        if profile not in CLINIC_PROFILES:
            raise ClinicSettingsError(f"guideline_profile must be one of {', '.join(CLINIC_PROFILES)} "
                                      f"(got {self.profile!r}).")
        return ClinicSettings(name=name, address=address, country=country, profile=profile)

    def updated(self, **values: Any) -> "ClinicSettings":
        """A validated copy with ``values``; only the fields given are new input (a stored
        name from before the hidden-character check does not block a change of country)."""
        out = self.replace(**values).validated(new_input=False)
        _refuse_hidden(**{k: getattr(out, k) for k in ("name", "address") if k in values})
        return out

    def differences(self, other: "ClinicSettings") -> dict[str, list]:
        """``{field: [self's value, other's value]}`` for each field that differs (for the audit)."""
        return {k: [getattr(self, k), getattr(other, k)] for k in FIELDS if getattr(self, k) != getattr(other, k)}


def _refuse_hidden(name: str | None = None, address: str | None = None) -> None:
    """:class:`ClinicSettingsError` naming an invisible character a name refuses (rt10 F8)."""
    from radiculopathy_desktop.domain.characters import typed_text_problem

    wrong = ((name and typed_text_problem("clinic_name", name))
             or (address and typed_text_problem("clinic_address", address, lines=True)))
    if wrong:
        raise ClinicSettingsError(wrong + ".")


FIELDS = ("name", "address", "country", "profile")

#: The settings-table key of each field (``clinic_name`` and ``clinic_country`` are the keys
#: earlier versions stored, kept so an existing database keeps its values).
SETTING_KEYS: Mapping[str, str] = {"name": "clinic_name", "address": "clinic_address",
                                   "country": "clinic_country", "profile": "guideline_profile"}


def from_stored(values: Mapping[str, Any]) -> ClinicSettings:
    """ClinicSettings from stored values keyed by :data:`SETTING_KEYS`; a value that is
    missing, of the wrong type or no longer valid falls back to its default, field by field."""
    out = ClinicSettings()
    for field_name, key in SETTING_KEYS.items():
        value = values.get(key)
        if not isinstance(value, str):
            continue
        try:
            out = out.replace(**{field_name: value}).validated(new_input=False)
        except ClinicSettingsError:
            continue
    return out
