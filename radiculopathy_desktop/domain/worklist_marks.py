"""What the worklist marks on a case besides its surgical-review status: the medicine-safety
alerts of the medicines the patient takes now, and a recorded pregnancy (pure; dates passed in).

One rule with the case page: the alerts are :func:`~radiculopathy_desktop.domain.medicine_alerts.medicine_alerts`
of :func:`~radiculopathy_desktop.domain.medications.assess_medications` on the case's intake with the red
flags standing on the date (``Case.intake_as_of``), the assessment the case page, banner, ``case --as-of``
and the summary make (gp16 F6: a pregnant patient at 33 weeks taking ibuprofen, contraindicated from
30 weeks, showed no mark and "Needs attention (0)").

The worklist paints 100,000 cases, so the alerts are not assessed per row: :func:`alert_spans`
assesses a case when it is saved, on every day from its intake on where an input the medicine
rules read on a date can change (:func:`change_days`), and keeps the marks as spans of days
(``[from, until)``; the last one open-ended). What a span keeps never names the date (the status,
the medicines and the action; the reasons, which quote the weeks and the age, are on the case
page), so a span holds for each of its days. The pregnancy is kept as recorded (weeks, date) and
worded on the worklist's date by the one pregnancy rule (``PregnancyOnDate``, preg16).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from radiculopathy_desktop.domain.intake import PREGNANCY_PLAUSIBLE_END_WEEKS, PregnancyOnDate
from radiculopathy_desktop.domain.vocab import ALERT_LABEL_ORDER, CHECK_DOSE_LABEL, NOT_RECOGNISED_LABEL, MedicineStatus

#: How many years after the case's latest record a birthday is followed: one on which an age
#: threshold of a rule is reached (60, 65, 75, 18), and, with a serum creatinine, each one
#: (Cockcroft-Gault reads the age on the date). Beyond, the marks stay as on the last day
#: followed (a worklist dated more than 10 years after a case's last record); every other input
#: (pregnancy, symptom weeks, phase) is followed to its last change. Bounded so that saving
#: stays fast: each day followed is one assessment per profile.
RENAL_AGE_YEARS = 10

#: Ranks of the marks, worst first (a dose to check is shown after a dose to reduce): the
#: labels of domain/vocab.py and medicine_alerts' "Check the dose", never a copy of them.
#: (medicine_alerts, which loads the medicine engine, is imported only when marks are made).
MARK_ORDER = (MedicineStatus.CONTRAINDICATED.label, MedicineStatus.AVOID.label, MedicineStatus.REDUCE_DOSE.label)


class AlertMark(NamedTuple):
    """One medicine-safety alert as the worklist shows it: its label ("Contraindicated",
    "Avoid", "Reduce dose", "Check the dose"), the medicines as recorded, what to do, and the
    patient's own opioid total with its label when the alert's reasons count it
    (:func:`opioid_total`: "High opioid dose: 120 MME/day"; "" when none)."""

    label: str
    medicines: tuple[str, ...]
    action: str
    total: str = ""
    #: avoidside (H-MED-600): the medicines of the alert NOT to stop (an anticoagulant beside an NSAID); () none
    kept: tuple[str, ...] = ()
    #: mtxavoid (H-MED-670): a pair whose medicines are all reviewed with the prescriber, none named as the one to
    #: avoid or stop (medicine_alerts.reviewed_with_prescriber: methotrexate beside an NSAID)
    both: bool = False

    def named(self) -> str:
        """The mark's medicines as its heading names them: "naproxen, apixaban 5mg bd"; with a medicine to keep,
        the ones to review first and the kept one said so: "naproxen (with apixaban 5mg bd: keep it)"; a pair reviewed
        with the prescriber as the combination: "ibuprofen 400mg tds and methotrexate 15mg once weekly together
        (review both with the prescriber)" (mtxavoid: "Avoid: ibuprofen, methotrexate" read as stopping either)."""
        if self.both:
            names = list(dict.fromkeys(self.medicines))
            listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            return (f"{listed} together (review {'both' if len(names) < 3 else 'them all'} with the "
                    f"prescriber)")
        if not self.kept:
            return ", ".join(self.medicines)
        review = [m for m in self.medicines if m not in self.kept]
        kept = ", ".join(self.kept)
        return f"{', '.join(review)} (with {kept}: keep {'them' if len(self.kept) > 1 else 'it'})"

    def words(self) -> str:
        total = total_sentence(self.label, self.total)
        return (f"{self.label}: {self.named()}." + (f" {total}" if total else "")
                + (f" {self.action}" if self.action else ""))


