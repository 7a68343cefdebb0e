"""Every handout sheet rendered in both languages, normal and large print, A4 and Letter:
page size, page count, personalisation and no clipped text (every word comes out)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from pypdf import PdfReader

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

AS_OF = dt.date(2026, 11, 21)
CLINIC = "Riverside Health Centre"
CONTACT = "0161 555 0134"

DOSES = {
    "nsaid": h.MedicineDose("ibuprofen 400 mg up to three times a day", "1200 mg", medicine="ibuprofen"),
    "acetaminophen": h.MedicineDose("acetaminophen 500-1000 mg every 6 hours", "3000 mg", medicine="acetaminophen"),
    "muscle_relaxant": h.MedicineDose("cyclobenzaprine 5 mg up to three times a day", "15 mg", medicine="cyclobenzaprine"),
    "gabapentinoid": h.MedicineDose("gabapentin 400-1400 mg/day in two divided doses", "1400 mg", medicine="gabapentin"),
    "oral_corticosteroid": h.MedicineDose("prednisone 60 mg a day for 5 days", "60 mg", medicine="prednisone"),
    "opioid": h.MedicineDose("tramadol 50 mg every 6 hours if needed", "200 mg", medicine="tramadol"),
}
POINTS = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}


def _words(text: str) -> list[str]:
    # NFKC folds the typographic ligatures (fi, ff) the PDF text layer carries
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())


def _request(case, lang, sheets, large=False, paper="a4"):
    return h.request_for_case(case, AS_OF, clinic_name=CLINIC, clinic_contact=CONTACT, lang=lang,
                              sheets=sheets, large_print=large, paper=paper, doses=DOSES)


@pytest.mark.parametrize("lang", hc.LANGUAGES)
@pytest.mark.parametrize("large,paper", [(False, "a4"), (True, "letter")])
def test_every_sheet_renders_personalised_without_clipping(qapp_offscreen, examples, tmp_path, lang, large, paper):
    # a red-flag sheet is printed only for a patient whose flag of that tier stands
    tiered = {hc.RED_FLAG_SHEETS["emergency"]: examples["emergency_cauda_equina"],
              hc.RED_FLAG_SHEETS["urgent"]: examples["urgent_foot_drop"]}
    for sheet_id in hc.sheet_ids(lang):
        case = tiered.get(sheet_id, examples["routine_s1_follow_up_due"])
        req = _request(case, lang, [sheet_id], large, paper)
        out = tmp_path / f"{lang}-{sheet_id}.pdf"
        pages = h.write_handout_pdf(req, out)
        reader = PdfReader(out)
        assert len(reader.pages) == pages
        assert 1 <= pages <= (5 if large else 3), f"{sheet_id} runs to {pages} pages"
        for page in reader.pages:
            w, hgt = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(w), round(hgt)) == tuple(round(v) for v in POINTS[paper])
        text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
        flat = " ".join(_words(text))
        # personalisation, header and footer
        for needle in (case.patient.name, CLINIC, CONTACT, "Dr Demo", "0.1.0"):
            assert needle.lower() in text.lower(), (sheet_id, needle)
        # every word of the filled sheet is in the PDF, in order: nothing clipped or lost
        printed = hc.for_country(hc.load_sheet(sheet_id, lang), req.country)  # the clinic country's sections
        if printed.medicine_class:  # the forms of the patient's own products (rt24 F5, sht23)
            own = req.doses.get(printed.medicine_class)
            printed = hc.for_forms(printed, own.forms if own is not None else ())
        printed = hc.for_patch(printed, req.opioid_patch)  # with or without an opioid patch (gp19 F1)
        printed = hc.for_topical(printed, req.topical_patches)  # a lidocaine plaster's own box (sht24)
        if printed.medicine_class:  # and the patient's medicine's own sections (mr16)
            dose = req.doses.get(printed.medicine_class)
            printed = hc.for_medicines(printed, dose.generics if dose is not None else ())
        filled = hc.render_text(printed, req.values(printed))
        expected = _words(" ".join(filled.texts()))
        missing = [w for w in set(expected) if w not in flat]
        assert not missing, f"{lang}/{sheet_id}: missing {missing[:10]}"


def test_medicine_sheet_prints_this_patients_dose_and_next_visit(qapp_offscreen, examples, tmp_path):
    case = examples["routine_s1_follow_up_due"]
    req = _request(case, "en", ["med_gabapentinoid", "follow_up"])
    out = tmp_path / "h.pdf"
    h.write_handout_pdf(req, out)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "gabapentin 400-1400 mg/day" in text
    assert "1400 mg" in text
    assert h.long_date(req.next_follow_up_date) in text


def test_doses_come_from_the_medication_engine(examples):
    # CKD with creatinine 1.6: the engine lowers gabapentin's maximum and says avoid NSAIDs
    doses = h.doses_from_engine(examples["routine_s1_follow_up_due"], AS_OF)
    assert "nsaid" not in doses
    # ... and the patient takes 1800 mg a day now, above that 1400 mg: the sheet says so (rt8 F4)
    assert doses["gabapentinoid"].max_daily_dose == "the amount in that plan"
    assert "For you, the most is 1400 mg a day" in doses["gabapentinoid"].above_max
    assert "1800 mg a day now" in doses["gabapentinoid"].above_max


def test_sheets_start_on_a_new_page(qapp_offscreen, examples, tmp_path):
    case = examples["routine_s1_follow_up_due"]
    out = tmp_path / "two.pdf"
    h.write_handout_pdf(_request(case, "en", ["warning_signs", "about_sciatica"]), out)
    reader = PdfReader(out)
    # A sheet starts where its title is followed by its personal intro line (other sheets
    # may mention a title in passing, e.g. "read the sheet Warning signs").
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    starts = [i for i, text in enumerate(texts)
              if any(f"{t}" in text and "This sheet is for" in text.split(t, 1)[1][:200]
                     for t in ("Sciatica: what it is", "Warning signs: when"))]
    assert starts[0] == 0 and len(starts) == 2 and starts[1] > 0
    # about_sciatica prints first (standard order), whatever order they were asked in
    assert "Sciatica: what it is" in " ".join(reader.pages[0].extract_text().split())


def test_large_print_is_bigger(qapp_offscreen, examples):
    case = examples["routine_s1_follow_up_due"]
    normal = h.build_document(_request(case, "en", ["about_sciatica"]))
    large = h.build_document(_request(case, "en", ["about_sciatica"], large=True))
    assert large.base_point_size >= 16
    assert large.page_count() > normal.page_count()


def test_missing_dose_is_a_clear_error(examples):
    from radiculopathy_desktop.errors import UserError

    req = h.request_for_case(examples["routine_s1_follow_up_due"], AS_OF, clinic_name=CLINIC,
                             clinic_contact=CONTACT, sheets=["med_nsaid"], doses={})
    with pytest.raises(UserError, match="dose"):
        h.build_document(req)


def test_unknown_sheet_is_refused(examples):
    from radiculopathy_desktop.errors import UserError

    req = _request(examples["routine_s1_follow_up_due"], "en", ["no_such_sheet"])
    with pytest.raises(UserError, match="Unknown handout sheet"):
        h.build_document(req)


def test_spanish_dose_line_is_spanish():
    assert h.tr("es", "400-1400 mg/day in two divided doses") == "400-1400 mg al día, repartidos en dos tomas"
    assert h.tr_drug("es", "gabapentin") == "gabapentina"
    with pytest.raises(h.MissingTranslationError):
        h.tr("es", "an English phrase nobody translated")
