"""The pathway's medicine recommendations, as they stand for this patient (issue 12 §6).

When every row of a medicine class in the patient's medication report is *avoid* or
*contraindicated* for a reason of this patient's own (pregnancy, an anticoagulant, kidney
function ...), a pathway recommendation that offers or considers that class ("Consider an
oral NSAID") carries ``for_this_patient``: not for this patient, the status and the reasons,
taken from the same report. The pathway and the medicine table therefore cannot disagree. The
guideline's own "do not offer" reason is left out: the pathway already says it.
"""

from __future__ import annotations

from typing import Any

from radiculopathy_desktop.domain.guideline import Guideline
from radiculopathy_desktop.domain.medications import (DoseCheck, LabelMaxChecked, MedicationReport, dose_check_why, read_recorded_dose,
                                                      above_applying_max, dose_unsettled, load_medicine_data,
                                                      product_limit)
from radiculopathy_desktop.domain.medicine_alerts import (ALERT_STATUSES, alert_heads, medicine_alerts,
                                                          reviewed_with_prescriber,
                                                          one_medicine_action, together_names)
from radiculopathy_desktop.domain.vocab import Direction, MedicineStatus
from radiculopathy_desktop.domain.worklist_marks import alert_label

#: Recommendation directions that put a treatment forward (the ones a patient's contraindication contradicts).
OFFERING_DIRECTIONS = frozenset(d for d in Direction if d.offers)
_NOT_FOR = (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED)
#: pathtake (H-MED-587): recommendations whose review of a medicine taken now says the medicine table's
#: avoid/contraindicated rating first: all but those advising against the class (their review already
#: says why not to go on: "explain the risks of continuing it"), so an offered or a disputed one
_RATED_DIRECTIONS = frozenset(d for d in Direction if not d.rules_out)
_GUIDELINE_RULE = "guideline-do-not-offer"


def class_positions(report: MedicationReport) -> dict[str, dict[str, Any]]:
    """Treatment code -> this patient's position, for each class whose every row is avoid or worse
    for a reason of the patient's own."""
    by_code: dict[str, list] = {}
    for row in report.rows:
        by_code.setdefault(row.treatment_code, []).append(row)
    out: dict[str, dict[str, Any]] = {}
    for code, rows in by_code.items():
        if not all(r.status in _NOT_FOR for r in rows):
            continue
        # the least severe row is the best the class offers this patient
        status = MedicineStatus.AVOID if any(r.status == MedicineStatus.AVOID for r in rows) else MedicineStatus.CONTRAINDICATED
        reasons = [reason for r in rows for reason in r.reasons_at_least(MedicineStatus.AVOID) if reason.rule != _GUIDELINE_RULE]
        if not reasons:
            continue  # only the guideline's own position: the pathway states it itself
        texts = tuple(dict.fromkeys(r.text for r in reasons))
        source = "; ".join(dict.fromkeys(r.source for r in reasons if r.source))
        label = rows[0].class_label
        # step3dose34 (H-PATH-909): the label the medicine table's alert gives this rating when its rules carry one
        # (rules.toml ``alert_label``): tramadol at 80 MME/day is rated avoid so that it reaches the alerts, and
        # labelled "Reassess opioid dose" there; the step said "avoid" for the same reason, so the two disagreed
        shown = alert_label(status.label, reasons)
        out[code] = {
            "status": status, "status_label": shown,
            "medicines": [r.label for r in rows],
            "text": f"{label}: {shown[:1].lower()}{shown[1:]} for this patient in the medicine table: "
                    f"{' '.join(texts)}",
            "reasons": list(texts), "source": source,
        }
    return out


