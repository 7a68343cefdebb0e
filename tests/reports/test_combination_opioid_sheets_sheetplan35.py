"""sheetplan35 (H-MED-720, H-MED-721, H-MED-722): the patient sheets of a product that holds paracetamol (or an NSAID)
and an opioid (co-codamol, co-dydramol, Tramacet, Zaldiar, Nurofen Plus), found by the medicine data (classes.toml
``[synonyms]`` and ``[stop_gradually]``), never by a list of names here. GP tryout findings:

- N3: the paracetamol sheet ended "If it does not help after a few days, stop and tell us" (the NSAID sheet: "Stop
  when the pain eases") for a product holding an opioid, which must not be stopped suddenly by the patient (FDA drug
  safety communication, 9 April 2019, sources.toml ``fda-opioid-tapering-2019``: do not abruptly discontinue an opioid
  in a physically dependent patient; MHRA Drug Safety Update, September 2020, ``mhra-opioids-dependence-2020``: "taper
  dosage slowly to reduce the risk of withdrawal effects associated with sudden cessation of opioids"). That sheet now
  prints its ``taking_if_tapered`` lines for such a product; plain paracetamol and plain ibuprofen keep theirs.
- N2: Tramacet or co-dydramol beside plain paracetamol, the paracetamol total above its maximum (4000 mg a day: the
  paracetamol label, the UK SmPC and NHS): the opioid sheet lost the "do not stop it all at once" it shows at or
  below the maximum. It keeps it now, naming the product.
- N4: "co-codamol 30/500 3 x 4" with no dose typed is read either way (3 tablets 4 times a day, or 4 tablets 3 times
  a day: 12 tablets either way, if it is a daily regimen at all: drugs.toml ``n_x_m_day_words``): the sheets printed
  "acetaminophen 6000 mg a day", an amount the app only guessed. No amount counted from such a reading is printed now;
  a dose typed (6000 mg) or a regimen written plainly ("3 tablets qds") keeps the amounts (coco34's twelve a day).
- N5: Zaldiar or Tramacet above the tramadol limit (8 tablets, tramadol 300 mg a day: Ultracet label, Tramacet SmPC
  4.2, Zaldiar ficha técnica 4.2) said "You take tramadol 450 mg a day now", no product the patient knows: the
  product is named, with what it holds, on both sheets (as co-codamol's one plan is).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from .test_handout_doses import AS_OF, case

SHEETS = ["med_acetaminophen", "med_opioid"]
STOP_AND_TELL = {"en": "If it does not help after a few days, stop and tell us.",
                 "es": "Si no le ayuda en unos días, déjelo y díganoslo."}
TAPERED_LINE = {"en": "If it does not help after a few days, tell us. Your medicine also has an opioid in it: do not "
                      "stop it all at once on your own. We will plan any change with you.",
                "es": "Si no le ayuda en unos días, díganoslo. Su medicamento también lleva un opioide: no lo deje de "
                      "golpe por su cuenta. Le diremos cómo hacer cualquier cambio."}
NSAID_STOP = {"en": "Stop when the pain eases.", "es": "Déjelo cuando el dolor se calme."}
NSAID_TAPERED = {"en": "Your medicine also has an opioid in it: when the pain eases, ask us how to stop it. Do not stop "
                       "it all at once on your own.",
                 "es": "Su medicamento también lleva un opioide: cuando el dolor se calme, pregúntenos cómo dejarlo. "
                       "No lo deje de golpe por su cuenta."}
TAPER_SOURCE = {("en", "us"): "FDA 2019 (stopping opioids suddenly)",
                ("en", "uk"): "MHRA 2020 (opioids: dependence, stopping slowly)",
                ("es", "us"): "FDA 2019 (dejar los opioides de golpe)",
                ("es", "uk"): "MHRA 2020 (opioides: dependencia, dejarlos poco a poco)"}


def handout(meds, lang="en", profile="uk", sheets=SHEETS):
    """Each printed sheet's text (as the patient reads it) and its printed sources, by sheet id."""
    c = case(meds=meds, tried=["acetaminophen", "opioid", "nsaid"])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=sheets,
                             profile=profile, country="uk" if profile == "uk" else "us")
    filled = h.filled_sheets(req)
    return ({s.id: " ".join(hc.plain_text(s).split()) for s in filled},
            {s.id: hc.printed_sources(s, lang) for s in filled}, req)


