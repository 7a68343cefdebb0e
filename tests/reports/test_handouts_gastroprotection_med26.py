"""med26: handouts still render for a patient with the medicines med26 added (a PPI, an H2-receptor
antagonist, ranitidine, clopidogrel with omeprazole, Vimovo, Arthrotec in pregnancy), in both
languages, and a PPI no longer stops a medicine sheet as an unrecognised medicine would (the
sheet with a dose needs confirm_unrecognised only while a medicine is not recognised)."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

from tests.reports.conftest import AS_OF, CLINIC, CONTACT


def _case(medicines, **patient):
    data = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
    data["medicines"] = [{"name": name} for name in medicines]
    data["patient"].update(patient)
    return parse_case(data)


@pytest.mark.parametrize("lang", hc.LANGUAGES)
@pytest.mark.parametrize("medicines, patient", [
    (["ibuprofen 400mg", "omeprazole 20mg"], {}),
    (["naproxen 500mg", "aspirin 75mg", "lansoprazole 15mg"], {}),
    (["clopidogrel 75mg", "omeprazole 20mg"], {}),
    (["Vimovo 500/20"], {}),
    (["famotidine 20mg", "ranitidine 150mg"], {}),
    (["Arthrotec 50"], {"pregnancy_weeks": 12}),
    (["Cytotec"], {"pregnant": False}),
])
def test_handouts_render_with_the_gastroprotection_medicines(qapp_offscreen, tmp_path, lang, medicines, patient):
    case = _case(medicines, **patient)
    req = h.request_for_case(case, AS_OF, clinic_name=CLINIC, clinic_contact=CONTACT, lang=lang)
    out = tmp_path / f"{lang}.pdf"
    pages = h.write_handout_pdf(req, out)
    reader = PdfReader(out)
    assert pages >= 1 and len(reader.pages) == pages
    text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    assert "Alex Example" in text and CLINIC in text


def test_a_ppi_needs_no_confirmation_as_an_unrecognised_medicine_would(qapp_offscreen):
    case = _case(["ibuprofen 400mg", "omeprazole 20mg"])
    h.request_for_case(case, AS_OF, clinic_name=CLINIC, clinic_contact=CONTACT, sheets=["med_nsaid"])
    unknown = _case(["ibuprofen 400mg", "atorvastatin 20mg"])
    with pytest.raises(h.UnrecognisedMedicineError):
        h.request_for_case(unknown, AS_OF, clinic_name=CLINIC, clinic_contact=CONTACT, sheets=["med_nsaid"])
