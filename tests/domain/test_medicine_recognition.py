"""Issue 12 §1 and §3: medicines as clinicians type them, what happens when one is not
recognised, the common co-prescription interactions, and the "reduce dose" status.

Written from the sources, not from the code:
* brand names: DailyMed (US labels) and the BNF medicinal forms (UK);
* interactions: NSAID class labelling and the methotrexate label (section 7), FDA 2016
  opioid + CNS-depressant boxed warning, FDA 2019 gabapentinoid communication, CDC 2022,
  Anglin 2014 (NSAID + SSRI bleeding);
* renal bands: Neurontin label (CrCl >=60: 900-3600; 30-59: 400-1400; 15-29: 200-700;
  <15: 100-300 mg/day), Lyrica label (>=60: 150-600; 30-60: 75-300; 15-30: 25-150;
  <15: 25-75 mg/day); Ultram label (over 75 years: not more than 300 mg/day).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import STATUSES, assess_medications, load_medicine_data

from tests.domain.test_medications import VISIT, intake


def resolve(name):
    return load_medicine_data().resolve(name)[0]


# --------------------------------------------------------------------------- names as typed
@pytest.mark.parametrize("typed, generics", [
    ("Eliquis 5mg", ("apixaban",)),
    ("apixaban 2.5 mg twice daily", ("apixaban",)),
    ("Ibuprofen 400mg tablets", ("ibuprofen",)),
    ("sertraline 50 mg tablets", ("sertraline",)),
    ("Naproxen 500 mg e/c tablets", ("naproxen",)),
    ("co-codamol 30/500", ("codeine", "acetaminophen")),
    ("Co-codamol 8/500mg tablets", ("codeine", "acetaminophen")),
    ("codeine 30mg/paracetamol 500mg", ("codeine", "acetaminophen")),
    ("Percocet 5/325", ("oxycodone", "acetaminophen")),
    ("Tylenol #3", ("codeine", "acetaminophen")),
    ("tylenol 3", ("codeine", "acetaminophen")),  # the number names the codeine product, not a strength
    ("Gabapentin 300mg capsules", ("gabapentin",)),
    ("pregabalin 75 mg bd", ("pregabalin",)),
    ("Prednisolone 5mg (soluble)", ("prednisolone",)),
    ("warfarin sodium 3 mg", ("warfarin",)),
    ("Oxycodone hydrochloride 10 mg m/r", ("oxycodone",)),
    ("co-codamol 30/500 two tablets four times a day", ("codeine", "acetaminophen")),
    ("Aspirin 75mg once daily", ("aspirin",)),
])
def test_strength_form_and_frequency_are_stripped(typed, generics):
    assert resolve(typed) == generics


def test_a_salt_keeps_its_dose_factor_when_a_strength_is_typed():
    # naproxen sodium 550 mg = naproxen 500 mg (Naprosyn/Anaprox label)
    data = load_medicine_data()
    assert data.resolve("naproxen sodium 550 mg") == (("naproxen",), pytest.approx(0.9091))


# common US and UK brands for every class the engine checks or interacts with
BRANDS = {
    "anticoagulant": {"Eliquis": "apixaban", "Xarelto": "rivaroxaban", "Pradaxa": "dabigatran",
                      "Lixiana": "edoxaban", "Savaysa": "edoxaban", "Coumadin": "warfarin", "Jantoven": "warfarin",
                      "Marevan": "warfarin", "Sintrom": "acenocoumarol", "Marcoumar": "phenprocoumon",
                      "Clexane": "enoxaparin", "Lovenox": "enoxaparin", "Fragmin": "dalteparin", "Innohep": "tinzaparin"},
    "antiplatelet": {"Plavix": "clopidogrel", "Brilinta": "ticagrelor", "Brilique": "ticagrelor",
                     "Effient": "prasugrel", "Efient": "prasugrel", "Nu-Seals": "aspirin", "Ecotrin": "aspirin"},
    "nsaid": {"Advil": "ibuprofen", "Motrin": "ibuprofen", "Nurofen": "ibuprofen", "Brufen": "ibuprofen",
              "Aleve": "naproxen", "Naprosyn": "naproxen", "Voltaren": "diclofenac", "Voltarol": "diclofenac",
              "Celebrex": "celecoxib", "Arcoxia": "etoricoxib", "Mobic": "meloxicam", "Toradol": "ketorolac",
              "indometacin": "indomethacin"},
    "gabapentinoid": {"Neurontin": "gabapentin", "Gralise": "gabapentin", "Lyrica": "pregabalin",
                      "Alzain": "pregabalin"},
    "ssri": {"Zoloft": "sertraline", "Lustral": "sertraline", "Prozac": "fluoxetine", "Seroxat": "paroxetine",
             "Paxil": "paroxetine", "Celexa": "citalopram", "Cipramil": "citalopram", "Lexapro": "escitalopram",
             "Cipralex": "escitalopram"},
    "snri": {"Cymbalta": "duloxetine", "Effexor": "venlafaxine", "Efexor": "venlafaxine", "Pristiq": "desvenlafaxine"},
    "tca": {"Elavil": "amitriptyline", "Pamelor": "nortriptyline", "Allegron": "nortriptyline",
            "Prothiaden": "dosulepin"},
    "maoi": {"Nardil": "phenelzine", "Parnate": "tranylcypromine", "Azilect": "rasagiline", "Manerix": "moclobemide",
             "Emsam": "selegiline"},
    "opioid": {"OxyContin": "oxycodone", "OxyNorm": "oxycodone", "MST Continus": "morphine", "Oramorph": "morphine",
               "Zomorph": "morphine", "Ultram": "tramadol", "Zydol": "tramadol", "Nucynta": "tapentadol",
               "Palexia": "tapentadol", "Butrans": "buprenorphine", "Durogesic": "fentanyl", "Duragesic": "fentanyl",
               "Dilaudid": "hydromorphone", "DF118": "dihydrocodeine", "pethidine": "meperidine"},
    "systemic_corticosteroid": {"Deltasone": "prednisone", "Medrol": "methylprednisolone",
                                "Decadron": "dexamethasone", "Orapred": "prednisolone"},
    "ace_inhibitor": {"Zestril": "lisinopril", "Tritace": "ramipril", "Altace": "ramipril", "Coversyl": "perindopril"},
    "arb": {"Cozaar": "losartan", "Diovan": "valsartan", "Amias": "candesartan", "Atacand": "candesartan"},
    "diuretic": {"Lasix": "furosemide", "Aldactone": "spironolactone", "frusemide": "furosemide"},
    "lithium": {"Priadel": "lithium", "Camcolit": "lithium", "Lithobid": "lithium"},
    "methotrexate": {"Trexall": "methotrexate", "Metoject": "methotrexate", "Maxtrex": "methotrexate"},
    "calcineurin_inhibitor": {"Neoral": "cyclosporine", "ciclosporin": "cyclosporine", "Prograf": "tacrolimus",
                              "Advagraf": "tacrolimus"},
    "benzodiazepine": {"Valium": "diazepam", "Xanax": "alprazolam", "Ativan": "lorazepam", "Klonopin": "clonazepam",
                       "Rivotril": "clonazepam", "Restoril": "temazepam"},
    "z_drug": {"Ambien": "zolpidem", "Stilnoct": "zolpidem", "Zimovane": "zopiclone", "Lunesta": "eszopiclone"},
}


@pytest.mark.parametrize("cls, brand, generic",
                         [(c, b, g) for c, m in BRANDS.items() for b, g in m.items()],
                         ids=lambda v: str(v))
def test_brand_names_of_every_class_are_recognised(cls, brand, generic):
    data = load_medicine_data()
    assert resolve(brand) == (generic,)
    assert cls in data.generic_classes[generic]


@pytest.mark.parametrize("brand, generics", [
    ("Solpadol", ("codeine", "acetaminophen")), ("Zapain", ("codeine", "acetaminophen")),
    ("Tramacet", ("tramadol", "acetaminophen")), ("Ultracet", ("tramadol", "acetaminophen")),
    ("Vicodin", ("hydrocodone", "acetaminophen")), ("Norco", ("hydrocodone", "acetaminophen")),
    ("Nurofen Plus", ("ibuprofen", "codeine")), ("co-dydramol", ("dihydrocodeine", "acetaminophen")),
])
def test_combination_analgesics_name_every_component(brand, generics):
    assert resolve(brand) == generics


# --------------------------------------------------------------------------- misspellings
@pytest.mark.parametrize("typo, meant", [
    ("apixiban", "apixaban"), ("gabapentine", "gabapentin"), ("pregablin", "pregabalin"),
    ("ibuprofin", "ibuprofen"), ("sertaline", "sertraline"), ("warfrin", "warfarin"),
    ("amitryptiline", "amitriptyline"), ("diclofanac", "diclofenac"), ("oxycodon", "oxycodone"),
    ("naproxin 500mg", "naproxen"), ("tramadole", "tramadol"), ("rivaroxiban", "rivaroxaban"),
    ("celecoxcib", "celecoxib"), ("duloxitine", "duloxetine"), ("methotrexat", "methotrexate"),
])
def test_a_close_misspelling_is_suggested_and_never_substituted(typo, meant):
    data = load_medicine_data()
    assert data.resolve(typo)[0] == ()  # not silently taken as the medicine
    assert data.suggest(typo) == meant


@pytest.mark.parametrize("name", ["atorvastatin 20mg", "vitamin D 1000 units", "levothyroxine", "metformin 500 mg",
                                  "ibuprofen gel"])
def test_medicines_outside_the_list_get_no_wild_suggestion(name):
    data = load_medicine_data()
    assert data.resolve(name)[0] == ()
    assert data.suggest(name) in (None, "ibuprofen")  # "ibuprofen gel": topical, so not taken as oral


# --------------------------------------------------------------------------- unrecognised: never plain OK
def test_an_unrecognised_medicine_makes_every_row_not_fully_checked_never_ok():
    report = assess_medications(intake(age=40, scr=0.9, meds=[("apixiban", 10)]), VISIT)
    assert report.unrecognised_medicines == ("apixiban",) and not report.fully_checked
    for row in report.rows:
        assert row.status != "ok", row.drug
        assert not row.fully_checked
        texts = [r.text for r in row.reasons if r.rule == "not-recognised"]
        assert texts and "Not fully checked" in texts[0] and '"apixiban"' in texts[0]
        assert "did you mean apixaban?" in texts[0]
    # a row that would otherwise be ok is exactly "not_fully_checked"
    assert report.row("ibuprofen").status == "not_fully_checked"
    d = report.to_dict()
    assert d["fully_checked"] is False
    assert d["unrecognised_detail"] == [{"name": "apixiban", "suggestion": "apixaban"}]
    assert all(r["status_label"] for r in d["rows"])


def test_the_same_patient_with_the_name_corrected_is_checked_and_nsaids_are_avoided():
    report = assess_medications(intake(age=40, scr=0.9, meds=[("Eliquis 5mg", 10)]), VISIT)
    assert report.fully_checked and report.unrecognised_medicines == ()
    assert report.row("ibuprofen").status == "avoid"  # NSAID + anticoagulant (ACG 2009)


def test_all_recognised_means_ok_rows_stay_ok():
    report = assess_medications(intake(age=40, scr=0.9, meds=[("omeprazole", None)][:0]), VISIT)
    assert report.row("ibuprofen").status == "ok" and report.row("ibuprofen").fully_checked


def test_not_fully_checked_sits_between_ok_and_caution():
    assert STATUSES.index("ok") < STATUSES.index("not_fully_checked") < STATUSES.index("caution")
    assert STATUSES.index("caution") < STATUSES.index("reduce_dose") < STATUSES.index("avoid")


# --------------------------------------------------------------------------- interactions
@pytest.mark.parametrize("meds, rule, severity", [
    (["gabapentin", "pregabalin"], "ix-two-gabapentinoids", "avoid"),
    (["ibuprofen", "naproxen"], "ix-two-nsaids", "avoid"),
    (["Celebrex", "diclofenac"], "ix-two-nsaids", "avoid"),
    # two different opioids (oxycodone, codeine): an avoid alert since opi18 (was a caution)
    (["oxycodone", "co-codamol 30/500"], "ix-two-different-opioids", "avoid"),
    (["oxycodone", "oxycontin"], "ix-two-opioids", "caution"),
    (["ibuprofen", "sertraline 50 mg"], "ix-nsaid-ssri-snri", "caution"),
    (["naproxen", "Cymbalta"], "ix-nsaid-ssri-snri", "caution"),
    (["ibuprofen", "methotrexate"], "ix-nsaid-methotrexate", "avoid"),
    (["etoricoxib", "Neoral"], "ix-nsaid-calcineurin", "caution"),
    (["morphine", "phenelzine"], "ix-opioid-maoi", "avoid"),
    (["oxycodone", "zopiclone"], "ix-opioid-cns", "avoid"),
    (["codeine", "Benadryl"], "ix-opioid-cns", "avoid"),
    (["tramadol", "diazepam"], "ix-opioid-benzodiazepine", "avoid"),
    (["Xarelto", "ibuprofen"], "ix-nsaid-anticoagulant", "avoid"),
    (["co-codamol 30/500", "paracetamol 1g"], "ix-two-acetaminophen-products", "avoid"),
])
def test_common_co_prescriptions_interact_with_a_source(meds, rule, severity):
    report = assess_medications(intake(meds=[(m, None) for m in meds]), VISIT)
    found = [i for i in report.interactions if i.rule == rule]
    assert found, [i.rule for i in report.interactions]
    assert found[0].severity == severity and found[0].source.strip()
    assert set(found[0].medicines) >= set(meds) or len(found[0].medicines) >= 2


def test_one_medicine_never_interacts_with_itself():
    report = assess_medications(intake(meds=[("ibuprofen", 1200)]), VISIT)
    assert not [i for i in report.interactions if i.rule == "ix-two-nsaids"]


def test_rows_see_the_new_interacting_classes():
    report = assess_medications(intake(meds=[("methotrexate 15 mg weekly", None), ("phenelzine", None)]), VISIT)
    assert report.row("ibuprofen").status == "avoid" and report.row("ibuprofen").has_rule("nsaid-methotrexate")
    assert report.row("opioids").has_rule("opioid-maoi") and report.row("opioids").status == "avoid"


# --------------------------------------------------------------------------- §3 reduce dose
def test_gabapentin_3600_at_crcl_20_is_reduce_dose_with_the_adjusted_maximum():
    report = assess_medications(intake(meds=[("gabapentin", 3600)]), VISIT, creatinine_clearance_override=20)
    row = report.row("gabapentin")
    assert row.status == "reduce_dose" and row.over_max
    assert row.adjusted_max_daily_mg == 700  # label: CrCl 15-29, 200-700 mg/day
    assert any(r.severity == "reduce_dose" and "700" in r.text for r in row.reasons)


@pytest.mark.parametrize("dose, status", [(1400, "caution"), (1500, "reduce_dose")])
def test_gabapentin_at_crcl_45_the_band_maximum_itself_is_allowed(dose, status):
    row = assess_medications(intake(meds=[("gabapentin", dose)]), VISIT, creatinine_clearance_override=45).row("gabapentin")
    assert row.status == status and row.adjusted_max_daily_mg == 1400


def test_pregabalin_600_at_crcl_45_is_reduce_dose():
    row = assess_medications(intake(meds=[("Lyrica", 600)]), VISIT, creatinine_clearance_override=45).row("pregabalin")
    assert row.status == "reduce_dose" and row.adjusted_max_daily_mg == 300


def test_tramadol_400_over_75_is_reduce_dose_to_300():
    row = assess_medications(intake(age=80, meds=[("tramadol", 400)]), VISIT, creatinine_clearance_override=70).row("tramadol")
    assert row.status == "reduce_dose" and row.adjusted_max_daily_mg == 300


def test_above_the_label_maximum_is_reduce_dose_naming_the_adjusted_maximum():
    # gp18 F9: one label above a maximum ("Reduce dose"); the reason names both maxima
    row = assess_medications(intake(meds=[("gabapentin", 4000)]), VISIT, creatinine_clearance_override=20).row("gabapentin")
    assert row.status == "reduce_dose" and row.has_rule("over-label-max")
    reason = next(r for r in row.reasons if r.rule == "over-label-max")
    assert "label maximum of 3600 mg/day; this patient's adjusted maximum is 700 mg/day" in reason.text


def test_the_loader_rejects_a_profile_maximum_or_self_care_dose_without_a_known_source(tmp_path):
    import shutil

    from radiculopathy_desktop.domain.medications import DATA_FILES, MedicineDataError, default_data_dir

    for name in DATA_FILES:  # every file the engine reads (routes.toml too)
        shutil.copy(default_data_dir() / name, tmp_path / name)
    drugs = (tmp_path / "drugs.toml").read_text(encoding="utf-8")
    (tmp_path / "drugs.toml").write_text(drugs.replace('source = ["bnf"]', 'source = ["no-such-source"]'),
                                         encoding="utf-8")
    with pytest.raises(MedicineDataError, match="no-such-source"):
        load_medicine_data.__wrapped__(str(tmp_path))
    (tmp_path / "drugs.toml").write_text(drugs.replace('self_care_max_source = ["ibuprofen-label"]',
                                                       'self_care_max_source = ["nowhere"]'), encoding="utf-8")
    with pytest.raises(MedicineDataError, match="nowhere"):
        load_medicine_data.__wrapped__(str(tmp_path))



# --------------------------------------------------------------------------- suggestions and names without memory
def _typed_variants():
    """Every known name as typed with one slip (a letter dropped, added, changed or two
    swapped), in capitals, with a strength and form, and random strings: what a clinician's
    typing produces, including nonsense."""
    import random
    import string

    rng = random.Random(23)
    names = load_medicine_data().known_names()
    letters = string.ascii_lowercase + " -/"
    out = list(names)
    for name in names:
        for op in range(4):
            w = list(name)
            i = rng.randrange(len(w))
            if op == 0 and len(w) > 1:
                del w[i]
            elif op == 1:
                w.insert(i, rng.choice(letters))
            elif op == 2:
                w[i] = rng.choice(letters)
            elif i + 1 < len(w):
                w[i], w[i + 1] = w[i + 1], w[i]
            out.append("".join(w))
        out.append(name.upper() + " 10 mg tablets")
    out += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 16))) for _ in range(400)]
    return out


def test_suggestions_are_difflibs_over_every_known_name_for_every_kind_of_slip():
    """The suggestion offered for an unrecognised name is the one difflib's close-match over
    EVERY known name gives (the letter index only skips names difflib's own quick test
    drops; issue 17). Reference: the documented rule, difflib.get_close_matches(n=1, cutoff
    0.8) on the name without strength and form words, then each word of 4+ letters."""
    import difflib

    from radiculopathy_desktop.domain import medications as M

    data = load_medicine_data()
    names = data.known_names()

    def reference(name):
        words = [w for w in M._PUNCT_RE.sub(" ", name.lower()).split() if w not in data.form_words]
        bare = " ".join(w for w in M._STRENGTH_RE.sub(" ", " ".join(words)).split()
                        if w not in data.form_words and w not in M._SALT_WORDS)
        if not bare:
            return None
        best = None
        for c in [bare] + ([w for w in bare.split() if len(w) >= 4] if " " in bare else []):
            for match in difflib.get_close_matches(c, names, n=1, cutoff=M.SUGGESTION_CUTOFF):
                ratio = difflib.SequenceMatcher(None, c, match).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, match)
        return best[1] if best else None

    suggested = 0
    for typed in _typed_variants():
        expected = reference(typed)
        assert data.suggest(typed) == expected, typed
        suggested += expected is not None
    assert suggested > 1000  # most slips get a suggestion: the comparison is not only of Nones


def test_a_name_typed_exactly_resolves_as_the_full_rules_say_and_nothing_is_remembered():
    """Exact names come from a table made once from the data; every name resolves the same
    whether typed before or not, and neither resolving nor suggesting keeps anything per
    typed name (issue 17: no cache keyed on what a patient takes)."""
    data = load_medicine_data()
    for name in data.known_names():
        assert data.resolve(name) == data._resolve(name)
    before = dict(vars(data))
    for typed in _typed_variants()[:600]:
        assert data.resolve(typed) == data._resolve(typed)
        data.suggest(typed)
    assert vars(data).keys() == before.keys()
    assert all(vars(data)[k] is before[k] for k in before)
