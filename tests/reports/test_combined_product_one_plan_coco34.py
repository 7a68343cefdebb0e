"""coco34 (H-MED-708, H-MED-709): one plan for a product that holds paracetamol and an opioid, taken above a maximum.

GP tryout: "co-codamol 30/500 3 x 4" is 12 tablets a day read either way (paracetamol 6000 mg, codeine 360 mg). The
paracetamol sheet said "Take no more than 4000 mg a day from now on" and never said the co-codamol held paracetamol,
while the opioid sheet of the same handout said "Do not stop it or cut it down all at once". A patient who follows
the first (8 tablets) cuts the codeine from 360 to 240 mg a day at once, which the second forbids (FDA 2019: no
sudden stop or rapid cut of an opioid, sources.toml fda-opioid-tapering-2019); one who does not know co-codamol holds
paracetamol cannot act on it at all.

Now every sheet that shows such a product gives the same plan: the product as recorded, that it contains
paracetamol and the opioid, each amount above its maximum, contact the prescriber today, who changes it, and do not
cut it down or stop it on your own. The products are found by the medicine data (a product holding paracetamol and
an ingredient classes.toml ``[stop_gradually]`` lists), never by name. Paracetamol alone above the maximum keeps
"Take no more than 4000 mg a day"; the same product within the maximum (8 tablets of 30/500: 4000 mg) prints as
before. Boundaries: 8 tablets (4000 mg, at the maximum) and 9 (4500 mg, above); 12 (6000 mg).
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
TOO_HIGH = {"en": "Your dose is too high for you.", "es": "Su dosis es demasiado alta para usted."}
# the old advice for paracetamol alone, which cut the codeine of a combination at once
NO_MORE_FROM_NOW = {"en": "Take no more than 4000 mg a day from now on",
                    "es": "Desde hoy, no tome más de 4000 mg al día"}
CHANGE = {"en": "Contact your prescriber today: they will change your {product}.",
          "es": "Llame hoy a quien se lo recetó para que le cambie su {product}."}
NOT_ON_YOUR_OWN = {"en": "do not cut it down or stop it on your own",
                   "es": "no lo baje ni lo deje por su cuenta"}
CONTAINS = {"en": "It contains {contains}.", "es": "Contiene {contains}."}


def handout(meds, lang="en", profile="us", sheets=SHEETS):
    """Each printed sheet's text (as the patient reads it), by sheet id, and the request."""
    c = case(meds=meds, tried=["acetaminophen", "opioid"])
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=sheets,
                             profile=profile)
    return {s.id: " ".join(hc.plain_text(s).split()) for s in h.filled_sheets(req)}, req


def _box(text, lang):
    """The sheet's leading box: from "Your dose is too high" to the first section heading."""
    start = text.index(TOO_HIGH[lang])
    end = text.index("What is it for?" if lang == "en" else "¿Para qué sirve?", start)
    return text[start:end]


# --------------------------------------------------------------------------- the tryout's patient
# The tryout wrote "3 x 4"; since sheetplan35 (H-MED-722) an amount counted from that either-way reading is never
# printed (tests/reports/test_combination_opioid_sheets_sheetplan35.py), so the twelve a day whose amounts this test
# reads is written plainly: 3 tablets four times a day (read one way only); "3 x 4" keeps the one plan without them
@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("lang, contains", [("en", "codeine and acetaminophen"), ("es", "codeína y paracetamol")])
def test_co_codamol_12_a_day_one_plan_on_both_sheets(lang, contains, profile):
    sheets, _req = handout([("co-codamol 30/500 3 tablets qds", None)], lang, profile)
    boxes = []
    for sheet_id in SHEETS:
        text = sheets[sheet_id]
        box = _box(text, lang)
        boxes.append(box)
        # the product as recorded (never the unread "3 x 4"), what it holds, and who changes it
        assert "co-codamol 30/500" in box and "3 x 4" not in text
        assert CONTAINS[lang].format(contains=contains) in box
        assert CHANGE[lang].format(product="co-codamol 30/500") in box
        assert NOT_ON_YOUR_OWN[lang] in box
        # the paracetamol above its maximum is said on the opioid sheet too, with the most for this patient
        assert ("acetaminophen 6000 mg a day (for you, the most is 4000 mg a day)" if lang == "en" else
                "paracetamol 6000 mg al día (para usted, lo máximo es 4000 mg al día)") in box
        # never the advice that cuts the codeine at once, nor "keep taking"
        assert NO_MORE_FROM_NOW[lang] not in text
        assert "keep taking" not in text and "siga tomando" not in text
    # ONE plan: both sheets open with the same words about the product
    end = "all at once." if lang == "en" else "dejar de golpe."
    assert boxes[0][:boxes[0].index(end)] == boxes[1][:boxes[1].index(end)]
    if profile == "uk":  # codeine 360 mg a day is above the UK maximum (240): said in the same box
        assert ("codeine 360 mg a day (for you, the most is 240 mg a day)" if lang == "en" else
                "codeína 360 mg al día (para usted, lo máximo es 240 mg al día)") in boxes[0]