#: How a rule with its own label (the opioid total's, rules.toml ``alert_label``) words its
#: total: "current opioids total 120 MME/day (how it was counted)", "at least 60 MME/day" when
#: a dose was not known (medications._mme_counted); "600 MME/day, provisional" when it counts a dose to
#: check (opioidnum, H-MED-611: the worklist, the CSV and FHIR never print it as a settled total)
_TOTAL_IN_REASON = re.compile(r"current opioids total ((?:at least )?\d[\d,.]* MME/day(?:, provisional)?)")


def opioid_total(reasons) -> str:
    """The patient's own opioid total as every surface says it, with its label: "High opioid
    dose: 120 MME/day" (90 or more), "Reassess opioid dose: 60 MME/day" (50 to 89; "... if for
    pain" beside methadone or buprenorphine), from the first of ``reasons`` (medications.Reason)
    made by a rule carrying an ``alert_label``; "" when none is. mme23: an alert rated Avoid for
    another reason too (fentanyl 120 MME/day with diazepam) kept only "Avoid" and lost the total
    on the worklist, the CSV and in FHIR; the total is now said whatever else rates the row."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    labels = load_medicine_data().alert_labels
    for r in reasons:
        own = labels.get(r.rule.split("@")[0])
        found = _TOTAL_IN_REASON.search(r.text) if own else None
        if found:
            return f"{own[0]}: {found.group(1)}"
    return ""


def total_sentence(label: str, total: str) -> str:
    """The one sentence that says ``total`` (:func:`opioid_total`) beside an alert labelled
    ``label``: "High opioid dose: current opioids total 120 MME/day." beside "Avoid", and
    "Current opioids total 120 MME/day." beside an alert already labelled "High opioid dose"
    (its label is not said twice); "" when there is no total."""
    if not total:
        return ""
    own, _sep, amount = total.partition(": ")
    if own == label:
        return f"Current opioids total {amount}."
    return f"{own}: current opioids total {amount}."


def total_beside(label: str, total: str) -> str:
    """``total`` said after the medicines' names of an alert labelled ``label`` (the case page,
    assess, the summary, FHIR): " (High opioid dose: current opioids total 120 MME/day)" beside
    "Avoid"; "" when there is no total or the alert already carries its label (its reasons then
    open with the total)."""
    if not total or total.partition(": ")[0] == label:
        return ""
    return f" ({total_sentence(label, total).rstrip('.')})"


def total_json(label: str, total: str) -> dict | None:
    """``total`` (:func:`opioid_total`) for a JSON output, beside an alert labelled ``label``:
    {"label": "High opioid dose", "total": "120 MME/day", "words": :func:`total_sentence`};
    None when the alert counts no total (assess and case JSON, the worklist's JSON)."""
    if not total:
        return None
    own, _sep, amount = total.partition(": ")
    return {"label": own, "total": amount, "words": total_sentence(label, total)}


def alert_marks(case, day: dt.date, profile: str) -> tuple[AlertMark, ...]:
    """The case's medicine-safety alerts on ``day`` under ``profile``, worst first: the case
    page's alerts (one rule), kept to what does not name the date."""
    from radiculopathy_desktop.domain.medications import assess_medications

    if not case.intake.medicines:
        return ()
    return _marks_of(assess_medications(case.intake_as_of(day), day, profile=profile))


def _marks_of(report) -> tuple[AlertMark, ...]:
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

    marks = [AlertMark(a.status_label, tuple(a.medicines), _mark_action(a), a.total, tuple(a.kept), a.both)
             for a in medicine_alerts(report)]
    unknown = not_recognised_mark(report)
    if unknown is not None:
        marks.append(unknown)
    return strongest_first(dict.fromkeys(marks))


def not_recognised_mark(report) -> AlertMark | None:
    """unrec34 (H-MED-701): the worklist's mark of the current medicines whose names the medicine list does not
    know but are close to a name it knows (``CurrentMedicine.suggestion``, the "did you mean" of ``assess``): a
    likely misspelling of a medicine the checks cover, after every rated mark: "Not recognised: naproxn 500mg bd,
    apixban 5mg bd. Check the names: their interactions and doses were not checked (did you mean naproxen,
    apixaban?)." A GP's tryout: "naproxn" beside "apixban" (a possible NSAID + anticoagulant pair) was in no
    Medicine alerts filter and its Why said nothing, while ``assess`` said NOT RECOGNISED. A name close to none
    ("metformin 500mg bd", "amlodipine 5mg od": medicines outside the list, spelt right) is not marked: "check the
    name" would be wrong for it and no correction clears it, so every such patient would stay on the list (``assess``
    and the case page still say NOT RECOGNISED, and the pathway's offers are provisional). Only the worklist's marks
    carry it; None when no name is a likely misspelling."""
    unknown = [m for m in report.current_medicines if not m.recognised and m.suggestion]
    if not unknown:
        return None
    names = tuple(dict.fromkeys(m.name for m in unknown))
    hints = list(dict.fromkeys(m.suggestion for m in unknown))
    many = len(names) > 1
    hint = f" (did you mean {', '.join(hints)}?)"
    action = (f"Check the name{'s' if many else ''}: {'their' if many else 'its'} interactions and "
              f"dose{'s' if many else ''} were not checked{hint}.")
    return AlertMark(NOT_RECOGNISED_LABEL, names, action)


def _mark_action(alert) -> str:
    """What a mark keeps of an alert's words: its action; an interaction's opens with its reason."""
    if alert.kind == "interaction" and alert.reasons:
        return f"{_why(alert.reasons[0])} {alert.action}".strip()
    return alert.action


def strongest_first(marks) -> tuple[AlertMark, ...]:
    """``marks`` in the order of :func:`_label_order` (a stable sort: marks of one label keep
    their order); a mark of a label it does not know comes last."""
    order = _label_order()
    rank = {label: n for n, label in enumerate(order)}
    return tuple(sorted(marks, key=lambda m: rank.get(m.label, len(order))))


#: How a dose-alert line (:func:`~radiculopathy_desktop.domain.medications.dose_reductions`) says its
#: dose is to check, not to reduce: a likely slip, an unreadable regimen, a combination's unknown mg.
_CHECK_DOSE_LINE = re.compile(r": check the dose\b")


def dose_line_label(line: str) -> str:
    """The label of one dose-alert line: "Check the dose" when there is no dose to reduce to (a slip,
    a regimen in the name that cannot be read, a name that disagrees with the dose); else "Reduce dose"."""
    return CHECK_DOSE_LABEL if _CHECK_DOSE_LINE.search(line) else MedicineStatus.REDUCE_DOSE.label


def dose_lines_by_label(lines) -> dict[str, tuple[str, ...]]:
    """The dose-alert lines grouped by :func:`dose_line_label`, "Reduce dose" first."""
    out: dict[str, list[str]] = {}
    for line in lines or ():
        out.setdefault(dose_line_label(line), []).append(line)
    order = {label: n for n, label in enumerate(_label_order())}
    return {label: tuple(out[label]) for label in sorted(out, key=lambda lb: order.get(lb, len(order)))}


#: What a label says when it is the rating her medicine would carry if she were pregnant as another
#: case of hers records (``domain.episodes.PregnancyDiffers.if_pregnant``): "Contraindicated if
#: pregnant" (rt21 F2/F7: the stale "not pregnant" case read REDUCE DOSE, or nothing, for an NSAID
#: contraindicated at the other case's 31 weeks).
IF_PREGNANT = " if pregnant"


def if_pregnant_label(label: str) -> str:
    """``label`` as the rating she would carry if pregnant: "Contraindicated if pregnant"."""
    return label + IF_PREGNANT


_ORDER_KEPT: list = []


def _label_order() -> tuple[str, ...]:
    """Strongest first: Contraindicated > Contraindicated if pregnant > Avoid > Avoid if pregnant >
    High opioid dose (if for pain) > Reduce dose > Reduce dose if pregnant > Check the dose > Check
    the dose if pregnant > Reassess opioid dose (if for pain). Each if-pregnant rating comes just
    below the same rating standing on the case's own answer (which holds whatever the pregnancy) and
    above every weaker one: a medicine to stop if she is pregnant is never shown as only "reduce" or
    as nothing.

    A rule's own alert label (rules.toml ``alert_label``, mme22) comes just after the label its
    ``alert_sorts_after`` names (and that label's if-pregnant rating), in file order: a total of 90
    MME/day or more sorts with Avoid, above a dose to reduce; 50 to 89 after "Check the dose", still
    an alert (never a caution, which reaches no alert surface). This is the one order of every
    surface: the case page's, banner's, summary's, CLI's and FHIR's alerts (medicine_alerts), the
    worklist's marks and its Medicines column."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = load_medicine_data()
    if _ORDER_KEPT and _ORDER_KEPT[0] is data:
        return _ORDER_KEPT[1]
    after: dict[str, list[str]] = {}
    for label, anchor in data.alert_labels.values():
        if label not in after.setdefault(anchor, []):
            after[anchor].append(label)
    order = tuple(x for label in ALERT_LABEL_ORDER
                  for x in (label, if_pregnant_label(label),
                            *(y for own in after.get(label, ()) for y in (own, if_pregnant_label(own)))))
    # unrec34: a name not recognised after every rating (it is none), never "if pregnant" (no rating to say so of)
    order = (*order, NOT_RECOGNISED_LABEL)
    _ORDER_KEPT[:] = [data, order]
    return order


def alert_label(status_label: str, reasons) -> str:
    """The label an alert (or a medicine row) shows: ``status_label``, or, when every reason that
    makes its rating comes from rules carrying one ``alert_label`` (rules.toml, mme22), that label:
    "High opioid dose", never "Avoid", for a patient's own opioids at 90 MME/day or more (which a
    colleague read as "stop the morphine", the sudden stop CDC warns against). A reason of any other
    rule at that rating (kidney function, a pregnancy) keeps the severity word, which is then the
    stronger ask."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    labels = load_medicine_data().alert_labels
    own = {labels.get(r.rule.split("@")[0], (None,))[0] for r in reasons}
    if len(own) == 1 and None not in own:
        return own.pop()
    return status_label