def _products_holding(generic_class):
    """(name, generics) of every product of the medicine data holding a medicine of ``generic_class`` and one
    never stopped at once of another class (classes.toml [synonyms], [stop_gradually])."""
    data = load_medicine_data()
    out = []
    for name, generics in sorted(data.synonyms.items()):
        if len(generics) < 2 or not any(generic_class in data.generic_classes.get(g, ()) for g in generics):
            continue
        if any(data.stopped_gradually((g,)) is not None and generic_class not in data.generic_classes.get(g, ())
               for g in generics):
            out.append((name, tuple(generics)))
    return out


# --------------------------------------------------------------------------- N3: how to take it
def test_every_product_the_sheets_call_an_opioid_holds_one():
    """The variant says "Your medicine also has an opioid in it": true of every product of the data that gets it on
    the paracetamol or NSAID sheet (an ingredient never stopped at once of another class is an opioid)."""
    data = load_medicine_data()
    products = _products_holding("acetaminophen") + _products_holding("nsaid")
    names = {n for n, _g in products}
    assert {"co-codamol", "co-dydramol", "tramacet", "zaldiar", "nurofen plus"} <= names
    for name, generics in products:
        tapered = [g for g in generics if data.stopped_gradually((g,)) is not None
                   and not {"acetaminophen", "nsaid"}.intersection(data.generic_classes.get(g, ()))]
        assert tapered and all("opioid" in data.generic_classes.get(g, ()) for g in tapered), (name, generics)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("product", ["co-codamol 30/500", "co-dydramol 10/500", "tramacet", "zaldiar"])
