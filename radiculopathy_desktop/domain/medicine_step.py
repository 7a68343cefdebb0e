"""What the intake's medicines step says beside the medicines as they are typed (intakemed).

One source of truth: the step's verdicts are the medicine check's own, the lines the Review step
shows for the same intake: its alerts (:func:`~radiculopathy_desktop.domain.medicine_alerts.medicine_alerts`,
the banner's list, in its words), the current-medicine notes its table shows that ask about a dose
("Check the dose", "Dose not checked") and its "Not recognised" line. Before, the step ran a
partial reading of its own (the combination reading and the far-below question only), so
"fentanyl 25mcg/24h" (micrograms a day, not a patch's rate) had a "Check the dose" on the Review
step and in the alerts but none on the step (H-UI-467).

The intake is read as far as it can be while it is typed: a field that cannot be read yet (an
earlier step not finished, a number out of range) is left out, said in ``checked_without``, and
the Review step checks the whole intake. A dose typed that is not a number of mg is never read as
one: the row's medicine is checked without a dose and the row says why (fail safe: nothing typed
is guessed).

Qt-free: the window (ui/wizard.py, ConditionsPage) only lays these lines out.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import replace
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from radiculopathy_desktop.domain.intake import FieldError, ValidationError, parse_case
from radiculopathy_desktop.domain.medications import (CHECK_DOSE_LABEL, DOSE_NOT_CHECKED_RULE, MedicineMemo,
                                                      assess_medications, load_medicine_data)
from radiculopathy_desktop.domain.medicine_alerts import ALERT_STATUSES, labelled, medicine_alerts
from radiculopathy_desktop.domain.vocab import MEDICINE_STATUS_LABELS

#: The label of a row whose typed daily dose is not read (not a number of mg, out of range).
NOT_READ_LABEL = "Dose not read"
#: The label of the medicine check's "Dose not checked" notes (no maximum held, no dose recorded).
DOSE_NOT_CHECKED_LABEL = "Dose not checked"
NOT_RECOGNISED_LABEL = "Not recognised"

#: A daily dose as typed in the dose column: digits with at most one decimal point, a sign
#: allowed (so a negative number is named by the intake's own range, never called "not a
#: number"). Nothing else: no unit ("4 g"), no thousands comma ("1,000"), no exponent or
#: underscore ("1e3", "1_000", which Python's float() would read), no "nan"/"inf".
_DOSE_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
NOT_A_NUMBER = "the daily dose must be a number of mg"

#: The parts of the intake the medicine check reads (medications._facts: age, sex, weight,
#: pregnancy, the dates, red flags answered yes, conditions): when one cannot be read yet, the
#: step says the check was made without it.
READ_BY_THE_CHECK = ("patient.birth_date", "patient.age_years", "patient.sex", "patient.weight_kg", "patient.pregnan",
                     "visit_date", "onset_date", "red_flags", "conditions")


class TypedDose(NamedTuple):
    value: float | None  # None: empty, or not a number
    problem: str | None  # why the text is not a number of mg ("" never)


def typed_daily_dose(text: str | None) -> TypedDose:
    """The daily dose typed in the intake's dose column: (value, None) for a number, (None,
    None) when empty, (None, why) when it is not a number of mg. The step and Next read the
    column with this one function (its range is the intake's: :func:`parse_case`)."""
    text = (text or "").strip()
    if not text:
        return TypedDose(None, None)
    if not _DOSE_RE.fullmatch(text) or not text.isascii():
        return TypedDose(None, NOT_A_NUMBER)
    return TypedDose(float(text), None)


class StepLine(NamedTuple):
    """One line of the step: ``label`` as the Review step labels it, then its words."""

    label: str  # "Check the dose", "Avoid", "Not recognised", "Dose not read"... ("" for a reading)
    text: str
    medicines: tuple[str, ...] = ()  # as recorded (the intake keeps names in lower case)

    @property
    def shown(self) -> str:
        return f"{self.label}: {self.text}" if self.label else self.text


class StepFeedback(NamedTuple):
    verdicts: tuple[StepLine, ...]  # what to act on: typed doses not read, the check's alerts and dose notes
    unrecognised: tuple[StepLine, ...]  # the Review step's "Not recognised" line (one, or none)
    readings: tuple[StepLine, ...]  # how each daily dose is read (information, no verdict)
    checked_without: tuple[FieldError, ...]  # parts of the intake the check could not read yet
    checked: bool  # False: the intake could not be read at all (the Review step checks it)


def not_recognised_words(unrecognised: Sequence[Mapping[str, Any]]) -> str:
    """The words after "Not recognised:" for the medicines the list does not know (each a
    mapping with ``name`` and ``suggestion``, as ``unrecognised_detail``), as the Review step's
    banner (ui.forms.MedicineAlertBanner) and the medicines step both say them; "" for none."""
    named = [f"“{u['name']}”" + (f" (did you mean {u['suggestion']}?)" if u.get("suggestion") else "")
             for u in unrecognised if u.get("name")]
    if not named:
        return ""
    return (f"{', '.join(named)}: not checked for doses, interactions or the pregnancy and kidney rules. Correct the "
            "name, or check it yourself.")


def _path_tokens(path: str) -> list[str | int]:
    out: list[str | int] = []
    for part in path.split("."):
        m = re.fullmatch(r"([^\[\]]*)((?:\[\d+\])*)", part)
        if m is None:
            return []
        if m.group(1):
            out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return out


def _drop(data: dict, path: str) -> bool:
    """Remove the field at ``path`` (a parser error's field) from ``data``; whether it was there."""
    tokens = _path_tokens(path)
    if not tokens:
        return False
    holder: Any = data
    for token in tokens[:-1]:
        try:
            holder = holder[token]
        except (KeyError, IndexError, TypeError):
            return False
    last = tokens[-1]
    if isinstance(holder, dict) and last in holder:
        del holder[last]
        return True
    return False


#: A placeholder for an age not typed yet: parse_case needs an age or a birth date; the
#: intake read is given back with no age (the check's rules then take the age as not known).
_NO_AGE = 0


def _fill_required(data: dict, today: dt.date) -> bool:
    """What the intake must hold to be read, where it is missing, with values the medicine check
    does not read (a placeholder id, bilateral, a leg pain of 0) or reads as "not said" (red flags
    unknown, never yes); the visit date is today's, and the onset the visit's, when not typed."""
    from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS

    patient = data.get("patient")
    if not isinstance(patient, dict):
        patient = data["patient"] = {}
    patient.setdefault("id", "intake")
    no_age = patient.get("age_years") is None and patient.get("birth_date") is None
    if no_age:
        patient["age_years"] = _NO_AGE  # the intake needs one to be read; taken out again (age not known)
    data.setdefault("visit_date", today.isoformat())
    data.setdefault("onset_date", data["visit_date"])
    data.setdefault("side", "bilateral")
    pain = data.get("pain")
    if not isinstance(pain, dict):
        pain = data["pain"] = {}
    pain.setdefault("leg_nrs", 0)
    flags = data.get("red_flags")
    if not isinstance(flags, dict):
        flags = data["red_flags"] = {}
    for question in RED_FLAG_QUESTIONS:
        flags.setdefault(question, "unknown")
    return no_age


def _row_words(message: str, field: str, key: str) -> str:
    """A parser message about a medicine row's field in the row's words ("the daily dose must be ...")."""
    words = {"daily_dose_mg": "the daily dose", "name": "the name"}.get(key, key.replace("_", " "))
    for prefix in (f"{field}: ", f"{field} "):
        if message.startswith(prefix):
            rest = message[len(prefix):]
            return rest if prefix.endswith(": ") else f"{words} {rest}"
    return message


def _read_by_the_check(field: str) -> bool:
    return field.startswith(READ_BY_THE_CHECK)


def _readable_intake(case_data: Mapping[str, Any], medicines: list[dict], today: dt.date):
    """(intake, row problems {index in ``medicines``: words}, fields left out) for the intake as
    typed, parsed as the Review step parses it. A field that cannot be read is left out (a
    required one is then filled by :func:`_fill_required`), one parse at a time, never guessed;
    a medicine row's problem is said on its row. (None, ...) when it still cannot be read."""
    data = copy.deepcopy(dict(case_data))
    rows: dict[int, tuple[str, str]] = {}
    left: list[FieldError] = []
    no_age = False
    kept = list(range(len(medicines)))  # the rows still in data["medicines"], by their index in ``medicines``
    data["medicines"] = [dict(m) for m in medicines]
    for _attempt in range(8):
        try:
            intake = parse_case(data, new_input=True).intake
        except ValidationError as exc:
            errors = exc.errors
        else:
            if no_age:
                intake = replace(intake, patient=replace(intake.patient, age_years=None))
                left.append(FieldError("patient.age_years", "patient.age_years or patient.birth_date is required"))
            return intake, rows, tuple(dict.fromkeys(left))
        changed = False
        gone: set[int] = set()
        for err in errors:
            m = re.match(r"medicines\[(\d+)\](?:\.(\w+))?", err.field)
            if m is not None and int(m.group(1)) < len(kept):
                at, key = int(m.group(1)), m.group(2) or "name"
                rows.setdefault(kept[at], (key, _row_words(err.message, err.field, key)))
                if key == "daily_dose_mg":
                    data["medicines"][at].pop("daily_dose_mg", None)
                else:
                    gone.add(at)  # a name that cannot be read: the row is left out of the check
                changed = True
            elif _drop(data, err.field):
                changed = True
                if _read_by_the_check(err.field):
                    left.append(err)
            elif _read_by_the_check(err.field):
                left.append(err)  # not typed yet: filled below with what the check reads as not said
        if gone:
            kept = [k for i, k in enumerate(kept) if i not in gone]
            data["medicines"] = [m for i, m in enumerate(data["medicines"]) if i not in gone]
        before = copy.deepcopy(data)
        no_age = _fill_required(data, today) or no_age
        if not changed and data == before:
            break
    return None, rows, tuple(dict.fromkeys(left))


def _shown_in(text: str, said: Sequence[str]) -> bool:
    return any(text in s for s in said)


def typed_dose_floor_problem(name: str, row: int, dose: float | None) -> str | None:
    """Why the daily dose typed in table row ``row`` (0-based) for ``name`` is not a dose (0, below 0
    or below the floor: :func:`intake.dose_floor_problem`), naming the medicine (the row when no name
    is typed), or None. The step says it as typed and Next refuses it in the same words (window31:
    a negative dose was said only at Next, as "must be between 0 and 100000 mg", no medicine named)."""
    from radiculopathy_desktop.domain.intake import dose_floor_problem
    return dose_floor_problem((name or "").strip() or f"The medicine in row {row + 1}", dose)


def medicine_step_feedback(case_data: Mapping[str, Any], rows: Sequence[tuple[str, str]], profile: str,
                           today: dt.date, memo: MedicineMemo | None = None, *,
                           saved_case: Any = None) -> StepFeedback:
    """The lines the medicines step shows for the medicine table ``rows`` ((name, dose) as typed)
    within the rest of the intake as typed (``case_data``, the wizard's ``case_dict``: its own
    medicines are replaced by ``rows``), under ``profile``, on the intake's visit date (``today``
    when none is typed yet): the same verdicts, in the same words, as the Review step shows.

    ``memo`` (the step keeps one while it is open): what each typed medicine's text and dose mean,
    worked out once, so a key typed in one row does not read every other row again (the check is
    the same with or without it: medications.MedicineMemo).

    ``saved_case`` (a saved case's "Edit medicines", medfix2 H-MED-631): the rows are checked as
    the case page checks them, on ``today`` (not the intake's date), with the red flags and the
    pregnancy standing then (a visit's update included: ``assess.assess_case``'s own rule), so
    the dialog's verdicts and the page's banner after Save agree."""
    memo = memo if memo is not None else MedicineMemo()
    medicines: list[dict] = []
    typed_rows: list[int] = []  # the table row of each of ``medicines``
    problems: dict[int, tuple[str, str]] = {}  # table row -> (the field, why it is not read)
    for n, (name, dose_text) in enumerate(rows):
        name, dose_text = (name or "").strip(), (dose_text or "").strip()
        if not name and not dose_text:
            continue
        dose = typed_daily_dose(dose_text)
        item: dict[str, Any] = {"name": name}
        floor = typed_dose_floor_problem(name, n, dose.value)
        if dose.problem:
            problems[n] = ("daily_dose_mg", f"{dose.problem} (“{dose_text}” is not)")
        elif floor:  # window31: a negative dose named the intake's range, not the medicine
            problems[n] = ("daily_dose_mg", floor + ".")  # (as the intake's own refusal of 0 reads)
        elif dose.value is not None:
            item["daily_dose_mg"] = dose.value
        medicines.append(item)
        typed_rows.append(n)
    intake, row_problems, left = _readable_intake(case_data, medicines, today)
    for i, problem in row_problems.items():
        problems.setdefault(typed_rows[i], problem)
    verdicts = []
    for n, (key, words) in sorted(problems.items()):
        name = medicines[typed_rows.index(n)]["name"]
        then = (f"{name} is checked without a dose" if key == "daily_dose_mg" and name
                else "this row is not checked")
        verdicts.append(StepLine(NOT_READ_LABEL, f"Row {n + 1}: {words}; until it is corrected, {then}.",
                                 (name.lower(),) if name else ()))
    if intake is None:
        return StepFeedback(tuple(verdicts), (), (), left, False)
    data = load_medicine_data()
    as_of = intake.visit_date
    if saved_case is not None:  # as the case page: today, with what the visits recorded by then
        as_of = today
        intake = replace(intake, red_flags=saved_case.red_flags_as_of(today),
                         pregnancy_update=saved_case.pregnancy_update_as_of(today))
    report = assess_medications(intake, as_of, profile=profile, memo=memo)
    alerts = medicine_alerts(report)
    verdicts.extend(StepLine(a.status_label, labelled(a.status_label, a.text), a.medicines) for a in alerts)
    said = [a.text for a in alerts]
    # the notes the Review step's table shows that ask about a dose, when no alert says them (a
    # name and a dose that disagree beside a row rated "Reduce dose" for the same medicine)
    for note in report.current_notes:
        if note.rule == "check-dose":
            label = CHECK_DOSE_LABEL
        elif note.rule == DOSE_NOT_CHECKED_RULE:
            label = DOSE_NOT_CHECKED_LABEL
        elif note.severity in ALERT_STATUSES:
            label = MEDICINE_STATUS_LABELS.get(note.severity, str(note.severity))
        else:
            continue
        text = labelled(label, note.text)
        if not _shown_in(text, said):
            verdicts.append(StepLine(label, text, tuple(note.medicines)))
            said.append(text)
    unknown = [{"name": m.name, "suggestion": m.suggestion} for m in report.current_medicines if not m.recognised]
    words = not_recognised_words(unknown)
    unrecognised = (StepLine(NOT_RECOGNISED_LABEL, words, tuple(u["name"] for u in unknown)),) if words else ()
    names = data.names_for(profile).keeping([m.name for m in report.current_medicines])
    readings = []
    for med in report.current_medicines:
        if not med.recognised:
            continue
        reading = memo.entry(med.name, med.daily_dose_mg, data).reading  # the check's own reading of it
        if reading is not None and reading.read and not reading.conflict:
            readings.append(StepLine("", names.text(f"{reading.text}."), (med.name,)))
        elif reading is None and len(med.generics) > 1 and med.daily_dose_mg is None:
            readings.append(StepLine("", names.text(
                f"“{med.name}” is a combination product ({', '.join(med.generics)}): for its dose, type the daily mg "
                "of one component; the strength in the name (e.g. 30/500) gives each one's mg."), (med.name,)))
    return StepFeedback(tuple(verdicts), unrecognised, tuple(readings), left, True)


__all__ = ["DOSE_NOT_CHECKED_LABEL", "NOT_READ_LABEL", "NOT_RECOGNISED_LABEL", "StepFeedback", "StepLine",
           "TypedDose", "medicine_step_feedback", "not_recognised_words", "typed_daily_dose"]