def label_rank(label: str) -> int:
    """Where ``label`` stands in :func:`_label_order` (0: strongest); an unknown label comes last."""
    order = _label_order()
    try:
        return order.index(label)
    except ValueError:
        return len(order)


def labels_strongest_first(items, label=lambda item: item) -> list:
    """``items`` ordered by their label (``label(item)``) in :func:`_label_order`, strongest first;
    items of one label keep their order (a stable sort), unknown labels go last."""
    order = _label_order()
    rank = _RANK_KEPT[1] if _RANK_KEPT and _RANK_KEPT[0] is order else _label_ranks(order)
    return sorted(items, key=lambda item: rank.get(label(item), len(rank)))


#: (the order :func:`_label_order` gave, its label -> position dict): worded once per loaded data
_RANK_KEPT: list = []


def _label_ranks(order: tuple[str, ...]) -> dict[str, int]:
    rank = {lb: n for n, lb in enumerate(order)}
    _RANK_KEPT[:] = [order, rank]
    return rank


def medicines_label(marks, dose_lines) -> str:
    """The one label a case's medicines carry on a worklist row (the CLI's Medicines column, the
    CSV's ``medicines_label``): the strongest of its alert marks and dose lines, Contraindicated >
    Avoid > Reduce dose > Check the dose; "" when none. gp19 F4: a contraindicated ibuprofen at 31
    weeks was labelled "REDUCE DOSE" (its 16000 mg/day slip), and a Nurofen Plus regimen that cannot
    be read "REDUCE DOSE": a medicine to stop, or whose dose is unknown, is never "reduce"."""
    return strongest_label({m.label for m in marks or ()} | {dose_line_label(line) for line in dose_lines or ()})


