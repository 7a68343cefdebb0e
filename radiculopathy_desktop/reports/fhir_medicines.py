"""Current medicines in the FHIR export: one MedicationStatement each, and the medicine
checks' findings as DetectedIssue resources (red-team A5: a receiving surgeon must learn
that the patient is anticoagulated, or taking an NSAID that is contraindicated for them).

* MedicationStatement: ``medicationCodeableConcept.text`` is the name as recorded; the
  generic name the engine recognised is a coding in the app's own system (the medicine
  data carry no RxNorm or dm+d codes, so there is no standard code to give); the daily
  dose is ``dosage.text``; a note says what the medicine checks found for it (or that it
  was not recognised, so its interactions were not checked).
* DetectedIssue (codes from HL7 v3 ActCode, the value set FHIR binds to
  ``DetectedIssue.code``): ``DRG`` Drug Interaction Alert for each interaction,
  ``DOSEH`` High Dose Alert for a daily dose above this patient's maximum, ``COND``
  Condition Alert for a medicine the checks rate "avoid" or "contraindicated" for this
  patient for a reason of its own (a reason an interaction's DRG says is not said again:
  each pair once, fhir34), and for a current-medicine note's alert (misoprostol in pregnancy).
  ``implicated`` points at the MedicationStatements concerned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable

from radiculopathy_desktop.domain.intake import Case
from radiculopathy_desktop.domain.vocab import MedicineStatus
from radiculopathy_desktop.domain.worklist_marks import opioid_total, total_beside

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
GENERIC_SYSTEM = "urn:radiculopathy-desktop:codes:generic-medicine"
#: the row statuses that make an alert (medicine_alerts.ALERT_STATUSES)
_ALERTING = (MedicineStatus.CONTRAINDICATED, MedicineStatus.AVOID, MedicineStatus.REDUCE_DOSE)
_SEVERITY = {MedicineStatus.CONTRAINDICATED: "high", MedicineStatus.AVOID: "high", MedicineStatus.CAUTION: "moderate"}


def _cond_severity(label: str) -> str:
    """``DetectedIssue.severity`` of a Condition Alert labelled ``label`` (the row's status_label).

    The element binds (required) to the FHIR R4 value set DetectedIssueSeverity
    (http://hl7.org/fhir/ValueSet/detectedissue-severity, v4.0.1): "high": "the issue may be
    life-threatening or has the potential to cause permanent injury"; "moderate": "may result in
    noticeable adverse consequences but is unlikely to be life-threatening or cause permanent
    injury"; "low": "some adverse consequences but is unlikely to substantially affect the
    situation of the subject". Avoid and Contraindicated are "high", and so is a rule's own label
    ranked with them (rules.toml ``alert_sorts_after = "Avoid"``: "High opioid dose", 90 MME/day
    or more, which CDC asks to avoid). A rule's own label ranked below them ("Reassess opioid
    dose", 50 to 89 MME/day, after "Check the dose") asks a reassessment before any increase,
    not a change now: "moderate" (mme23: it was "high", the same as Avoid)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    anchors = {own: anchor for own, anchor in load_medicine_data().alert_labels.values()}
    anchor = anchors.get(label)
    if anchor is not None and anchor not in (MedicineStatus.AVOID.label, MedicineStatus.CONTRAINDICATED.label):
        return "moderate"
    return "high"


def _dose(mg: float | None) -> str:
    """The dosage text: a stored dose below the floor new input accepts (0 mg a day, stored
    before it was refused) is "not recorded", as the handout says, never "0 mg per day"."""
    from radiculopathy_desktop.domain.intake import MIN_DAILY_DOSE_MG

    if mg is None:
        return "daily dose not recorded"
    if mg < MIN_DAILY_DOSE_MG:
        return f"daily dose not recorded (the stored {mg:g} mg per day is not a dose)"
    return f"{mg:g} mg per day (total daily dose as recorded)"


def _components(med, info) -> str:
    """For a combination product with a recorded dose, how the engine read it (G17): "; co-codamol
    30/500 recorded as 240 mg a day (mg of codeine), read as 8 tablets ..." or why it could not."""
    from radiculopathy_desktop.domain.intake import MIN_DAILY_DOSE_MG
    from radiculopathy_desktop.domain.medications import read_recorded_dose

    if info is None or not info.generics or (med.daily_dose_mg is not None
                                             and med.daily_dose_mg < MIN_DAILY_DOSE_MG):
        return ""
    reading = read_recorded_dose(med.name, info.generics, med.daily_dose_mg)
    if reading is None:
        return ""
    if reading.conflict:
        return f"; check the dose: {reading.conflict}"
    return f"; {reading.text}" if reading.read else f"; check the dose: {reading.text}"


def _above_max(row, product=None) -> str:
    """The High Dose Alert's words for a row above its maximum: "Ibuprofen: taking 3600 mg/day, above this patient's
    maximum of 3200 mg/day. ...". The maximum is the one the dose was checked against (``dose_limit_mg``: the adjusted
    maximum, or the label's when a rating withholds the adjusted one), as the pathway and the worklist's "Reduce dose"
    say it; a figure not known is left out, never worded as "the maximum" (fhir34, H-FMT-906: "above this patient's
    maximum of the maximum" for ibuprofen rated avoid beside lithium).

    ``product`` (fhirnsaid35, H-FMT-907): a product's own lower label maximum the row carries as a reason
    (:func:`_product_limit`: Zaldiar, 8 tablets a day, 300 mg of tramadol, under tramadol's own 400): its figure is the
    maximum, as the text alert ("this product's limit applies") and the sheet ("For you, the most is 300 mg a day")
    say it, read from the same dose check, never the 400 again; the row's own adjustment words are not said then (the
    check's own words, said after this, say why)."""
    limit = row.adjusted_max_daily_mg if row.adjusted_max_daily_mg is not None else row.dose_limit_mg
    why = row.adjustment_reason
    if product is not None:
        limit, why = product.limit_mg, ""
    taking = (f"taking {row.current_daily_dose_mg:g} mg/day," if row.current_daily_dose_mg is not None
              else "the dose taken is")
    of = f" of {limit:g} mg/day" if limit is not None else ""
    return f"{row.label}: {taking} above this patient's maximum{of}. {why}".strip()


def _product_limit(row, report):
    """The product's own lower label maximum that applies to the row (``medications.product_limit``, zalmax35,
    H-MED-727: the domain decides it once, for the table, the worklist, the alerts and this export)."""
    from radiculopathy_desktop.domain.medications import product_limit
    return product_limit(row, report.dose_checks)


def _dose_detail(row, report) -> str:
    """``DetectedIssue.detail`` of a row's High Dose Alert: :func:`_above_max`, then each reason of the row rated
    "reduce dose" in the words the text alert shows (fhirnsaid35, H-FMT-907: the over-product maximum's "this
    product's limit applies" was only in the text and on the sheet; the export said the 400 mg alone)."""
    head = _above_max(row, _product_limit(row, report))
    said = [r.text for r in row.reasons if r.severity == MedicineStatus.REDUCE_DOSE and r.text not in head]
    return " ".join((head, *dict.fromkeys(said)))


def _interaction_detail(ix) -> str:
    """``DetectedIssue.detail`` of an interaction: its text and medicines; for a rule that keeps a side (rules.toml
    ``keep``: an anticoagulant beside an NSAID), also which medicines to review and which to keep, in the words of the
    window's alert (avoid2, H-FMT-900: the export listed "naproxen, apixaban 5mg bd" alike, and a receiving clinician
    could stop the anticoagulant). FHIR R4 gives ``implicated`` (0..*, Reference(Any): "the current activity or
    proposed activity that is potentially problematic") no role, so every medicine of the interaction stays
    implicated (each is), and the review/keep distinction is in ``detail`` (0..1 string, the free text of the issue).
    ``mitigation`` is not used: it records "an action that has been taken or is committed to", and the checks only
    advise."""
    from radiculopathy_desktop.domain.medicine_alerts import keep_advice

    detail = f"{ix.text} ({', '.join(ix.medicines)})"
    advice = keep_advice(ix)
    return f"{detail}. {advice}" if advice else detail


def add_medicines(case: Case, as_of: dt.date, subject: dict, add: Callable[[str, dict], str],
                  profile: str = "us") -> int:
    """Add the MedicationStatements and DetectedIssues; return how many resources were added."""
    from radiculopathy_desktop.domain.medications import assess_medications
    from radiculopathy_desktop.domain.medications import MME_RULES
    from radiculopathy_desktop.domain.medicine_alerts import pair_said, without_reasons

    meds = case.intake.medicines
    if not meds:
        return 0
    # the pregnancy standing on as_of (a visit may have recorded or ended one)
    report = assess_medications(replace(case.intake, pregnancy_update=case.pregnancy_update_as_of(as_of)), as_of,
                                profile=profile)
    current = report.current_medicines
    rows_for: dict[int, list] = {n: [] for n in range(len(meds))}
    for row in report.rows:
        if row.currently_taking:
            for n, m in enumerate(meds):
                if m.name in row.current_medicines:
                    rows_for[n].append(row)
    notes_for: dict[int, list[str]] = {n: [] for n in range(len(meds))}
    for note in report.current_notes:
        for n, m in enumerate(meds):
            if m.name in note.medicines:
                notes_for[n].append(note.text)

    refs: dict[str, str] = {}
    added = 0
    for n, med in enumerate(meds):
        info = current[n] if n < len(current) else None
        concept: dict = {"text": med.name}
        if info is not None and info.recognised:
            # the code is the data's generic; the display text in the profile's name (uk: paracetamol)
            concept["coding"] = [{"system": GENERIC_SYSTEM, "code": g, "display": report.name(g)} for g in info.generics]
        if info is None or not info.recognised:
            found = "Not recognised by the medicine checks: its interactions and doses were not checked."
            if info is not None and info.suggestion:
                found += f" Did you mean {info.suggestion}?"
        else:
            parts = [f"{row.label}: {row.status_label}" + (" (above this patient's maximum)" if row.over_max else "")
                     + "." + "".join(f" {r.text}" for r in row.reasons_at_least(MedicineStatus.CAUTION))
                     for row in rows_for[n]]
            parts += notes_for[n]
            found = "Medicine checks: " + (" | ".join(parts) if parts else "no finding for this patient.")
        statement = {
            "resourceType": "MedicationStatement",
            "status": "active",
            "medicationCodeableConcept": concept,
            "subject": subject,
            "dateAsserted": case.intake.visit_date.isoformat(),
            "dosage": [{"text": _dose(med.daily_dose_mg) + (report.profile_names.text(_components(med, info))
                                                              if report.profile_names else _components(med, info))}],
            "note": [{"text": f"{found} (as of {as_of.isoformat()}, medicine data {report.content_version}, "
                              f"{profile} profile)"}],
        }
        refs[med.name] = add(f"medication/{n}", statement)
        added += 1

    details: list[str] = []

    def issue(key: str, code: str, display: str, severity: str, detail: str, names) -> None:
        nonlocal added
        implicated = [{"reference": refs[m]} for m in dict.fromkeys(names) if m in refs]
        resource = {"resourceType": "DetectedIssue", "status": "final",
                    "code": {"coding": [{"system": ACT_CODE, "code": code, "display": display}]},
                    "severity": severity, "patient": subject, "identifiedDateTime": as_of.isoformat(),
                    "detail": detail}
        if implicated:
            resource["implicated"] = implicated
        details.append(detail)
        add(key, resource)
        added += 1

    for k, ix in enumerate(report.interactions):
        issue(f"medication-issue/interaction/{k}", "DRG", "Drug Interaction Alert", _SEVERITY.get(ix.severity, "moderate"),
              _interaction_detail(ix), ix.medicines)
    said_by_pair = pair_said(report)
    totals: dict[tuple[str, ...], list] = {}
    for row in report.rows:
        if not row.currently_taking:
            continue
        # fhir34 (H-FMT-905): a reason an interaction's DRG already says ("Taking lithium: NSAIDs raise lithium
        # levels" on the ibuprofen row) is not said again as a COND on one medicine of the pair: the row is rated by
        # the reasons it keeps, and has no COND when none is rated avoid or worse (the alerts fold it the same way)
        cond = without_reasons(row, said_by_pair[row.drug]) if row.drug in said_by_pair else row
        shown = ()
        if cond.status in (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED):
            shown = cond.reasons_at_least(MedicineStatus.AVOID)
            reasons = "; ".join(r.text for r in shown) or cond.status_label
            # the patient's own opioid total with its label, whatever else rates the row (mme23)
            said = total_beside(cond.status_label, opioid_total(shown))
            issue(f"medication-issue/{row.drug}/status", "COND", "Condition Alert", _cond_severity(cond.status_label),
                  f"{row.label}: {cond.status_label.upper()} for this patient{said}: {reasons}", row.current_medicines)
        if row.over_max:
            issue(f"medication-issue/{row.drug}/dose", "DOSEH", "High Dose Alert", "high", _dose_detail(row, report),
                  row.current_medicines)
        # fhirnsaid35 (H-FMT-908): the opioid total the row's alert says beside another rating (tramadol above its
        # maximum at 90 MME/day: "REDUCE DOSE: Taking ... (High opioid dose: current opioids total 90 MME/day)", the
        # total rated caution beside a dose to lower, medications._mme_beside_dose_to_lower) was in no DetectedIssue:
        # a Condition Alert under the total's own label, in the reason's words; one for a total two rows carry
        if cond.status in _ALERTING:
            said_in_cond = set(shown) if cond.status in (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED) else set()
            own_total = tuple(r for r in cond.reasons if r.rule.split("@")[0] in MME_RULES and r not in said_in_cond)
            if own_total:
                entry = totals.setdefault(tuple(dict.fromkeys(r.text for r in own_total)), [own_total, [], []])
                entry[1].append(row.label)
                entry[2].extend(row.current_medicines)
    for k, (texts, (reasons, labels, names)) in enumerate(totals.items()):
        label = opioid_total(reasons).partition(": ")[0] or MedicineStatus.REDUCE_DOSE.label
        issue(f"medication-issue/opioid-total/{k}", "COND", "Condition Alert", _cond_severity(label),
              f"{' and '.join(dict.fromkeys(labels))}: {label.upper()} for this patient: {' '.join(texts)}", names)
    # fhir34 (H-MED-716): a current medicine's note that is an alert (rated avoid or worse, about a medicine no alerting
    # row names: misoprostol in pregnancy, dexamethasone under uk) was only in its statement's note, never a
    # DetectedIssue, though every alert surface shows it: a COND with the alert's words (its action too: a steroid's
    # "do not stop it suddenly"). A note's dose to check is a dose check below, said there.
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

    notes = [a for a in medicine_alerts(report) if a.kind == "note" and a.status in (MedicineStatus.AVOID,
                                                                                       MedicineStatus.CONTRAINDICATED)]
    for k, alert in enumerate(notes):
        issue(f"medication-issue/note/{k}", "COND", "Condition Alert", _cond_severity(alert.status_label),
              f"{alert.status_label.upper()} for this patient: {alert.text}", alert.medicines)
    from radiculopathy_desktop.domain.medications import load_medicine_data

    own = {d.id: d.own for d in load_medicine_data().drugs}
    over = [row for row in report.rows if row.currently_taking and row.over_max]
    for k, check in enumerate(report.dose_checks):
        # a medicine's own limit (codeine 240 mg under uk; the paracetamol in co-codamol) or a
        # "check the dose": a High Dose Alert unless the row's alert above already says it
        # fhirnsaid35 (H-FMT-907): a product's own lower maximum ("over-product-max") is said there only when its words
        # are (the row's High Dose Alert says each of its "reduce dose" reasons); it was skipped whatever the row said
        if check.kind == "label_max" and any(check.generic in own.get(row.drug, ())
                                             and set(check.medicines) <= set(row.current_medicines) for row in over) \
                and (check.rule != "over-product-max" or any(check.text in detail for detail in details)):
            continue
        issue(f"medication-issue/dose-check/{k}", "DOSEH", "High Dose Alert", "high", check.text, check.medicines)
    return added