def annotate_pathway(pathway: dict[str, Any], report: MedicationReport,
                     guideline: Guideline | None = None) -> dict[str, Any]:
    """``pathway`` (a ``PathwayResult.to_dict()``) with ``for_this_patient`` on each offering
    recommendation whose class the report rules out for this patient, and ``taking_now`` on each
    recommendation (of ``guideline``, the profile the pathway was worked out under) whose class
    the patient already takes and whose data says what to do then (``already_taking``):
    changed in place, returned."""
    positions = class_positions(report)
    taking = _taking_now_by_recommendation(pathway, report, guideline) if guideline is not None else {}
    provisional = provisional_words(report)
    if not positions and not taking and provisional is None:
        return pathway
    medicine_codes = _medicine_treatment_codes(report) if provisional is not None else frozenset()
    for step in pathway.get("steps", ()):
        for rec in step.get("recommendations", ()):
            now = taking.get((step.get("id"), rec.get("id")))
            if now:
                rec["taking_now"] = now
            if rec.get("direction") not in OFFERING_DIRECTIONS:
                continue
            if provisional is not None and medicine_codes.intersection(rec.get("treatments", ())):
                rec["provisional"] = provisional
            hits = [positions[c] for c in rec.get("treatments", ()) if c in positions]
            if hits:
                rec["for_this_patient"] = hits[0] if len(hits) == 1 else {
                    **hits[0], "text": " ".join(h["text"] for h in hits),
                    "reasons": [x for h in hits for x in h["reasons"]]}
    return pathway


def provisional_words(report: MedicationReport) -> dict[str, Any] | None:
    """unrec34 (H-MED-702): while a medicine the patient takes now is not recognised, what a medicine the pathway
    offers says beside it: ``{"medicines": [...], "text": "Provisional: \"naproxn 500mg bd\" (did you mean
    naproxen?) is not recognised ..."}``; None when every name is recognised. A GP's tryout: step 3 said "consider:
    NICE recommends considering an oral NSAID" beside "naproxn" and "apixban" (possibly an NSAID and an
    anticoagulant, a pair rated Avoid once read), the names said only in the medicine table below. The
    recommendation is kept (the guideline's), qualified where it is given."""
    unknown = [m for m in report.current_medicines if not m.recognised]
    if not unknown:
        return None
    names = list(dict.fromkeys(m.name for m in unknown))
    said = ", ".join(dict.fromkeys(m.not_recognised_text for m in unknown))
    many = len(names) > 1
    return {"medicines": names,
            "text": (f"Provisional: {said} {'are' if many else 'is'} not recognised, so {'their' if many else 'its'} "
                     f"interactions and dose{'s' if many else ''} were not checked against this medicine; "
                     f"{'they' if many else 'it'} may rule it out for this patient. Check the "
                     f"name{'s' if many else ''} (enter the generic name) before acting on this.")}


def _medicine_treatment_codes(report: MedicationReport) -> frozenset[str]:
    """The pathway treatment codes that are medicines: those of the medicine table's rows (data and report)."""
    data = load_medicine_data()
    codes = {c for of_class in data.treatment_codes_of_class().values() for c in of_class}
    codes.update(r.treatment_code for r in report.rows if r.treatment_code)
    return frozenset(codes)