def strongest_label(labels) -> str:
    """The strongest of ``labels`` in the one order every place names a medicine by: Contraindicated >
    Avoid > High opioid dose > Reduce dose > Check the dose > Reassess opioid dose (:func:`_label_order`);
    "" when none is one of them. The worklist's Medicines column
    (:func:`medicines_label`) and the printed medicine sheet's choice of box
    (``reports.handouts``) both read it, so a sheet never gives a milder instruction than the label
    (rt21 F1: an NSAID rated Avoid whose dose was also above the maximum got "take no more than
    2400 mg a day" instead of "ask before your next dose")."""
    present = set(labels)
    return next((label for label in _label_order() if label in present), "")


#: The end of an interaction's first sentence: a full stop before a capital letter.
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z])")


def _why(text: str) -> str:
    """An interaction's reason as a mark keeps it: its first sentence, which names what is taken
    together and why ("Two different opioids at once (codeine and oxycodone): together 84
    MME/day."). gp18 F11: the mark kept only the action, so the worklist and the cases CSV lost
    "two different opioids" and the MME the case page shows. An interaction's text reads the
    medicines and their doses only, never the date, so a span still holds for each of its days."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def marks_words(marks) -> str:
    """The marks as one cell (the cases CSV and the worklist's ``medicine_alert_words``), each
    mark's words in turn; an explanation a mark repeats word for word from an earlier one (the
    opioid withdrawal "why" after "do not stop ... suddenly:") is said once, then "(why: as
    above)", so the reason of each mark is not lost in a 1,000-character cell (gp18 F11)."""
    seen: set[str] = set()
    out = []
    for m in marks:
        words = m.words()
        head, sep, tail = words.rpartition(": ")
        if sep and len(tail) > 40 and tail in seen:
            words = f"{head} (why: as above)."
        elif sep and len(tail) > 40:
            seen.add(tail)
        out.append(words)
    return " ".join(out)