def test_the_paracetamol_sheet_alone_still_says_why_and_no_second_box():
    """Only the paracetamol sheet printed: its box says the codeine is not cut down at once, so the general
    "Do not stop it suddenly. You also take co-codamol" box is not added beside it (one product, said once)."""
    sheets, _req = handout([("co-codamol 30/500 3 x 4", None)], sheets=["med_acetaminophen"])
    text = sheets["med_acetaminophen"]
    assert "the codeine in it should not be cut down or stopped all at once" in text
    assert "You also take co-codamol" not in text and NO_MORE_FROM_NOW["en"] not in text


def test_how_to_take_it_gives_no_ceiling_to_cut_down_to_but_the_overdose_line_keeps_it():
    text = handout([("co-codamol 30/500 3 x 4", None)])[0]["med_acetaminophen"]
    how = text[text.index("How to take it."):text.index("Check other medicines.")]
    assert "Your dose: contact your prescriber today about your co-codamol 30/500" in how
    assert "Do not take more than" not in how
    # the emergency line names what the 4000 mg counts
    assert "If you took more than 4000 mg of acetaminophen in a day, go to the emergency department" in text


# --------------------------------------------------------------------------- every such product, by data
def _products_with_paracetamol_and_an_opioid():
    data = load_medicine_data()
    out = []
    for name, entry in sorted(data.combination_products.items()):
        generics = data.synonyms.get(name) or ()
        if "acetaminophen" in generics and any(data.stopped_gradually((g,)) is not None for g in generics):
            out.append((name, entry))
    return out


def _tablets_name(name, entry, count_a_time):
    a, b = entry.sold_as[0]
    num = lambda x: str(int(x)) if float(x).is_integer() else str(x)  # noqa: E731
    strength = f" {num(a)}/{num(b)}" if len(entry.sold_as) > 1 else ""
    return f"{name}{strength} {count_a_time} tablets qds", f"{name}{strength}"


def test_the_data_lists_the_products_of_the_tryout():
    names = {n for n, _e in _products_with_paracetamol_and_an_opioid()}
    assert {"co-codamol", "co-dydramol", "zaldiar", "tramacet", "ultracet", "percocet"} <= names


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_paracetamol_opioid_product_of_the_data_above_the_paracetamol_maximum_gets_the_one_plan(lang):
    """16 tablets a day of each product of the data holding paracetamol and an opioid (paracetamol 5200-8000 mg a
    day): every sheet names the product and says the prescriber changes it; none says "take no more than 4000 mg a
    day from now on". A product also far above its opioid's maximum (Tylenol #4: codeine 960 mg) gets the far-above
    box, which says contact today and do not stop it suddenly, on both sheets alike."""
    checked = set()
    for name, entry in _products_with_paracetamol_and_an_opioid():
        if name[-1].isdigit():
            continue  # "tylenol 3 4 tablets qds": which number is the product's is not clear (asked, not read)
        recorded, product = _tablets_name(name, entry, 4)
        sheets, _req = handout([(recorded, None)], lang, "uk")
        texts = [sheets[s] for s in SHEETS]
        for text in texts:
            assert NO_MORE_FROM_NOW[lang] not in text, (recorded, text[:600])
        if all(TOO_HIGH[lang] in t for t in texts):
            for text in texts:
                assert CHANGE[lang].format(product=h.display_name(product)) in text, (recorded, text[:700])
                assert NOT_ON_YOUR_OWN[lang] in text
            checked.add(name)
        else:
            # far above the opioid's maximum (Tylenol #4: codeine 960 mg): the far-above box on both sheets alike
            far = {"en": "Do not take more than you take now, and do not stop it suddenly.",
                   "es": h.tr("es", "check_dose_far_not_suddenly")}[lang]
            assert all(far in t for t in texts), (recorded, texts[0][:500])
    assert {"co-codamol", "co-dydramol", "zaldiar", "percocet", "norco"} <= checked


# --------------------------------------------------------------------------- boundaries and what stays
@pytest.mark.parametrize("lang", ["en", "es"])
def test_within_the_maximum_the_combination_prints_as_before(lang):
    """8 tablets of 30/500 a day: paracetamol 4000 mg, at the maximum: "keep taking" with the tablets a day, the
    opioid sheet's "Do not stop it suddenly"; no box, no call today."""
    sheets, _req = handout([("co-codamol 30/500 2 tablets qds", None)], lang)
    keep = {"en": "keep taking your co-codamol 30/500 2 tablets four times a day (8 tablets a day), exactly as your "
                  "prescriber and its label say",
            "es": "siga tomando su co-codamol 30/500 2 comprimidos cuatro veces al día (8 comprimidos al día), "
                  "exactamente como le indicaron su profesional y la etiqueta"}[lang]
    for text in sheets.values():
        assert keep in text and TOO_HIGH[lang] not in text
        assert CHANGE[lang].format(product="co-codamol 30/500") not in text
    assert ("Do not stop it suddenly." if lang == "en" else "No lo deje de golpe.") in sheets["med_opioid"]