def _taking_now_by_recommendation(pathway: dict[str, Any], report: MedicationReport,
                                  guideline: Guideline) -> dict[tuple[str, str], dict[str, Any]]:
    """(step id, recommendation id) -> ``taking_now`` for each shown recommendation with
    ``already_taking`` data whose treatment class a medicine the patient takes now by mouth is of
    (:func:`treatment_codes_by_medicine`: by drug class, so a row-less NSAID such as etoricoxib
    counts): "Already taking naproxen 500mg bd (1000 mg/day of naproxen; this patient's maximum
    1000 mg/day): " and the data's review text, with the data's sources."""
    code_of = treatment_codes_by_medicine(report)
    by_class = _by_mouth_classes(report)
    if not code_of and not by_class:
        return {}
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for step in pathway.get("steps", ()):
        try:
            data = guideline.step(step.get("id"))
        except KeyError:
            continue
        recs = {r.id: r for r in data.recommendations}
        for shown in step.get("recommendations", ()):
            rec = recs.get(shown.get("id"))
            if rec is None or rec.already_taking is None:
                continue
            wanted, already = set(rec.treatments), rec.already_taking
            names = [name for name, codes in code_of.items() if codes & wanted]
            # a medicine of a class the data names as well (diazepam: NICE's benzodiazepines)
            names += [name for name, classes in by_class.items()
                      if name not in names and set(classes) & set(already.classes)]
            if not names:
                continue
            checks = _doses_to_check(report)
            words = "; ".join(_medicine_words(report, name, wanted, checks.get(name, ())) for name in names)
            # several of the class taken at once: the data's words for them ("review them; stop all but one")
            text = already.text_several if len(names) > 1 and already.text_several else already.text
            # pathtake (H-MED-587): a medicine the medicine table rates avoid or contraindicated for this
            # patient (a reason of the patient's own, not the guideline's position the step states) is not
            # "reviewed" as if it could go on where the step offers (or disputes) its class: the table's
            # rating, reasons and action are said first, as its alert says them
            rated = ({n: v for n in names if (v := _not_for_patient(report, n))}
                     if shown.get("direction") in _RATED_DIRECTIONS else {})
            if rated:
                by_text: dict[str, list[str]] = {}  # one verdict said once (two opioids, one total)
                for n, v in rated.items():
                    by_text.setdefault(v["text"], []).append(n)
                said = [t if len(names) == 1 else f"{', '.join(ns)}: {t}" for t, ns in by_text.items()]
                # the data's review follows, unless it reads as if the medicine could go on (NSAIDs: "review
                # it rather than start another"): the data's words for a rated one then (``text_rated``); a
                # medicine not rated so keeps the review
                then = text if len(rated) < len(names) or not already.text_rated else already.text_rated
                said.append(then[:1].upper() + then[1:])  # a sentence of its own now ("check what ..." in us data)
                text = " ".join(said)
            out[(step.get("id"), rec.id)] = {
                "medicines": names,
                "taking": f"Already taking {words}",
                "text": f"Already taking {words}: {text}",
                "evidence_note": already.evidence_note,
                "verified": already.verified,
                "sources": [s.to_dict() for s in already.sources],
            }
            if rated:  # the medicine table's rating said in the text, with the table's sources
                out[(step.get("id"), rec.id)]["rated"] = [{"medicine": n, **v} for n, v in rated.items()]
    return out


def _by_mouth_classes(report: MedicationReport) -> dict[str, tuple[str, ...]]:
    """Recorded name -> drug classes, of each recognised medicine taken now by mouth (an injected
    one is not: medicine data ``[injected_forms]``, as :func:`treatment_codes_by_medicine`)."""
    meds = [m for m in report.current_medicines if m.generics and m.classes]
    if not meds:
        return {}
    data = load_medicine_data()
    return {m.name: m.classes for m in meds if not data.by_injection(m.name)}


def _doses_to_check(report: MedicationReport) -> dict[str, tuple[DoseCheck, ...]]:
    """Recorded name -> the medicine table's "Check the dose" questions about it (rule "check-dose":
    a dose far below or far above any usual dose, a regimen in the name not read, a combination's
    mg not known)."""
    out: dict[str, tuple[DoseCheck, ...]] = {}
    for c in report.dose_checks:
        if c.rule == "check-dose":
            for name in c.medicines:
                out[name] = (*out.get(name, ()), c)
    return out


def _to_check_words(checks: tuple[DoseCheck, ...], of: str = "") -> str:
    """pathtake (H-MED-586): "dose to check: 4 mg/day recorded, far below any usual dose: typed in
    grams?": the recorded number is said as recorded and questioned, never as the patient's dose.
    ``of`` (" of tramadol"): the component of a combination product the number is of (opioidnum)."""
    whys = "; ".join(dict.fromkeys(dose_check_why(c) for c in checks))
    mg = next((c.daily_mg for c in checks if c.daily_mg and c.kind in ("below", "check", "unread")), None)
    return f"dose to check: {mg:g} mg/day{of} recorded, {whys}" if mg else f"dose to check: {whys}"


