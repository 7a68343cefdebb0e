"""Spanish handouts read right for every patient and clinician (rd13 D5).

rd13: "Se la dio Dr Demo" lacks the article a name needs in Spanish ("el Dr." / "la Dra.": the
app does not know which); "confuso o débil" and other masculine adjectives were printed for women.
So: the clinician is named after a noun of both genders ("su profesional, Dr Demo,"), and no
Spanish sheet describes the patient with an adjective that agrees only with a man. The word list
is the masculine forms the sheets used (rd13's and those found with them), checked in every
Spanish sheet's text.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

#: masculine-only words the Spanish sheets used for the patient (feminine forms differ)
MASCULINE_FOR_THE_PATIENT = ("confuso", "eufórico", "decaído", "preocupado", "nervioso", "cómodo", "apoyado",
                             "activo", "sentado", "mareado", "cansado", "tumbado", "acostado", "seguro de sí")


@pytest.mark.parametrize("sheet", hc.list_sheets("es"), ids=lambda s: s.id)
def test_no_spanish_sheet_describes_the_patient_in_the_masculine_only(sheet):
    text = hc.plain_text(sheet).lower()
    found = [w for w in MASCULINE_FOR_THE_PATIENT if re.search(rf"(?<!\w){w}(?!\w)", text)]
    assert found == [], (sheet.id, found)


@pytest.mark.parametrize("clinician, clinic, expected", [
    ("Dr Demo", "Riverside", "Se la dio su profesional, Dr Demo, de Riverside, el 30 de noviembre de 2026."),
    ("Dr Demo", "", "Se la dio su profesional, Dr Demo, el 30 de noviembre de 2026."),
    ("", "Riverside", "Se la dio Riverside el 30 de noviembre de 2026."),
    ("", "", "Se la dio su centro el 30 de noviembre de 2026."),
])
def test_the_spanish_intro_names_the_clinician_after_a_noun_of_both_genders(clinician, clinic, expected):
    req = h.HandoutRequest(patient_name="Ana", clinician=clinician or "su profesional", clinic_name=clinic or "su centro",
                           clinic_contact="555", date=dt.date(2026, 11, 30), next_follow_up_date=dt.date(2026, 12, 14),
                           lang="es", sheets=("about_sciatica",), clinician_given=clinician, clinic_name_given=clinic)
    (sheet,) = h.filled_sheets(req)
    intro = " ".join(sheet.intro)
    assert expected in intro
    assert not re.search(r"Se la dio (Dr|Dra|Doctor|Doctora)\b", intro)


def test_the_clinic_details_name_the_clinician_the_same_way():
    text = h.clinic_details("Riverside", "555", "es", "Dr Demo")
    assert "Su profesional es Dr Demo." in text and "Le atiende Dr" not in text
