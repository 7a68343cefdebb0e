"""The clinic's country (for the emergency number on handouts and warnings): one field of
the store's :class:`~radiculopathy_desktop.domain.clinic.ClinicSettings`, kept in the
database with the clinic's name, address and profile, audited as ``settings_changed``.
These helpers keep the call sites that only need the country short."""

from __future__ import annotations

from radiculopathy_desktop.domain.emergency import Country, check_country, country_for
from radiculopathy_desktop.storage.changes import Changes


def get_clinic_country_code(store) -> str | None:
    """The stored country code, or None when the clinic has not chosen one yet."""
    return store.clinic_settings().country


def clinic_country(store, profile: str | None) -> Country:
    """The clinic's country: the stored one, else the one ``profile`` implies (None: "other")."""
    return country_for(store.clinic_settings().country, profile)


def set_clinic_country(store, code: str, user: str) -> Changes:
    """Store the clinic's country (``CountryError`` for an unknown code)."""
    code = check_country(code)
    return store.set_clinic_settings(store.clinic_settings().updated(country=code), user)