def _row_check_words(report: MedicationReport, name: str, generics: tuple[str, ...], mine: list[str],
                     checks: tuple[DoseCheck, ...]) -> str:
    """opioidnum (H-MED-610): a row's "dose to check" words from the checks about ITS medicine in the
    recorded product ``name`` (``mine``: the generics of the product the row holds): for tramadol/paracetamol
    0.0375/0.325 2 qds on the tramadol row, the tramadol's "0.3 mg/day of tramadol recorded, far below any
    usual dose", never the paracetamol's 2.6 mg (before, the first check's number was said, whichever
    component it was of). A product whose only check is of another component (its paracetamol typed in
    grams) says that one, named, and that this row's dose is not settled by it."""
    combination = len(generics) > 1
    own = tuple(c for c in checks if c.generic in mine or c.generic not in generics)
    if own:
        component = next((c.generic for c in own if c.generic in mine and c.daily_mg), None)
        of = f" of {report.name(component)}" if combination and component else ""
        return _to_check_words(own, of)
    others = tuple(c for c in checks if any(dose_unsettled(c, name, g) for g in mine))
    if not others:
        return ""
    named = ", ".join(dict.fromkeys(report.name(c.generic) for c in others))
    words = _to_check_words(others, f" of {named}" if combination else "").removeprefix("dose to check: ")
    return f"dose to check: its {named} dose is to check ({words}), so its {', '.join(map(report.name, mine))} " \
           "dose is not settled either"



def _not_for_patient(report: MedicationReport, name: str) -> dict[str, Any] | None:
    """pathtake (H-MED-587): the medicine table's verdict on ``name`` when it is avoid or contraindicated
    for a reason of this patient's own (the guideline's own "do not offer" left out: the step says it):
    its status, reasons, the action its alert gives and their sources, with the words "avoid for this
    patient in the medicine table: <its reasons> <its alert's action>"; None otherwise."""
    worst, reasons = None, []
    for row in report.rows:
        if row.currently_taking and name in row.current_medicines and row.status in _NOT_FOR:
            own = [r for r in row.reasons_at_least(row.status) if r.rule != _GUIDELINE_RULE]
            if own:
                reasons += [(r.text, r.source) for r in own]
                worst = row.status if worst != MedicineStatus.CONTRAINDICATED else worst
    for note in report.current_notes:
        if name in note.medicines and note.severity in _NOT_FOR:
            reasons.append((note.text, note.source))
            worst = MedicineStatus(note.severity) if worst != MedicineStatus.CONTRAINDICATED else worst
    if worst is None:
        return None
    worst = MedicineStatus(worst)
    # the label and action its alert gives ("Reassess opioid dose"; a gradual stop for an opioid or a
    # steroid, "Review now: stop or change it ..."), so the step and the alert say the same
    alerts = [a for a in medicine_alerts(report) if name in a.medicines and a.status == worst]
    # its own alert (a row's or a note's) before an interaction's that also names it
    alert = next((a for a in alerts if a.kind != "interaction"), alerts[0] if alerts else None)
    label = alert.status_label if alert is not None else worst.label
    action = alert.action if alert is not None else ""
    if alert is not None and alert.kind == "interaction":
        action = one_medicine_action(worst, action)  # this text is about one medicine of the pair: "it"
    texts = list(dict.fromkeys(t for t, _src in reasons))
    return {"status": worst, "status_label": label, "reasons": texts, "action": action,
            "source": "; ".join(dict.fromkeys(src for _t, src in reasons if src)),
            "text": " ".join(f"{label[:1].lower()}{label[1:]} for this patient in the medicine table: "
                             f"{' '.join(texts)} {action}".split())}