def test_a_paracetamol_opioid_product_is_never_stop_and_tell_us(product, lang):
    """4 tablets a day (within every maximum): the paracetamol sheet's last how-to-take line is the variant."""
    text = handout([(f"{product} 1 tablet qds", None)], lang, sheets=["med_acetaminophen"])[0]["med_acetaminophen"]
    assert TAPERED_LINE[lang] in text
    assert STOP_AND_TELL[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_plain_paracetamol_keeps_stop_and_tell_us(lang):
    """The boundary: plain paracetamol holds no opioid, and stopping it at once does no harm."""
    text, sources, _req = handout([("paracetamol 500mg", 2000)], lang, sheets=["med_acetaminophen"])
    assert STOP_AND_TELL[lang] in text["med_acetaminophen"] and TAPERED_LINE[lang] not in text["med_acetaminophen"]
    # the tapering source is not printed for a sheet that does not say it
    assert not any(s.startswith(("FDA 2019", "MHRA 2020")) for s in sources["med_acetaminophen"])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_plain_paracetamol_beside_co_codamol_gets_the_variant(lang):
    """Both on one sheet: "stop and tell us" would also stop the co-codamol at once."""
    text = handout([("paracetamol 500mg", 1000), ("co-codamol 30/500 1 tablet bd", None)], lang,
                   sheets=["med_acetaminophen"])[0]["med_acetaminophen"]
    assert TAPERED_LINE[lang] in text and STOP_AND_TELL[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_the_variant_names_its_source_for_the_clinic_country(lang, profile):
    _text, sources, _req = handout([("co-codamol 30/500 1 tablet qds", None)], lang, profile,
                                   sheets=["med_acetaminophen"])
    assert TAPER_SOURCE[(lang, profile)] in sources["med_acetaminophen"]
    other = TAPER_SOURCE[(lang, "uk" if profile == "us" else "us")]
    assert other not in sources["med_acetaminophen"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_nurofen_plus_on_the_nsaid_sheet_is_never_stop_when_the_pain_eases(lang):
    text = handout([("nurofen plus 200/12.8 1 tablet tds", None)], lang, sheets=["med_nsaid"])[0]["med_nsaid"]
    assert NSAID_TAPERED[lang] in text and NSAID_STOP[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_plain_ibuprofen_keeps_stop_when_the_pain_eases(lang):
    text = handout([("ibuprofen 200mg", 600)], lang, sheets=["med_nsaid"])[0]["med_nsaid"]
    assert NSAID_STOP[lang] in text and NSAID_TAPERED[lang] not in text


def test_the_variant_must_match_taking_line_for_line():
    raw = {"id": "med_x", "title": "T", "audience": "patient", "lang": "en", "reviewed": AS_OF,
           "sources": ["acp-2017"], "medicine_class": "acetaminophen",
           "sections": [{"heading": "How", "paragraphs": ["Your dose: {dose_range}."], "taking": ["a.", "b."],
                         "taking_if_tapered": ["a."]}]}
    with pytest.raises(hc.HandoutFormatError, match="as many lines as taking"):
        hc.parse_sheet(raw)
    raw["sections"][0]["taking_if_tapered"] = ["a.", "c."]
    raw["sections"][0]["taking_if_tapered_sources"] = ["not-a-source"]
    with pytest.raises(hc.HandoutFormatError, match="not in the sheet's sources"):
        hc.parse_sheet(raw)


# --------------------------------------------------------------------------- N2: beside plain paracetamol
NAMED_NOT_SUDDENLY = {"en": "Do not stop your {p} or cut it down all at once: that can make you unwell.",
                      "es": "No deje su {p} ni lo baje de golpe: puede sentarle mal."}
KEEP_TAPER = {"en": "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step.",
              "es": h.tr("es", "keep_taper")}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("product, dose, plain, said", [
    ("tramacet", 300, 2000, "Tramacet"),                   # paracetamol 2600 + 2000 = 4600 mg a day
    ("co-dydramol 10/500", 4000, 1000, "co-dydramol 10/500"),  # 4000 + 1000 = 5000 mg a day
])
def test_above_the_paracetamol_maximum_the_opioid_sheet_still_says_not_all_at_once(product, dose, plain, said, lang):
    text = handout([(product, dose), ("paracetamol 500mg", plain)], lang, sheets=["med_opioid"])[0]["med_opioid"]
    assert NAMED_NOT_SUDDENLY[lang].format(p=said) in text
    assert "Your dose: keep taking" not in text and "Su dosis: siga tomando" not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_at_the_paracetamol_maximum_the_opioid_sheet_says_it_as_before(lang):
    """The boundary: Tramacet 8 a day (paracetamol 2600 mg) with paracetamol 1400 mg: 4000 mg, at the maximum."""
    text = handout([("tramacet", 300), ("paracetamol", 1400)], lang, sheets=["med_opioid"])[0]["med_opioid"]
    assert KEEP_TAPER[lang] in text
    assert NAMED_NOT_SUDDENLY[lang].format(p="Tramacet") not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_plain_paracetamol_above_its_maximum_is_never_told_not_all_at_once(lang):
    """The boundary: nothing in plain paracetamol must be cut down slowly: its sheet says take no more."""
    text = handout([("paracetamol 500mg", 6000)], lang, sheets=["med_acetaminophen"])[0]["med_acetaminophen"]
    assert "all at once" not in text and "de golpe" not in text
    assert ("Take no more than 4000 mg a day from now on" if lang == "en"
            else "Desde hoy, no tome más de 4000 mg al día") in text


# --------------------------------------------------------------------------- N4: read either way
@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_co_codamol_3_x_4_prints_no_amount_guessed_from_it(lang, profile):
    sheets = handout([("co-codamol 30/500 3 x 4", None)], lang, profile)[0]
    for sheet_id in SHEETS:
        text = sheets[sheet_id]
        assert "6000" not in text and "360 mg" not in text and "3 x 4" not in text, (sheet_id, text[:700])
        # still the one plan: the product, what it holds, checked by the prescriber, never cut or stopped alone
        # an English sheet for a UK clinic says paracetamol (uk_words.toml), for a US one acetaminophen
        para = "acetaminophen" if profile == "us" else "paracetamol"
        assert (f"You take co-codamol 30/500. It contains codeine and {para}." if lang == "en" else
                "Usted toma co-codamol 30/500. Contiene codeína y paracetamol.") in text
        assert ("Your record does not say clearly how much you take in a day" if lang == "en" else
                "Su historia no dice con claridad cuánto toma al día") in text
        # the most for her is hers, not counted from the reading: said (uk: codeine 240 mg too)
        assert ("(for you, the most is " if lang == "en" else "(para usted, lo máximo es ") in text
        assert ("4000 mg of " + ("paracetamol" if profile == "uk" else "acetaminophen") if lang == "en"
                else "4000 mg de paracetamol") in text
        assert ("do not cut it down or stop it on your own" if lang == "en" else
                "no lo baje ni lo deje por su cuenta") in text
        # headed as a dose to check, never "too high" of an amount the record does not say
        assert ("Check your dose before you take more." if lang == "en" else "Revise su dosis antes de tomar más.") \
            in text
        assert "too high for you" not in text and "demasiado alta" not in text


@pytest.mark.parametrize("recorded, dose", [("co-codamol 30/500", 6000), ("co-codamol 30/500 3 tablets qds", None)])
def test_twelve_a_day_written_plainly_keeps_its_amounts(recorded, dose):
    """The boundary (coco34's twelve a day): a dose typed, or a regimen the app reads one way only."""
    sheets = handout([(recorded, dose)])[0]
    for sheet_id in SHEETS:
        assert "paracetamol 6000 mg a day (for you, the most is 4000 mg a day)" in sheets[sheet_id]  # UK clinic
        assert "Your dose is too high for you." in sheets[sheet_id]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds, never", [
    ([("tramacet 3 x 4", None)], ["450"]),                                     # tramadol 450 mg, read either way
    ([("tramadol 50mg 3 x 4", None)], ["600"]),                                # tramadol 600 mg, read either way
    ([("co-codamol 30/500 3 x 4", None), ("paracetamol 1g qds", None)], ["10000", "6000"]),  # a total counting it
])
def test_no_total_counting_an_either_way_reading_is_printed(meds, never, lang):
    sheets = handout(meds, lang)[0]
    for sheet_id, text in sheets.items():
        for amount in never:
            assert amount not in text, (sheet_id, amount, text[:800])
        assert "3 x 4" not in text


def test_the_clinician_is_told_the_amount_was_read_either_way():
    _s, _src, req = handout([("tramacet 3 x 4", None)])
    notes = " ".join(h.dose_notices(req))
    assert "tramadol 450 mg a day, above this patient's maximum of 300 mg a day" in notes
    assert "read either way" in notes and "prints no amount" in notes


# --------------------------------------------------------------------------- N5: the product named
@pytest.mark.parametrize("lang, contains", [("en", "tramadol and paracetamol"), ("es", "tramadol y paracetamol")])
@pytest.mark.parametrize("product, said", [("Zaldiar", "Zaldiar"), ("tramacet", "Tramacet")])
def test_above_the_tramadol_limit_both_sheets_name_the_product(product, said, lang, contains):
    sheets = handout([(product, 450)], lang)[0]  # 12 tablets: tramadol 450 mg, the product's most is 300 mg
    for sheet_id in SHEETS:
        text = sheets[sheet_id]
        opening = {"en": f"You take {said}. It contains {contains}. The way you take it now gives you tramadol 450 mg "
                         "a day. For you, the most is 300 mg a day.",
                   "es": f"Usted toma {said}. Contiene {contains}. Tal como lo toma ahora, recibe tramadol 450 mg al "
                         "día. Para usted, lo máximo es 300 mg al día."}[lang]
        assert opening in text, (sheet_id, text[:700])
        assert ("your clinician will give you a plan to lower your " if lang == "en"
                else "su profesional le dará un plan para bajar su ") + said in text
        # the box says not to stop it all at once: no second box naming the same product
        assert ("You also take " + said) not in text and ("Usted también toma " + said) not in text


def test_just_above_the_limit_is_named_and_at_the_limit_is_kept():
    """Boundaries: 9 tablets (tramadol 337.5 mg) is above the product's 300 mg; 8 tablets is at it."""
    above = handout([("tramacet", 337.5)])[0]["med_opioid"]
    assert "You take Tramacet. It contains tramadol and paracetamol." in above
    at = handout([("tramacet", 300)])[0]["med_opioid"]
    assert "It contains tramadol and paracetamol." not in at and "too high for you" not in at


def test_plain_tramadol_above_its_maximum_is_worded_as_before():
    """No product to name: tramadol 450 mg a day is above its own 400 mg."""
    text = handout([("tramadol 50mg", 450)])[0]["med_opioid"]
    assert "You take tramadol 450 mg a day now. For you, the most is 400 mg a day." in text
    assert "It contains" not in text


# --------------------------------------------------------------------------- on paper
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_printed_pdf(qapp_offscreen, tmp_path, lang):
    c = case(meds=[("Zaldiar", 450)], tried=["acetaminophen", "opioid"])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=SHEETS,
                             profile="uk", country="uk")
    out = tmp_path / f"sheetplan35_{lang}.pdf"
    h.write_handout_pdf(req, out)
    words = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    assert words.count("Zaldiar. It contains" if lang == "en" else "Zaldiar. Contiene") == 2  # both sheets
    assert TAPERED_LINE[lang].split(":")[0] in words and STOP_AND_TELL[lang] not in words
    # N4 on paper: "co-codamol 30/500 3 x 4" with no dose typed: the one plan on both sheets, no amount from it
    c = case(meds=[("co-codamol 30/500 3 x 4", None)], tried=["acetaminophen", "opioid"])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=SHEETS,
                             profile="uk", country="uk")
    out = tmp_path / f"sheetplan35_3x4_{lang}.pdf"
    h.write_handout_pdf(req, out)
    words = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    assert words.count("co-codamol 30/500. It contains" if lang == "en" else "co-codamol 30/500. Contiene") == 2
    assert "6000" not in words and "360 mg" not in words and "3 x 4" not in words