def _birthday(birth: dt.date, age: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 February: a year later on 1 March (as age_on counts it)
        return dt.date(birth.year + age, 3, 1)


_THRESHOLDS: dict[int, tuple] = {}


def _thresholds(data) -> tuple[frozenset[int], frozenset[int]]:
    """The ages and the weeks of pregnancy at which a rule of ``data`` starts or stops applying
    (``age_at_least``/``age_below``, ``pregnancy_weeks_at_least``/``pregnancy_weeks_below`` of
    every row rule and current-medicine note, plus the adult age), once per loaded data."""
    kept = _THRESHOLDS.get(id(data))
    if kept is None or kept[0] is not data:
        from radiculopathy_desktop.domain.medications import ADULT_AGE

        rules = [r for rules in data.rules_by_drug.values() for r in rules] + list(data.current_notes)
        ages = {ADULT_AGE, *data.age_thresholds}
        weeks = set()
        for r in rules:
            ages.update(v for v in (getattr(r, "age_at_least", None), getattr(r, "age_below", None)) if v is not None)
            weeks.update(v for v in (getattr(r, "pregnancy_weeks_at_least", None),
                                     getattr(r, "pregnancy_weeks_below", None)) if v is not None)
        kept = _THRESHOLDS[id(data)] = (data, frozenset(ages), frozenset(weeks))
    return kept[1], kept[2]


def change_days(case, profile: str | None = None) -> list[dt.date]:
    """The days, from the intake on, on which an input of the medicine rules can change: the
    intake and each visit (red flags answered again, or a pregnancy recorded or recorded as
    ended: preg17), the days a recorded pregnancy (the intake's, or one recorded at a visit,
    counted from that visit's date) reaches the weeks a rule starts or stops at (20, 30; past
    the plausible end the rules hold at 42 weeks, so nothing changes after it), the birthdays on
    which an age threshold of a rule is reached (and, with a serum creatinine, each birthday
    from the intake on: Cockcroft-Gault reads the age), up to :data:`RENAL_AGE_YEARS` years
    after the latest record, and the days since onset at which a
    symptom-weeks threshold or the phase (acute, subacute, chronic) changes (under ``profile``,
    only a change of phase that changes what the profile's guideline does not offer)."""
    from radiculopathy_desktop.domain.medications import _not_offered, load_medicine_data
    from radiculopathy_desktop.domain.phase import ACUTE_BEFORE_DAY, CHRONIC_AFTER_DAY, phase_name

    intake = case.intake
    start = intake.visit_date
    latest = max([start, *(v.date for v in case.visits), *(d.date for d in case.decisions)])
    # a visit answering red flags again, or recording a pregnancy (or its end: rt17 F1, the
    # worklist kept the intake's pregnancy after a visit recorded another)
    days = {start, *(v.date for v in case.visits if v.red_flags or getattr(v, "pregnancy", None) is not None)}
    data = load_medicine_data()
    age_thresholds, week_thresholds = _thresholds(data)
    # every pregnancy recorded with its weeks: the intake's on its visit date, each visit's on
    # that visit's date (the latest record wins from its date on: Case.pregnancy_status)
    recorded = [(start, intake.patient.pregnancy_weeks)] if intake.patient.pregnancy_weeks is not None else []
    recorded += [(v.date, v.pregnancy.weeks) for v in case.visits
                 if getattr(v, "pregnancy", None) is not None and v.pregnancy.pregnant and v.pregnancy.weeks is not None]
    for on, weeks in recorded:
        # the rules read the weeks only against their thresholds, and hold them at 42 once past
        # the plausible end (PregnancyOnDate.rule_weeks): a threshold reached by then is a change day
        for t in week_thresholds:
            if weeks < t <= PREGNANCY_PLAUSIBLE_END_WEEKS:
                days.add(on + dt.timedelta(weeks=t - weeks))
    birth = intake.patient.birth_date
    if birth is not None:
        horizon = _birthday(latest, RENAL_AGE_YEARS)
        birthdays = {_birthday(birth, age) for age in age_thresholds}
        if intake.conditions.creatinine_value is not None:
            # each birthday from the intake's year on (rt17 F6: counted from the latest record's
            # year, the birthdays between the intake and that year were skipped)
            first = start.year - birth.year - 1
            last = latest.year - birth.year + RENAL_AGE_YEARS + 1
            birthdays.update(_birthday(birth, age) for age in range(max(first, 0), last))
        days.update(d for d in birthdays if d <= horizon)
    thresholds = data.week_thresholds
    onset = intake.onset_date
    for t in thresholds:
        days.add(onset + dt.timedelta(days=int(7 * t) + 1))  # symptom weeks > t
    for since in (ACUTE_BEFORE_DAY, CHRONIC_AFTER_DAY + 1):  # the first day of the next phase
        if profile is None or _not_offered(profile, phase_name(since - 1)) != _not_offered(profile, phase_name(since)):
            days.add(onset + dt.timedelta(days=since))
    return sorted(d for d in days if d >= start)


class AlertSpan(NamedTuple):
    """The marks holding from ``start`` (inclusive) until ``until`` (exclusive; None: from then on)."""

    start: dt.date
    until: dt.date | None
    marks: tuple[AlertMark, ...]

    def to_json(self) -> list:
        return [self.start.toordinal(), None if self.until is None else self.until.toordinal(),
                [[m.label, list(m.medicines), m.action, m.total,
                  # mtxavoid: a sixth item (1) for a pair reviewed with the prescriber, after an empty fifth
                  *([list(m.kept)] if m.kept or m.both else []), *([1] if m.both else [])]
                 for m in self.marks]]


def alert_spans(case, profile: str, reports: dict | None = None, memo=None) -> tuple[AlertSpan, ...]:
    """The case's medicine-safety marks under ``profile`` as spans of days from its intake on
    (only spans with a mark; none for a case without current medicines). ``reports``: filled
    with the medication report of each day assessed (a caller needing one of them reuses it).
    ``memo``: a :class:`~radiculopathy_desktop.domain.medications.MedicineMemo` shared by the
    caller's batch (the same medicines are read once for every day and profile, not once each)."""
    from radiculopathy_desktop.domain.medications import assess_medications

    if not case.intake.medicines:
        return ()
    spans: list[list] = []
    for day in change_days(case, profile):
        report = assess_medications(case.intake_as_of(day), day, profile=profile, memo=memo)
        if reports is not None:
            reports[day] = report
        marks = _marks_of(report)
        if spans and spans[-1][2] == marks:
            continue
        if spans:
            spans[-1][1] = day
        spans.append([day, None, marks])
    return tuple(AlertSpan(a, b, m) for a, b, m in spans if m)


def marks_from_json(spans, day: dt.date) -> tuple[AlertMark, ...]:
    """The marks of the stored spans (:meth:`AlertSpan.to_json`) that hold on ``day``."""
    n = day.toordinal()
    for start, until, marks in spans:
        if start <= n and (until is None or n < until):
            # a mark stored before mme23 has no total (DOSE_ALERTS_VERSION 10 rewrites them)
            # avoidside: a fifth item, only for a mark with a medicine to keep (DOSE_ALERTS_VERSION 51);
            # mtxavoid: a sixth, 1 for a pair reviewed with the prescriber (DOSE_ALERTS_VERSION 90)
            return tuple(AlertMark(label, tuple(meds), action, *rest[:1], *(tuple(k) for k in rest[1:2]),
                                   *(bool(b) for b in rest[2:3]))
                         for label, meds, action, *rest in marks)
    return ()


def pregnancy_mark(recorded_weeks: int | None, recorded_on: dt.date | None, day: dt.date) -> tuple[str, str]:
    """A recorded pregnancy on the worklist's ``day``: (short mark, whole sentence); ("", "")
    when none is recorded. Past the plausible end (preg16's rule) the mark asks whether she is
    still pregnant."""
    if recorded_weeks is None or recorded_on is None:
        return "", ""
    return _pregnancy_words(PregnancyOnDate(recorded_weeks, recorded_on, day))


def pregnancy_mark_from_records(records, day: dt.date) -> tuple[str, str]:
    """The pregnancy standing on ``day`` from the case's recorded answers
    (:func:`~radiculopathy_desktop.domain.intake.pregnancy_records`: the intake's and each
    visit's, the latest on or before ``day`` winning, the rule of the case page and the cases
    CSV): (short mark, whole sentence); ("", "") when not pregnant on ``day`` (rt17 F1: the
    worklist read the intake's answer only)."""
    from radiculopathy_desktop.domain.intake import pregnancy_status_from_records

    if not records:
        return "", ""
    on = pregnancy_status_from_records(records, day).on_date
    return ("", "") if on is None else _pregnancy_words(on)


def pregnancy_differs_marks(differs, own=()) -> tuple[AlertMark, ...]:
    """The medicine-safety marks of a case another case of the patient contradicts on pregnancy
    (``domain.episodes.PregnancyDiffers``; gp18 F1), when its medicines would carry an alert at
    the other case's weeks: one mark per alert they would carry, labelled with that rating "if
    pregnant" (:func:`if_pregnant_label`), strongest first. The first says why ("Pregnancy differs
    between cases." and the other case's weeks), the last what to do (ask her, record the right
    answer). An alert her own answer already gives (``own``: the case's own marks, the same label
    and medicines) is not said twice. () when none is listed (the case's own alerts stand as they are)."""
    if differs is None or not differs.listed:
        return ()
    had = {(m.label, m.medicines) for m in own}
    alerts = [a for a in differs.if_pregnant if (a.status_label, tuple(a.medicines)) not in had]
    marks = strongest_first(dict.fromkeys(AlertMark(if_pregnant_label(a.status_label), tuple(a.medicines),
                                                    _mark_action(a)) for a in alerts))
    if not marks:
        return ()
    first = marks[0]
    lead = f"{differs.reason[:1].upper()}{differs.reason[1:]}. {differs.if_words()}:"
    marks = list(marks)
    marks[0] = first._replace(action=f"{lead} {first.action}".strip())
    marks[-1] = marks[-1]._replace(action=f"{marks[-1].action} {differs.ASK}".strip())
    return tuple(marks)


def with_pregnancy_differs(marks, differs) -> tuple[AlertMark, ...]:
    """A row's marks with those of :func:`pregnancy_differs_marks`, strongest first (one order:
    the CLI's Medicines column, the window's Why and the CSV's medicine_alerts all start with the
    strongest, an if-pregnant rating before a weaker rating of her own)."""
    extra = pregnancy_differs_marks(differs, marks)
    return strongest_first((*marks, *extra)) if extra else tuple(marks)


def pregnancy_differs_mark(mark: tuple[str, str], differs) -> tuple[str, str]:
    """A row's pregnancy mark (:func:`pregnancy_mark_from_records`) with, while another case of the
    patient contradicts it (``domain.episodes.PregnancyDiffers``), "Pregnancy differs" added to
    the short mark and the contradiction to the sentence: on both cases' rows (gp18 F1)."""
    if differs is None:
        return mark
    from radiculopathy_desktop.domain.episodes import PREGNANCY_DIFFERS_MARK

    short, sentence = mark
    short = f"{short.rstrip('.')}; {PREGNANCY_DIFFERS_MARK}" if short else PREGNANCY_DIFFERS_MARK
    return short, (f"{sentence} " if sentence else "") + differs.warning + "."


def _pregnancy_words(on: PregnancyOnDate) -> tuple[str, str]:
    if on.beyond_plausible_end:
        return "Ask: still pregnant?", on.ask_text or ""
    return f"Pregnant {on.weeks} wk", on.words + "."


__all__ = ["AlertMark", "AlertSpan", "IF_PREGNANT", "MARK_ORDER", "NOT_RECOGNISED_LABEL", "not_recognised_mark", "RENAL_AGE_YEARS", "alert_label", "alert_marks",
           "opioid_total", "total_beside", "total_json", "total_sentence",
           "alert_spans", "label_rank", "labels_strongest_first",
           "change_days", "if_pregnant_label", "strongest_first", "with_pregnancy_differs",
           "marks_from_json", "pregnancy_mark", "pregnancy_mark_from_records", "pregnancy_differs_mark",
           "pregnancy_differs_marks"]