def _medicine_words(report: MedicationReport, name: str, codes: set[str],
                    checks: tuple[DoseCheck, ...] = ()) -> str:
    """A medicine taken now as the pathway names it: its recorded name, then what the medicine
    table read of it: the daily dose, this patient's maximum (the table's adjusted maximum) and,
    for an opioid, the MME a day ("naproxen 500mg bd (1000 mg/day; this patient's maximum 1000
    mg/day)"). A dose above the maximum says so; a combination names the ingredient ("co-codamol
    30/500 2 qds (4000 mg/day of paracetamol ...)"); a medicine with no row of that class, or no
    daily dose, says that instead of a number (nothing is guessed). A dose the table asks to check
    (``checks``) is said to be checked, with the number recorded, and no MME or "above the maximum"
    is worked out of it (pathtake, H-MED-586); nor is a row total that counts another medicine's
    dose to check."""
    med = next((m for m in report.current_medicines if m.name == name), None)
    generics = med.generics if med is not None else ()
    asked = _doses_to_check(report)
    own_of = {d.id: d.own for d in load_medicine_data().drugs}
    parts = []
    for row in report.rows:
        if not (row.currently_taking and row.treatment_code in codes and name in row.current_medicines):
            continue
        bits = []
        dose = row.current_daily_dose_mg
        others = [n for n in row.current_medicines if n != name and n in asked]
        limit = row.adjusted_max_daily_mg
        mine = [g for g in generics if g in own_of.get(row.drug, ()) or g == row.drug] or list(generics)
        said = _row_check_words(report, name, generics, mine, checks) if checks else ""
        if said or others:  # a row of this medicine (any of its ingredients): no number of it is settled
            of = "" if len(generics) == 1 else f" of {row.label.lower()}"
            said = said or f"daily total{of} to check: it counts {', '.join(others)}, whose dose is to check"
            if limit is not None and (row.drug in generics or len(generics) == 1):
                said += f"; this patient's maximum {limit:g} mg/day{of}"
            parts.append(said)
            continue
        # sheet2 (H-MED-646): a row holding several products ("tramadol/paracetamol 37.5/325 2 qds" and "tramadol
        # 50mg qds") adds them up: each line gives its own product's dose, then the total from all of them, never
        # the total as each product's dose (both lines read "500 mg/day of tramadol")
        several = len(row.current_medicines) > 1 and dose is not None
        if row.drug in generics or len(generics) == 1:
            of = "" if len(generics) == 1 else f" of {row.label.lower()}"
            if several:
                own = _own_daily_mg(med, row.drug if row.drug in generics else generics[0])
                bits.append((f"{own:g} mg/day{of}" if own is not None else f"its own daily dose{of} not read")
                            + ("; both products together" if len(row.current_medicines) == 2 else
                               f"; all {len(row.current_medicines)} products together") + f" {dose:g} mg/day"
                            + ("" if row.drug in generics and len(generics) == 1 and row.drug == generics[0]
                               else f" of {row.label.lower()}"))
            elif row.drug in generics:  # the row is this medicine's own ingredient
                bits.append(f"{dose:g} mg/day{of}" if dose is not None else f"no daily dose{of} recorded")
            else:  # a row of its class (prednisolone on the oral corticosteroid row)
                bits.append(f"{dose:g} mg/day" if dose is not None else "no daily dose recorded")
        if limit is None and above_applying_max(row):  # withheld (avoid): the maximum that applies (zalmax35)
            found = product_limit(row, report.dose_checks)
            limit = found.limit_mg if found is not None else row.dose_limit_mg
        if limit is not None and bits:
            # zalmax35 (H-MED-727): above a product's own lower maximum (Zaldiar 9 tablets, 337.5 mg) is above too
            bits[-1] += (f", above this patient's maximum of {limit:g} mg/day" if above_applying_max(row)
                         else f"; this patient's maximum {limit:g} mg/day")
        if row.current_daily_mme is not None:
            # the MME of a row is the patient's opioid total: with another opioid, said as the total (codeine
            # 120 mg/day read "58 MME/day" beside tramadol, its own being 18)
            opioids = [m.name for m in report.current_medicines if "opioid" in m.classes]
            bits.append(f"all opioids together {row.current_daily_mme:g} MME/day" if len(opioids) > 1
                        else f"{row.current_daily_mme:g} MME/day")
        elif report.mme_to_check and row.currently_taking and "opioid" in (med.classes if med is not None else ()):
            # opioidnum (H-MED-611): a total that counts a dose to check is provisional, said so with why
            bits.append(f"all opioids together {report.mme_provisional}")
        if bits:
            parts.append("; ".join(bits))
    if not parts:  # of the class, but no row of the medicine table holds it (etoricoxib)
        dose = med.daily_dose_mg if med is not None else None
        checked = None if checks else _label_max_checked(report, name)
        if checked is not None:
            parts.append(_label_max_words(report, med, checked))
        else:
            # step3dose34 (H-MED-705): a dose read from the regimen in its name ("Arcoxia 60mg od") is said as read,
            # never "no daily dose read"; nothing checks it against a maximum, which the words go on to say
            named = (_own_daily_mg(med, generics[0]) if dose is None and len(generics) == 1 and not checks
                     else None)
            # gptry29 (H-MED-552): the review text after these words asks for "the dose against this patient's
            # maximum in the medication table", which has none for this medicine: say where its maximum is
            parts.append((_to_check_words(checks) if checks else f"{dose:g} mg/day recorded" if dose
                          else f"{named:g} mg/day read from its name" if named else "no daily dose read")
                         + "; not a row of the medicine table, so no maximum is checked: check its dose against "
                           "its label by hand")
    return f"{name} ({'; '.join(parts)})"