def test_nine_tablets_a_day_is_just_above_and_gets_the_plan():
    sheets, _req = handout([("co-codamol 30/500 3 tablets tds", None)])
    for text in sheets.values():
        assert "acetaminophen 4500 mg a day (for you, the most is 4000 mg a day)" in text
        assert CHANGE["en"].format(product="co-codamol 30/500") in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_paracetamol_alone_above_the_maximum_keeps_take_no_more_than(lang):
    """Plain paracetamol (1.5 g four times a day: 6000 mg) holds nothing that must not be cut at once: the patient
    takes no more than 4000 mg a day from now on, as before."""
    sheets, _req = handout([("paracetamol 1.5g qds", None)], lang, sheets=["med_acetaminophen"])
    text = sheets["med_acetaminophen"]
    assert TOO_HIGH[lang] in text and NO_MORE_FROM_NOW[lang] in text
    assert "they will change" not in text and "le cambie" not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_co_codamol_and_plain_paracetamol_the_sheet_still_names_the_plain_paracetamol(lang):
    """Co-codamol 12 a day AND paracetamol 1 g four times a day: the taken-together box leads, names both products,
    says they hold the same medicine and asks the clinician which to keep; never "take no more than 4000 mg a day
    from now on"; the opioid sheet asks too, naming the paracetamol."""
    sheets, _req = handout([("co-codamol 30/500 3 x 4", None), ("paracetamol 1g qds", None)], lang)
    para = sheets["med_acetaminophen"]
    plain = "paracetamol 1g four times a day" if lang == "en" else "paracetamol 1g cuatro veces al día"
    assert "co-codamol 30/500" in para and plain in para
    assert ("They contain the same medicine, acetaminophen" if lang == "en" else
            "Llevan el mismo medicamento, paracetamol") in para
    assert NO_MORE_FROM_NOW[lang] not in para and NO_MORE_FROM_NOW[lang] not in sheets["med_opioid"]
    assert "paracetamol 1g" in sheets["med_opioid"]


def test_the_clinician_is_told_the_one_plan():
    _sheets, req = handout([("co-codamol 30/500 3 x 4", None)])
    notes = " ".join(h.dose_notices(req))
    assert "co-codamol 30/500 3 x 4: acetaminophen 6000 mg a day, above this patient's maximum of 4000 mg a day" in notes
    # sheetplan35 (H-MED-722): the sheet prints no amount read either way, and the note says so
    assert "read either way" in notes and "the sheet prints no amount" in notes
    assert "contact the prescriber today, who checks the dose and changes it if needed" in notes
    assert "tells them to take no more than the maximum from now on" not in notes


def test_ibuprofen_and_codeine_in_one_product_get_the_same_plan_by_data():
    """The rule is the data's, not a list of names: Nurofen Plus (ibuprofen and codeine) above the ibuprofen
    maximum (16 tablets of 200/12.8: 3200 mg, uk 2400) is changed by the prescriber on its NSAID sheet too."""
    sheets, _req = handout([("nurofen plus 200/12.8 4 tablets qds", None)], "en", "uk", sheets=["med_nsaid"])
    text = sheets["med_nsaid"]
    assert "It contains ibuprofen and codeine." in text
    assert "ibuprofen 3200 mg a day (for you, the most is 2400 mg a day)" in text
    assert CHANGE["en"].format(product="nurofen plus 200/12.8") in text and "from now on" not in text


# --------------------------------------------------------------------------- on paper
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_printed_pdf_says_the_one_plan(qapp_offscreen, tmp_path, lang):
    # twelve a day written plainly (the "3 x 4" of the tryout prints no amount since H-MED-722; checked on paper in
    # test_combination_opioid_sheets_sheetplan35.py)
    _sheets, req = handout([("co-codamol 30/500 3 tablets qds", None)], lang)
    out = tmp_path / f"coco34_{lang}.pdf"
    h.write_handout_pdf(req, out)
    words = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    assert words.count(CHANGE[lang].format(product="co-codamol 30/500")) == 2  # both sheets
    assert words.count(CONTAINS[lang].format(contains="codeine and acetaminophen" if lang == "en"
                                             else "codeína y paracetamol")) == 2
    assert NO_MORE_FROM_NOW[lang] not in words and "3 x 4" not in words