def _label_max_checked(report: MedicationReport, name: str) -> LabelMaxChecked | None:
    """step3dose34 (H-MED-704): the label maximum the medicine table checked ``name`` against (drugs.toml
    ``[dose_checks]``: dexketoprofen 75 mg a day), above it or not; None when none was."""
    return next((c for c in report.label_maxima if name in c.medicines), None)


def _label_max_words(report: MedicationReport, med, checked: LabelMaxChecked) -> str:
    """step3dose34 (H-MED-704): a medicine without a row of the medicine table said with the dose its dose check
    read and the label maximum it checked, as the medicine alerts say them: "150 mg/day read from its name, above
    the label maximum of 75 mg/day of dexketoprofen" beside the alert's "Reduce dose" (before: "no daily dose read;
    not a row of the medicine table, so no maximum is checked", the same dose said two ways). The maximum is the
    label's, not adjusted for the patient (the review text after these words speaks of "this patient's maximum in
    the medication table", which this medicine has no row of)."""
    generic = report.name(checked.generic)
    limit = f"{checked.limit_mg:g} mg/day of {generic}"
    if checked.daily_mg is None:  # nothing to check it against: the maximum to check it by hand
        return (f"no daily dose read; not a row of the medicine table: check its dose by hand against its label "
                f"maximum of {limit} (not adjusted for this patient)")
    where = "not a row of the medicine table: its label maximum is checked, not one adjusted for this patient"
    own = _own_daily_mg(med, checked.generic)
    how = "recorded" if med is not None and med.daily_dose_mg is not None else "read from its name"
    said = f"{own:g} mg/day {how}" if own is not None else "its own daily dose not read"
    if len(checked.medicines) > 1 or own != checked.daily_mg:
        said += f"; all its products together {checked.daily_mg:g} mg/day of {generic}"
        limit = f"{checked.limit_mg:g} mg/day"  # of the medicine just named
    said += (f", above the label maximum of {limit}" if checked.daily_mg > checked.limit_mg
             else f"; label maximum {limit}")
    return f"{said}; {where}"




def _own_daily_mg(med, generic: str) -> float | None:
    """sheet2 (H-MED-646): the mg a day of ``generic`` in one current product alone: its recorded daily dose (a
    single medicine), or what the reading of its name or of its combination gives for that component; None when
    it is not read."""
    if med is None:
        return None
    if len(med.generics) == 1 and med.daily_dose_mg is not None:
        return med.daily_dose_mg
    reading = read_recorded_dose(med.name, med.generics, med.daily_dose_mg)
    if reading is None or reading.problem or not reading.components:
        return None
    return dict(reading.components).get(generic)


def treatment_codes_by_medicine(report: MedicationReport) -> dict[str, frozenset[str]]:
    """Recorded name of each medicine the patient takes now by mouth -> the pathway treatment
    codes it counts as, by DRUG CLASS in the medicine data: a row of the medicine table takes it
    (ibuprofen on the ibuprofen row), or it is of a row's class (dexamethasone, methylprednisolone
    or hydrocortisone is a systemic corticosteroid like the prednisone row: "oral corticosteroid";
    celecoxib is an NSAID). A medicine recorded as given by injection (Depo-Medrol,
    "dexamethasone injection": medicine data ``[injected_forms]``) is not taken by mouth and
    counts as none; an epidural injection is its own treatment, never an oral steroid."""
    meds = report.current_medicines
    if not meds:
        return {}
    data = load_medicine_data()
    by_class = data.treatment_codes_of_class()
    by_name: dict[str, set[str]] = {}
    for r in report.rows:
        if r.currently_taking and r.treatment_code:
            for name in r.current_medicines:
                by_name.setdefault(name, set()).add(r.treatment_code)
    out: dict[str, frozenset[str]] = {}
    for m in meds:
        if not m.generics or data.by_injection(m.name):  # not recognised, or not by mouth
            continue
        codes = set(by_name.get(m.name, ()))
        for c in m.classes:
            if c in by_class:
                codes.update(by_class[c])
        if codes:
            out[m.name] = out.get(m.name, frozenset()) | codes
    return out


def treatments_to_review(report: MedicationReport,
                         code_of: dict[str, frozenset[str]] | None = None) -> tuple[tuple[str, str], ...]:
    """(treatment code, words naming the medicine) for each medicine alert (a current medicine
    rated contraindicated, avoid or reduce dose, alone or in an interaction) that involves a
    medicine the patient takes now of a pathway treatment class (``code_of``: what
    :func:`treatment_codes_by_medicine` gives, worked out again when not passed). The pathway's
    step for that class is then "review", not "done" (rd13 D13): the same alerts every surface
    shows (domain/medicine_alerts.py: :func:`alert_heads`, their medicines and status labels,
    selected as the alerts are, without wording them). The words name the alert's medicines as
    the alert does ("ibuprofen: avoid", "diclofenac with apixaban: avoid"): a combination has
    the same words for each of its medicines, so a step says it once."""
    for r in report.rows:  # (a loop, not any() over a generator: one test per row, no generator to resume)
        if r.currently_taking and r.status in ALERT_STATUSES:
            row_alert = True
            break
    else:
        row_alert = False
    if not (row_alert
            or any(i.severity in ALERT_STATUSES for i in report.interactions)
            or any(n.severity in ALERT_STATUSES for n in report.current_notes)):
        return ()  # no alert at all (what medicine_alerts would find), without building its texts
    if code_of is None:
        code_of = treatment_codes_by_medicine(report)
    out: dict[tuple[str, str], None] = {}
    # pathstep31 (tryout31 D6): an interaction whose rule keeps a side (rules.toml keep/keep_why,
    # avoidside) says which medicine to review now and which to keep, as the banner does: "X with
    # Y: avoid" alone reads as avoiding both
    keeps = {tuple(i.medicines): i for i in report.interactions if i.kept}
    # mtxavoid (H-MED-671): a pair with no side to keep (methotrexate beside an NSAID) says both are reviewed with the
    # prescriber: "ibuprofen with methotrexate: avoid" alone reads as avoiding either
    both = {tuple(i.medicines): i for i in report.interactions if reviewed_with_prescriber(i)}
    for medicines, status_label in alert_heads(report):  # who and how serious, without the alerts' texts
        # one alert, one set of words: a combination is named as the alerts name it ("Taking
        # diclofenac with apixaban"), the same words for each of its medicines, so a step taking
        # two of them says it once (gp26 F3: "codeine: avoid (with pregabalin); pregabalin: avoid
        # (with codeine)" was one combination said twice in the step's Why)
        words = f"{together_names(medicines)}: {status_label.lower()}"
        kept = keeps.get(tuple(medicines))
        if kept is not None:
            words += (f", review {' and '.join(dict.fromkeys(kept.to_review))} now and keep "
                      f"{' and '.join(dict.fromkeys(kept.kept))} (do not stop without its prescriber)")
        elif tuple(medicines) in both:
            words += f" together, review {'both' if len(set(medicines)) < 3 else 'them all'} with the prescriber"
        for name in medicines:
            for code in sorted(code_of.get(name) or ()):
                out[(code, words)] = None
    return tuple(out)


__all__ = ["OFFERING_DIRECTIONS", "annotate_pathway", "class_positions", "provisional_words", "treatment_codes_by_medicine",
           "treatments_to_review"]
