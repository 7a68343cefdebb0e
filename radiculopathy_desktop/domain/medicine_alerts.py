"""Alerts for medicines the patient takes now that must be stopped or changed.

A current medicine whose row in the medication report is *contraindicated*, *avoid* or
*reduce dose*, an interaction between current medicines rated avoid or worse, and a
profile note about a current medicine without a row (rated avoid or worse) each become one
alert. The list is derived from the :class:`~radiculopathy_desktop.domain.medications.MedicationReport`
only (no rule of its own), so the medicine table, the CLI headline, the window banner and the
referral summary cannot disagree: every surface shows this list, none recomputes it.
"""

from __future__ import annotations

from typing import NamedTuple

from radiculopathy_desktop.domain.medications import (CHECK_DOSE_LABEL, _RANK, _STATUS_OF_RANK, _says_dose, MME_RULES,
                                                      MedicationReport, MedicationRow, load_medicine_data)
from radiculopathy_desktop.domain.vocab import MEDICINE_STATUS_LABELS, MedicineStatus
from radiculopathy_desktop.domain.worklist_marks import (alert_label, labels_strongest_first, opioid_total,
                                                         total_beside, total_json)

#: Row statuses that make a medicine the patient takes now an alert (worst first).
ALERT_STATUSES = (MedicineStatus.CONTRAINDICATED, MedicineStatus.AVOID, MedicineStatus.REDUCE_DOSE)
_ORDER = {s: i for i, s in enumerate(ALERT_STATUSES)}
_STATUS_VALUES = frozenset(s.value for s in MedicineStatus)
_ACTION = {
    MedicineStatus.CONTRAINDICATED: "Stop it and choose another option.",
    MedicineStatus.AVOID: "Review now: stop or change it unless there is a clear reason to continue.",
    MedicineStatus.REDUCE_DOSE: "Reduce the dose to the adjusted maximum or below.",
}
#: wording30 (H-UI-461): the same actions for an alert about two medicines or more, whose pronoun agrees
#: ("Taking ibuprofen, naproxen and diclofenac: ... stop or change it" named three). An interaction's
#: contraindicated pair is stopped by stopping one of them (the combination is the harm), never "stop them".
_ACTION_THEM = {
    MedicineStatus.CONTRAINDICATED: "Stop them and choose another option.",
    MedicineStatus.AVOID: "Review now: stop or change them unless there is a clear reason to continue.",
    MedicineStatus.REDUCE_DOSE: _ACTION[MedicineStatus.REDUCE_DOSE],
}
#: An interaction: the combination is the harm, so the action is about taking them together, never "stop or change
#: them" (round 30 merge: "NSAID with an anticoagulant ... stop or change them" read as stopping the anticoagulant
#: too). Which one changes is the prescriber's decision; the rule's own text says what the combination risks and,
#: for duplicates, "stop one" / "stop all but one", which this agrees with.
_ACTION_TOGETHER = {**_ACTION_THEM, MedicineStatus.CONTRAINDICATED: "Stop one of them and choose another option.",
                    MedicineStatus.AVOID: "Review now: do not continue them together unless there is a clear "
                                          "reason."}


#: avoidside (H-MED-600, H-MED-601): an interaction whose rule keeps a side (rules.toml ``keep``: an anticoagulant beside
#: an NSAID). A GP read "AVOID: ibuprofen, naproxen, apixaban ... do not continue them together" as stopping the
#: anticoagulant too (clots, stroke): the action names the medicine(s) to review and says the kept one is not stopped
#: without its prescriber. Two to review are both reviewed: stopping only one leaves the other with the kept one.
_KEEP_FIRST = {
    MedicineStatus.CONTRAINDICATED: "Stop {review} and choose another option{each}",
    MedicineStatus.AVOID: "Review now: stop or change {review} unless there is a clear reason to continue{each}",
}


def keep_action(status: MedicineStatus, review, kept, why: str) -> str:
    """The action of an interaction alert that names the medicines to review (``review``) and those to keep
    (``kept``, with ``why``): "Review now: stop or change naproxen unless there is a clear reason to continue; keep
    apixaban 5mg bd: do not stop it without its prescriber (why)."."""
    review, kept = list(dict.fromkeys(review)), list(dict.fromkeys(kept))
    each = (f" (stopping only one of them still leaves the other with {_listed(kept, 'and')})"
            if len(review) > 1 else "")
    first = _KEEP_FIRST[status].format(review=_listed(review, "and"), each=each)
    them = len(kept) > 1
    return (f"{first}; keep {_listed(kept, 'and')}: do not stop {'them' if them else 'it'} without "
            f"{'their' if them else 'its'} prescriber ({why}).")


def keep_advice(inter) -> str:
    """The review/keep action of an interaction (``medications.Interaction``) whose rule keeps a side and is rated
    contraindicated or avoid, as its alert says it (:func:`keep_action`); for a pair of different kinds with no side to
    keep (:func:`reviewed_with_prescriber`: methotrexate beside an NSAID), that both are reviewed with the prescriber
    (:func:`both_action`); "" for any other interaction. For the outputs that word an interaction without its alert
    (the FHIR export's DetectedIssue)."""
    if reviewed_with_prescriber(inter):
        return both_action(MedicineStatus(inter.severity), inter.medicines)
    if not inter.kept or inter.severity not in _KEEP_FIRST:
        return ""
    return keep_action(MedicineStatus(inter.severity), inter.to_review, inter.kept, inter.keep_why)


#: mtxavoid (H-MED-670): an interaction of two different kinds of medicine whose rule names no side to keep (rules.toml
#: has no ``keep``: an NSAID with methotrexate or lithium, an NSAID with an ACE inhibitor and a diuretic, clopidogrel with
#: omeprazole, tramadol with an antidepressant ...). The worklist listed "Avoid: ibuprofen 400mg tds, methotrexate 15mg
#: once weekly", as if either might be stopped from a back-pain list; which one changes is not for the data to say (no
#: primary source cited for a side to keep), so both are reviewed with the prescriber, and neither is named as one to
#: stop. The rating (Avoid, Contraindicated) stays the combination's.
_BOTH_ACTION = {
    MedicineStatus.CONTRAINDICATED: "Review {both} with the prescriber now: they must not be taken together; with the "
                                    "prescriber, stop one of them and choose another option.",
    MedicineStatus.AVOID: "Review {both} with the prescriber now: do not continue them together unless there is a "
                          "clear reason.",
}


def _both(names) -> str:
    """"both" for two medicines, "them all" for three or more."""
    return "both" if len(set(names)) < 3 else "them all"


def both_action(status: MedicineStatus, names) -> str:
    """The plain action of an interaction alert whose medicines are all reviewed with the prescriber
    (:func:`reviewed_with_prescriber`): "Review both with the prescriber now: ...", "Review them all ..." for three."""
    return _BOTH_ACTION[status].format(both=_both(names))


_DUPLICATE_RULES: list = []


def _duplicate_rules(data) -> frozenset[str]:
    """The ids of the interaction rules whose sides are all of one kind (two NSAIDs, two opioids, two products of
    paracetamol): a duplicate, whose own text says to stop one (or all but one) of the same kind."""
    if _DUPLICATE_RULES and _DUPLICATE_RULES[0] is data:
        return _DUPLICATE_RULES[1]
    found = frozenset(r.id for r in data.interactions if len({frozenset(s) for s in r.sides}) == 1)
    _DUPLICATE_RULES[:] = [data, found]
    return found


def reviewed_with_prescriber(inter) -> bool:
    """mtxavoid (H-MED-670): whether every medicine of an interaction (``medications.Interaction``) is to be reviewed
    with the prescriber, none named as the one to stop: a pair rated avoid or contraindicated, of at least two
    medicines recorded apart, whose rule keeps no side (rules.toml ``keep``) and is no duplicate (its sides are not all
    of one kind). An NSAID with an anticoagulant keeps its review/keep words (avoidside); two NSAIDs keep "stop one"."""
    if inter.kept or inter.severity not in _KEEP_FIRST or len(set(inter.medicines)) < 2:
        return False
    data = load_medicine_data()
    return inter.rule in {r.id for r in data.interactions} and inter.rule not in _duplicate_rules(data)


def _duplicate_still_with(inter, pairs) -> str:
    """avoidside (H-MED-602): a duplicate's "stop one" (two NSAIDs) said beside a pair that keeps a medicine (the
    NSAIDs with apixaban): keeping one NSAID does not end that pair's risk, which this sentence says; "" otherwise."""
    own = set(inter.medicines)
    for other in pairs:
        if other is not inter and other.kept and own <= set(other.to_review):
            heading = other.text.split(":")[0]
            return (f"Keeping one of them does not end the risk with {_listed(other.kept, 'and')} ({heading}): "
                    f"review that alert too.")
        # mtxavoid (H-MED-672): the same beside a pair reviewed with the prescriber (two NSAIDs with methotrexate)
        rest = [n for n in other.medicines if n not in own]
        if other is not inter and rest and own < set(other.medicines) and reviewed_with_prescriber(other):
            heading = other.text.split(":")[0]
            return (f"Keeping one of them does not end the risk with {_listed(rest, 'and')} ({heading}): "
                    f"review that alert too.")
    return ""


def one_medicine_action(status: MedicineStatus, action: str) -> str:
    """``action`` said of one medicine of the alert: the plain actions for several medicines ("do not continue them
    together") become the one-medicine action ("stop or change it"); any other action (a gradual stop naming the
    medicines, a steroid's) is kept. For a text about one medicine that quotes an interaction's rating (the
    pathway's "Already taking naproxen ...: avoid for this patient")."""
    plural = {*_ACTION_THEM.values(), *_ACTION_TOGETHER.values()} - set(_ACTION.values())
    return _ACTION[status] if action in plural and status in _ACTION else action


def _action(status, names, together: bool = False) -> str:
    """The action for an alert on ``names`` ("it" for one medicine, "them" for more; an interaction:
    ``together``)."""
    if len(set(names)) < 2:
        return _ACTION[status]
    return (_ACTION_TOGETHER if together else _ACTION_THEM)[status]


def _listed(names, word: str) -> str:
    """"a", "a {word} b", "a, b {word} c"."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def together_names(names) -> str:
    """The medicines of one alert as its heading names them: "a", "a with b" (a pair taken together), "a, b and
    c" (wording30, H-UI-462: three were "a with b with c")."""
    names = list(names)
    return " with ".join(names) if len(names) < 3 else _listed(names, "and")


_CHECK_ACTION = "Confirm the dose with the prescriber and correct the record if it is a slip."
#: A dose to reduce of an opioid: lowered step by step, never cut at once (FDA Drug Safety
#: Communication 9 April 2019: harm from opioids "suddenly ... discontinued or the dose rapidly
#: decreased"; sources.toml fda-opioid-tapering-2019). dose19: tramadol above its label maximum,
#: once "Avoid ... taper with the prescriber", is "Reduce dose" and keeps the step by step.
_OPIOID_REDUCE_ACTION = ("Reduce the dose to the adjusted maximum or below, step by step with the prescriber; "
                         "never stop it or cut it abruptly.")

#: A systemic corticosteroid taken now (by drug class, classes.toml) is never told "stop":
#: after more than 3 weeks, more than 40 mg prednisolone a day for over a week or repeated
#: courses, a sudden stop risks adrenal insufficiency, and the label asks for a gradual
#: reduction (BNF, Corticosteroids, treatment cessation; prednisone label, PRECAUTIONS:
#: sources.toml ``bnf-corticosteroid-withdrawal``). gp14 G3: the banner said "Review now:
#: stop or change it" for long-term prednisolone beside an NSAID.
STEROID_CLASS = "systemic_corticosteroid"
STEROID_SOURCE = "bnf-corticosteroid-withdrawal"
STEROID_STOP = "do not stop it suddenly: reduce gradually with the prescriber (after more than 3 weeks, high doses " \
               "or repeated courses, a sudden stop risks adrenal insufficiency)."
#: two steroids or more in one alert (wording30: "do not stop it" named two)
STEROID_STOP_THEM = "do not stop them suddenly: reduce gradually with the prescriber (after more than 3 weeks, high " \
                    "doses or repeated courses, a sudden stop risks adrenal insufficiency)."
_STEROID_REVIEW = {
    MedicineStatus.CONTRAINDICATED: "Review now with the prescriber; ",
    MedicineStatus.AVOID: "Review now with the prescriber; ",
    MedicineStatus.REDUCE_DOSE: "Bring the dose down to the adjusted maximum or below with the prescriber; ",
}
NSAID_CLASS = "nsaid"


_RULE_CLASSES: dict[int, tuple] = {}


def _rule_classes(data) -> dict[str, frozenset[str]]:
    """Rule id -> the classes of current medicine the rule is about (``when.current_class``),
    made once per medicine data (kept beside the data object it was made from)."""
    kept = _RULE_CLASSES.get(id(data))
    if kept is None or kept[0] is not data:
        if len(_RULE_CLASSES) > 8:
            _RULE_CLASSES.clear()
        kept = _RULE_CLASSES[id(data)] = (data, {r.id: frozenset(r.classes) for rules in data.rules_by_drug.values()
                                                 for r in rules})
    return kept[1]


def steroids_taken(report: MedicationReport) -> frozenset[str]:
    """The current medicines (as recorded) that are systemic corticosteroids, by drug class."""
    return frozenset(m.name for m in report.current_medicines if STEROID_CLASS in m.classes)


def nsaid_pairing_only(names, report: MedicationReport, data=None) -> tuple[str, ...]:
    """The NSAIDs taken now (as recorded) when what makes the medicines ``names`` avoid or
    worse is only that an NSAID is taken with them: every such reason of their rows is a rule
    about a current NSAID (``when.current_class = ["nsaid"]``, e.g. Beers 2023: a
    corticosteroid with an NSAID at 65 or over) and every interaction rated avoid or worse
    with them is with an NSAID. () otherwise, or when no NSAID is taken. Stopping the NSAID
    then removes the risk, and it is the one to review first."""
    names = set(names)
    nsaids = tuple(m.name for m in report.current_medicines if NSAID_CLASS in m.classes and m.name not in names)
    if not nsaids:
        return ()
    classes = _rule_classes(data if data is not None else load_medicine_data())
    reasons = [r for row in report.rows if row.currently_taking and names.intersection(row.current_medicines)
               for r in row.reasons_at_least(MedicineStatus.AVOID)]
    interactions = [ix for ix in report.interactions
                    if ix.severity in (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED)
                    and names.intersection(ix.medicines)]
    if not reasons and not interactions:
        return ()
    if not all(classes.get(r.rule) == frozenset({NSAID_CLASS}) for r in reasons):
        return ()
    if not all(set(ix.medicines) - names <= set(nsaids) for ix in interactions):
        return ()
    return nsaids


def _steroid_action(status: MedicineStatus, steroids, report: MedicationReport) -> tuple[str, str]:
    """The action for an alert on the steroids ``steroids``, and its source (the BNF text)."""
    data = load_medicine_data()
    source = data.sources.get(STEROID_SOURCE, "")
    nsaids = nsaid_pairing_only(steroids, report, data) if status != MedicineStatus.REDUCE_DOSE else ()
    stop = STEROID_STOP if len(set(steroids)) < 2 else STEROID_STOP_THEM
    if nsaids:
        # wording30: two NSAIDs are "the NSAIDs ... stopping them", never "(the NSAID) ... it"
        named, it = (nsaids[0], "the NSAID) first: stopping it") if len(nsaids) == 1 else (
            _listed(nsaids, "and"), "the NSAIDs) first: stopping them")
        action = (f"Review {named} ({it} ends this combination. For "
                  f"{_listed(sorted(steroids), 'and')}, {stop}")
        return action, source
    return _STEROID_REVIEW[status] + stop, source


#: The action for an alert about a medicine whose sudden stop is itself a harm (classes.toml
#: ``[stop_gradually]``: opioids, gabapentinoids; opi18): never "stop it". A dose to bring down to
#: a maximum (gabapentin above its kidney maximum) keeps its own action: lowering it is not
#: stopping it, and it is not to be delayed.
_GRADUAL_ACTION = {
    MedicineStatus.CONTRAINDICATED: "Review now with the prescriber; do not stop {names} suddenly: {why}",
    MedicineStatus.AVOID: "Review now with the prescriber; do not stop {names} suddenly: {why}",
}


def gradual_stop(names, report: MedicationReport, data=None,
                 about=None) -> tuple[tuple[str, ...], str, str]:
    """The medicines among ``names`` (as recorded) that must not be stopped suddenly, with why and
    the source (classes.toml ``[stop_gradually]``; one why per medicine, each said once); ((), "",
    "") when stopping each of them at once is safe. ``about`` (class ids or generics; None: every
    ingredient) keeps only the ingredients the alert is about (rt19 F1, F3: the ibuprofen of
    Nurofen Plus, the paracetamol of co-codamol are not tapered because of their codeine)."""
    found, whys = _gradual_whys(names, report, data, about)
    if not found:
        return (), "", ""
    why = "; ".join(w.rstrip(".") for w in whys) + "."
    source = "; ".join(dict.fromkeys(src for _w, src in whys.values() if src))
    return tuple(found), why, source


def _gradual_whys(names, report: MedicationReport, data, about):
    """(medicines found, {why text: (why, source)}) behind :func:`gradual_stop`."""
    data = data if data is not None else load_medicine_data()
    names = set(names)
    found: list[str] = []
    by_why: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    for m in report.current_medicines:
        if m.name in names and m.name not in found:
            entry = data.stopped_gradually(m.generics, about)
            if entry is not None:
                found.append(m.name)
                by_why.setdefault(entry[0], []).append(m.name)
                sources[entry[0]] = entry[1]
    if len(by_why) == 1:
        (why,) = by_why
        return found, {why: (why, sources[why])}
    # one why per medicine (rt19 F6: morphine with gabapentin quoted only the first one's)
    return found, {f"{', '.join(meds)}: {why}": (why, sources[why]) for why, meds in by_why.items()}


def _also_contains(names, report: MedicationReport, about, data=None) -> tuple[str, str]:
    """(sentence, source) for products among ``names`` whose ingredient the alert is about may be
    stopped now, while another ingredient of the same product must not be stopped suddenly
    (Nurofen Plus contraindicated at 31 weeks: the ibuprofen stops, its codeine is replaced, not
    stopped abruptly; rt19 F1); ("", "") when there is none. ``about`` None (a current-medicine
    note's alert): the alert is about every ingredient, so no other one is left to name (med26:
    Arthrotec, two ingredients, in a pregnancy note raised TypeError)."""
    if about is None:
        return "", ""
    data = data if data is not None else load_medicine_data()
    names = set(names)
    parts: list[str] = []
    sources: list[str] = []
    for m in report.current_medicines:
        if m.name not in names or len(m.generics) < 2:
            continue
        if data.stopped_gradually(m.generics, about) is not None:
            continue
        others = [g for g in m.generics if g not in data.ingredients_about(m.generics, about)]
        for g in others:
            entry = data.stopped_gradually((g,))
            if entry is not None:
                parts.append(f"{m.name} also contains {g}: ask the prescriber to replace the {g} "
                             f"(a {g}-only product or a planned taper) so it is not stopped suddenly: "
                             f"{entry[0]}")
                sources.append(entry[1])
    return " ".join(dict.fromkeys(parts)), "; ".join(dict.fromkeys(s for s in sources if s))


def _gradual_action(status: MedicineStatus, names, report: MedicationReport,
                    about=None) -> tuple[str, str] | None:
    """The action and source for an alert on ``names`` when one of them must not be stopped
    suddenly (only the ingredients ``about`` names); None otherwise."""
    if status not in _GRADUAL_ACTION:
        return None
    gradual, why, source = gradual_stop(names, report, about=about)
    if gradual:
        # "do not stop a or b suddenly" (wording30: "do not stop a, b suddenly")
        return _GRADUAL_ACTION[status].format(names=_listed(gradual, "or"), why=why), source
    also, source = _also_contains(names, report, about)
    if also:
        return f"{_action(status, names)} {also}", source
    return None


def _rule_about(rule_id: str) -> frozenset[str] | None:
    """The class ids and generics an interaction rule's sides name (None: a rule not in the data,
    every ingredient counts)."""
    for rule in load_medicine_data().interactions:
        if rule.id == rule_id:
            return frozenset(k for side in rule.sides for k in side)
    return None


def _own_action(rule_id: str) -> tuple[str, str] | None:
    """dose36 (H-MED-737): an interaction rule's own action and its source (rules.toml ``action``, ``action_source``),
    or None when it has none (the generic action of its rating is said)."""
    for rule in load_medicine_data().interactions:
        if rule.id == rule_id:
            return (rule.action, rule.action_source) if rule.action else None
    return None


def _with_source(first: str, more: str) -> str:
    return "; ".join(s for s in dict.fromkeys((first, more)) if s)


class MedicineAlert(NamedTuple):
    """One current medicine (or combination) that must be stopped, changed or reduced."""

    kind: str  # "medicine" (a row), "interaction" or "note"
    medicines: tuple[str, ...]  # as the clinician recorded them
    status: MedicineStatus  # one of ALERT_STATUSES
    text: str  # the whole alert, one line: what, why, what to do
    reasons: tuple[str, ...]
    action: str
    source: str
    label: str = ""  # the status's label unless said otherwise ("Check the dose": gp16 F4; a rule's own: mme22)
    #: the patient's own opioid total with its label ("High opioid dose: 120 MME/day") when the
    #: alert's reasons count it, whatever else rates it (worklist_marks.opioid_total; mme23); ""
    total: str = ""
    #: avoidside (H-MED-600): the medicines of an interaction alert NOT to stop without their prescriber (rules.toml
    #: ``keep``: an anticoagulant beside an NSAID); () none
    kept: tuple[str, ...] = ()
    #: mtxavoid (H-MED-670): an interaction alert whose medicines are all reviewed with the prescriber, none named as
    #: the one to stop (:func:`reviewed_with_prescriber`: methotrexate beside an NSAID)
    both: bool = False

    @property
    def status_label(self) -> str:
        return self.label or _status_label(self.status)

    def named(self) -> str:
        """The alert's medicines after its label: "naproxen, apixaban 5mg bd"; with a medicine to keep, the ones to
        review and the kept one said so: "naproxen (with apixaban 5mg bd: keep it)" (worklist_marks.AlertMark)."""
        from radiculopathy_desktop.domain.worklist_marks import AlertMark

        return AlertMark(self.status_label, tuple(self.medicines), "", "", tuple(self.kept), self.both).named()

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "medicines": list(self.medicines), "status": self.status,
               "status_label": self.status_label, "text": self.text, "reasons": list(self.reasons),
               "action": self.action, "source": self.source,
               "opioid_total": total_json(self.status_label, self.total)}
        if self.kept:  # only an alert with a medicine to keep: other outputs unchanged
            out["review"] = [m for m in self.medicines if m not in self.kept]
            out["keep"] = list(self.kept)
        if self.both:  # mtxavoid: only a pair reviewed with the prescriber (others unchanged)
            out["review_with_prescriber"] = list(self.medicines)
        return out


def labelled(label: str, text: str) -> str:
    """``text`` to print after ``label``: without its own opening ``label:`` (a dose-to-check note
    opens "Check the dose: ..."), so a line reads "CHECK THE DOSE: co-codamol ..." once."""
    return text[len(label) + 2:] if label and text.startswith(f"{label}: ") else text


def _status_label(status: str) -> str:
    """``MedicineStatus(status).label``, read from the label table (a member looks up as its
    string) without making the member again (issue 17: each alert asks it at least twice);
    a string that is no status still goes to MedicineStatus(), which refuses it as before."""
    return MEDICINE_STATUS_LABELS.get(status) or MedicineStatus(status).label


def _dose(mg: float | None) -> str:
    return f" {mg:g} mg/day" if mg else ""


def _row_names(row: MedicationRow, report: MedicationReport) -> tuple[str, ...]:
    """The medicines a row's alert names: those taken now, or for a "Reduce dose" on a row of
    several different medicines (codeine beside oxycodone) only the products holding the
    ingredient above its maximum (rt19 F4, gp18 F3: "Reduce dose: codeine, oxycodone" with
    oxycodone over no maximum). A "Check the dose" names only the products whose dose is to check, by the same
    rule (wording30, H-UI-463: "Taking fentanyl 25mcg/24h, codeine 30mg qds: Check the dose: fentanyl ..."
    named the codeine, whose dose was read)."""
    names = row.current_medicines or (row.label,)
    if row.status == MedicineStatus.REDUCE_DOSE and row.current_daily_dose_mg is None and len(names) > 1:
        checked = row.dose_to_check
        # typed35 (H-MED-717): only the checks this row says; a product's own question (a note) is its own alert
        said = {r.text for r in row.reasons} if checked else set()
        over = {n for c in report.dose_checks
                if (c.rule == "check-dose" and c.text in said if checked else c.kind == "label_max")
                and set(c.medicines) <= set(names)
                for n in c.medicines}
        if over:
            return tuple(n for n in names if n in over)
    return names


def _opioid_row(row: MedicationRow) -> bool:
    """Whether the row counts opioids (the opioid row, tramadol's): never the paracetamol row of
    co-codamol, whose paracetamol overdose is not tapered (gp18 F9, rt19 F3)."""
    data = load_medicine_data()
    own = next((d.own for d in data.drugs if d.id == row.drug), frozenset())
    return not data.class_members.get("opioid", frozenset()).isdisjoint(own)


def report_source(report: MedicationReport, source_id: str) -> str:
    """A source's text from the loaded medicine data ("" when it is not listed)."""
    return load_medicine_data().sources.get(source_id, "")


def _row_alert(row: MedicationRow, report: MedicationReport, steroids: frozenset[str]) -> MedicineAlert:
    names = _row_names(row, report)
    # the reasons that make it this serious (reduce-dose reasons are kept under avoid: both apply)
    shown = row.reasons_at_least(MedicineStatus.REDUCE_DOSE)
    # the opioid total is said beside a dose to lower or to check too (mme21: rated caution there
    # so the dose's own rating and plan stand, medications._mme_beside_dose_to_lower)
    shown = (*shown, *(r for r in row.reasons if r not in shown and r.rule.split("@")[0] in MME_RULES))
    reasons = tuple(dict.fromkeys(r.text for r in shown))
    source = "; ".join(dict.fromkeys(r.source for r in shown if r.source))
    label = _status_label(row.status)  # the reasons say who advises it (e.g. "NICE does not offer this")
    # a rule's own label when it alone makes the rating ("High opioid dose", not "Avoid": mme22)
    own = "" if row.dose_to_check else _own_label(row)
    action = _action(row.status, names)
    taken_steroids = steroids.intersection(names)
    if row.dose_to_check:
        # far above any usual dose where the label states no maximum (drugs.toml dose_checks), or a
        # combination dose that cannot be read: there is no maximum to reduce to; the record is
        # what to check (rt14 F1), and it is labelled so, not "Reduce dose" (gp16 F4)
        action = _CHECK_ACTION
        label = CHECK_DOSE_LABEL
    elif taken_steroids:
        action, more = _steroid_action(MedicineStatus(row.status), taken_steroids, report)
        source = _with_source(source, more)
    elif (gradual := _gradual_action(MedicineStatus(row.status), names, report,
                                     about={row.drug_class, row.drug})) is not None:
        action, more = gradual
        source = _with_source(source, more)
    elif row.status == MedicineStatus.REDUCE_DOSE and not row.dose_to_check and _opioid_row(row):
        action = _OPIOID_REDUCE_ACTION
        source = _with_source(source, report_source(report, "fda-opioid-tapering-2019"))
    elif row.status == MedicineStatus.REDUCE_DOSE and not row.dose_to_check:
        # lowering co-codamol for its paracetamol lowers its codeine too: say how (rt19 F3), as
        # the Avoid action of a dose above the maximum did before it became "Reduce dose" (gp18 F9)
        also, more = _also_contains(names, report, {row.drug_class, row.drug})
        if also:
            action = f"{action} {also}"
            source = _with_source(source, more)
    dose = _dose(row.current_daily_dose_mg)
    if dose and len(names) == 1 and row.current_daily_dose_mg and _says_dose(names[0], row.current_daily_dose_mg):
        dose = ""  # the name says it already ("paracetamol 16000 mg/day": dialog31, H-UI-517)
    elif dose and any(len(m.generics) > 1 for m in report.current_medicines if m.name in names):
        # a combination product's recorded mg are not all this row's medicine (G17)
        dose = f" ({dose.strip()} of {row.label.split(' (')[0].lower()})"
    elif dose and len(names) > 1:
        # wording30: the row's dose is of all its products, never the last one's ("ibuprofen and nurofen 200mg
        # 1800 mg/day" read as 1800 mg of nurofen)
        dose = f" ({dose.strip()} in all)"
    # its reasons open "Check the dose:", or say what the rule's own label asks ("High opioid dose: ...")
    said = "" if row.dose_to_check or own else f"{label.lower()} for this patient: "
    shown_label = CHECK_DOSE_LABEL if row.dose_to_check else (own or label)
    # the patient's own opioid total, with its label, beside a rating given for another reason too
    # (mme23: "Avoid" for fentanyl 120 MME/day with diazepam did not say "High opioid dose")
    total = opioid_total(shown)
    beside = total_beside(shown_label, total)
    text = f"Taking {_listed(names, 'and')}{dose}{beside}: {said}{' '.join(reasons)} {action}"
    return MedicineAlert("medicine", tuple(names), row.status, " ".join(text.split()), reasons, action, source,
                         CHECK_DOSE_LABEL if row.dose_to_check else own, total)


def _own_label(row: MedicationRow) -> str:
    """The label of a row's alert when a rule's own label (rules.toml ``alert_label``) says what it
    asks in place of the severity word; "" otherwise (worklist_marks.alert_label decides)."""
    status = _status_label(row.status)
    own = alert_label(status, row.reasons_at_least(row.status))
    return "" if own == status else own


def _one_total_alert(alerts: list[MedicineAlert], rows: list[MedicationRow],
                     report: MedicationReport) -> list[MedicineAlert]:
    """The opioids' total said once (mme21): codeine on the opioid row and tramadol on its own row
    each carry the same "current opioids total" reason; a row alert whose every reason is that
    total, already said by an earlier alert of the same rating, is folded into it, which then
    names both medicines (and no single dose, the total being of both)."""
    out: list[MedicineAlert] = []
    for alert, row in zip(alerts, rows):
        only_total = all(r.rule.split("@")[0] in MME_RULES for r in row.reasons_at_least(MedicineStatus.AVOID))
        into = next((i for i, kept in enumerate(out) if only_total and kept.kind == "medicine"
                     and kept.status == alert.status and set(alert.reasons) <= set(kept.reasons)), None)
        if into is None:
            out.append(alert)
            continue
        kept = out[into]
        names = tuple(dict.fromkeys((*kept.medicines, *alert.medicines)))
        action, source = kept.action, kept.source
        gradual = _gradual_action(MedicineStatus(kept.status), names, report, about={row.drug_class})
        if gradual is not None:
            action, more = gradual
            source = _with_source(source, more)
        said = "" if kept.label else f"{_status_label(kept.status).lower()} for this patient: "
        beside = total_beside(kept.status_label, kept.total)
        text = f"Taking {_listed(names, 'and')}{beside}: {said}{' '.join(kept.reasons)} {action}"
        out[into] = kept._replace(medicines=names, text=" ".join(text.split()), action=action, source=source)
    return out


def _alerting_rows(report: MedicationReport) -> list[MedicationRow]:
    """The rows that make an alert (taken now, rated reduce dose or worse), worst first; rows of
    the same status keep the table's order."""
    rows = [row for row in report.rows if row.currently_taking and row.status in _ORDER]
    if len(rows) > 1:
        rows.sort(key=lambda r: _ORDER[r.status])
    return rows


def _alerting_notes(report: MedicationReport, rows: list[MedicationRow]):
    """The current-medicine notes that make an alert: rated reduce dose or worse, about a
    medicine that no alerting row names."""
    covered = {n for row in rows for n in (row.current_medicines or (row.label,))}
    # typed35 (H-MED-717): a dose to check ("Check the dose": "oxycodone 20mg 3 x 4" with 40 mg a day typed, a regimen
    # not read, "prn") is its own alert even when the medicine's row alerts for another reason (High opioid dose, an
    # Avoid pair): no other alert says it, and it was dropped from the case page's box, the worklist, its JSON and CSV
    return [note for note in report.current_notes
            if note.severity in _ORDER and (note.rule == "check-dose" or not set(note.medicines) <= covered)]


def _dose_to_check_apart(rows: list[MedicationRow]) -> list[MedicationRow]:
    """typed35 (H-MED-717): each row whose dose to check (a reason of rule "check-dose", medications._with_dose_checks)
    sits beside another reason rated reduce dose or worse, said as two rows: the row without its dose to check (rated
    by what it keeps: "High opioid dose", "Avoid", "Reduce dose") and its dose to check alone ("Check the dose"). A dose
    to check is never folded into an alert labelled for another reason, where the worklist mark, the JSON and the CSV
    counted only that label. A row whose every such reason is its dose to check is one "Check the dose", as before."""
    out: list[MedicationRow] = []
    for row in rows:
        shown = row.reasons_at_least(MedicineStatus.REDUCE_DOSE)
        checks = tuple(r for r in shown if r.rule == "check-dose")
        if not checks or len(checks) == len(shown):
            out.append(row)
            continue
        out.append(without_reasons(row, frozenset(checks)))
        out.append(row._replace(reasons=checks, status=MedicineStatus.REDUCE_DOSE))
    return out


def _pair_says(reason, row: MedicationRow, report: MedicationReport, pairs, rule_classes, classes_of) -> bool:
    """Whether an interaction alert already says a row's reason: the reason is the rule about the class of the
    other medicine of a pair that holds the row's medicine ("Taking apixaban 5mg bd (anticoagulant): avoid
    NSAIDs" on the naproxen row; the pair "naproxen with apixaban: NSAID with an anticoagulant"), named in the
    reason, and the pair is rated at least as seriously."""
    if reason.severity not in _STATUS_VALUES:
        return False
    about = rule_classes.get(reason.rule.split("@")[0], frozenset())
    if not about:
        return False
    rank = _ORDER.get(MedicineStatus(reason.severity), len(_ORDER))
    own = set(row.current_medicines)
    # fold33 (H-MED-700): the medicines the reason is about are known by what they are (the current medicines of the
    # class the reason's rule is about), not by their recorded name in its words: "Taking lithium: NSAIDs raise
    # lithium levels" is about "lithium 400mg" and "Priadel 400mg" too. It is the pairs' when each of them is in a
    # pair with the row's medicine rated at least as seriously
    makers = {n for n, classes in classes_of.items() if n not in own and about & classes}
    pairs = [inter for inter in pairs
             if _ORDER[MedicineStatus(inter.severity)] <= rank and own.intersection(inter.medicines)]
    if not makers or not makers <= {n for inter in pairs for n in inter.medicines}:
        return False
    for inter in pairs:
        others = [n for n in inter.medicines if n not in own]
        if others and all(n in makers for n in others):
            return True
        # avoid2 (H-MED-636): the pair may hold more of the row's own kind beside it (ibuprofen and naproxen with
        # apixaban: "NSAID with an anticoagulant" names all three). The reason is still the pair's when every other
        # medicine of the pair is either of the class the reason is about and named in it, or shares a class with
        # the row's medicine (the same side of the rule), and at least one is of that class. A medicine of any other
        # kind in the pair (a diuretic beside an ACE inhibitor) keeps the row's reason.
        mine = frozenset().union(*(classes_of.get(n, frozenset()) for n in own))
        named = [n for n in others if n in makers]
        if named and all(n in named or mine & classes_of.get(n, frozenset()) for n in others):
            return True
    return False


def _pairs_alerting(report: MedicationReport) -> list:
    """The interactions that make an alert (rated reduce dose or worse)."""
    return [inter for inter in report.interactions if inter.severity in _ORDER]


def pair_said(report: MedicationReport) -> dict[str, frozenset]:
    """fhir34 (H-FMT-905): row id -> the reasons (rated reduce dose or worse) of that alerting row an interaction
    alert already says (:func:`_pair_says`: "Taking lithium: NSAIDs raise lithium levels" on the ibuprofen row, the
    pair "ibuprofen with lithium 400mg: NSAID with lithium"). Rows with none are left out. For an output that says the
    pairs apart from the rows (the FHIR export's DRG and COND DetectedIssues), so that it says each pair once."""
    pairs = _pairs_alerting(report)
    if not pairs:
        return {}
    rule_classes = _rule_classes(load_medicine_data())
    classes_of = {m.name: frozenset(m.classes) for m in report.current_medicines}
    out: dict[str, frozenset] = {}
    for row in _alerting_rows(report):
        said = frozenset(r for r in row.reasons_at_least(MedicineStatus.REDUCE_DOSE)
                         if _pair_says(r, row, report, pairs, rule_classes, classes_of))
        if said:
            out[row.drug] = said
    return out


def without_reasons(row: MedicationRow, said) -> MedicationRow:
    """``row`` without the reasons ``said`` (a pair says them: :func:`pair_said`), rated by the strongest reason it
    keeps (ibuprofen above its label maximum beside lithium: "Reduce dose", the lithium's "Avoid" being the pair's)."""
    reasons = tuple(r for r in row.reasons if r not in said)
    rank = max((_RANK[r.severity] for r in reasons), default=0)
    return row._replace(reasons=reasons, status=_STATUS_OF_RANK[rank])


def _rows_to_say(report: MedicationReport, rows: list[MedicationRow]) -> list[MedicationRow]:
    """spell28 (H-UI-433): the alerting rows as their alerts say them, with no warning an interaction alert
    already gives ("naproxen with apixaban: avoid" was said twice, once more on the naproxen row's alert as
    "Taking apixaban (anticoagulant): avoid NSAIDs"). A row whose every reason is said by a pair is said by the
    pair alone (which names both medicines, as the worklist mark and filter need); a row with reasons of its own
    keeps them and drops those the pairs say, when one of its own still gives the row's rating, or when all it keeps
    is its own dose to reduce (then rated by it, fhir34, H-MED-715). A dose to check is never folded away, and an
    opioid total never is (no pair says it).

    mmefold34 (H-MED-706): the opioid total (MME_RULES) is one of the row's own reasons like any other. Morphine
    60 mg/day with diazepam kept the benzodiazepine reason on the morphine row ("AVOID: morphine. AVOID: morphine and
    diazepam together ...": one hazard read as two alerts) because the row carried the total; the row now says the
    total alone, under its own label ("Reassess opioid dose", "High opioid dose"), as it does without diazepam, and
    the pair alone says the benzodiazepine. The total's reason is rated avoid, as the row, so it still gives the
    row's rating; beside a dose to lower it is a caution (medications._mme_beside_dose_to_lower), which does not, and
    the row is then said whole as before."""
    pairs = [inter for inter in report.interactions if inter.severity in _ORDER]
    if not pairs:
        return rows
    rule_classes = _rule_classes(load_medicine_data())
    classes_of = {m.name: frozenset(m.classes) for m in report.current_medicines}
    out: list[MedicationRow] = []
    for row in rows:
        shown = row.reasons_at_least(MedicineStatus.REDUCE_DOSE)
        if row.dose_to_check:
            out.append(row)
            continue
        said = {r for r in shown if _pair_says(r, row, report, pairs, rule_classes, classes_of)}
        if not said:
            out.append(row)
        elif len(said) < len(shown) and any(r.severity == row.status for r in shown if r not in said):
            out.append(row._replace(reasons=tuple(r for r in row.reasons if r not in said)))
        elif len(said) == len(shown):
            continue  # every reason is a pair's: said by the pair
        elif all(r.severity == MedicineStatus.REDUCE_DOSE for r in shown if r not in said):
            # fhir34 (H-MED-715): what the row keeps is its own dose (ibuprofen 3600 mg/day above its label maximum,
            # beside lithium): said as that dose's alert, "Reduce dose" (or "Check the dose"), as it is without the
            # pair; the pair's "Avoid" is the pair's alert. It was the row's Avoid, quoting the pair's warning again
            out.append(without_reasons(row, said))
        else:
            out.append(row)
    return out


def alert_heads(report: MedicationReport) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(medicines, status label) of each alert :func:`medicine_alerts` gives, in its order,
    without wording the alerts: what a caller that needs only who and how serious reads
    (the pathway's "review" steps, :func:`~radiculopathy_desktop.domain.pathway_medicines.treatments_to_review`).
    The same selection as :func:`medicine_alerts` (tests compare the two)."""
    rows = _alerting_rows(report)
    if sum(1 for row in rows if any(r.rule.split("@")[0] in MME_RULES for r in row.reasons)) > 1:
        # one opioid total on two rows is one alert (:func:`_one_total_alert`): worded to fold them
        return tuple((a.medicines, a.status_label) for a in medicine_alerts(report))
    out = [(_row_names(row, report),
            CHECK_DOSE_LABEL if row.dose_to_check else (_own_label(row) or _status_label(row.status)))
           for row in _dose_to_check_apart(_rows_to_say(report, rows))]
    out.extend((tuple(inter.medicines), _status_label(inter.severity))
               for inter in report.interactions if inter.severity in _ORDER)
    out.extend((tuple(note.medicines), CHECK_DOSE_LABEL if note.rule == "check-dose" else _status_label(note.severity))
               for note in _alerting_notes(report, rows))
    return tuple(labels_strongest_first(out, lambda head: head[1]))  # as medicine_alerts (rt21 F10)


def medicine_alerts(report: MedicationReport) -> tuple[MedicineAlert, ...]:
    """The alerts for ``report``, worst first; empty when nothing the patient takes needs changing."""
    steroids = steroids_taken(report)
    alerting = _alerting_rows(report)
    said = _dose_to_check_apart(_rows_to_say(report, alerting))
    rows = _one_total_alert([_row_alert(row, report, steroids) for row in said], said, report)
    out = list(rows)
    pairs = [inter for inter in report.interactions if inter.severity in _ORDER]
    for inter in pairs:
        if inter.severity in _ORDER:
            action, source = _action(inter.severity, inter.medicines, together=True), inter.source
            taken_steroids = steroids.intersection(inter.medicines)
            both = reviewed_with_prescriber(inter)
            if inter.kept and inter.severity in _KEEP_FIRST:
                action = keep_action(MedicineStatus(inter.severity), inter.to_review, inter.kept, inter.keep_why)
            elif taken_steroids:
                action, more = _steroid_action(MedicineStatus(inter.severity), taken_steroids, report)
                source = _with_source(source, more)
            elif (gradual := _gradual_action(MedicineStatus(inter.severity), inter.medicines, report,
                                             about=_rule_about(inter.rule))) is not None:
                action, more = gradual
                source = _with_source(source, more)
            elif both:
                action = both_action(MedicineStatus(inter.severity), inter.medicines)
            if own := _own_action(inter.rule):
                # dose36 (H-MED-737): the rule's own action (one medicine recorded twice: confirm which entry is current
                # and remove the other), in place of the generic one; a gradual stop's words are kept after it
                generic = _action(inter.severity, inter.medicines, together=True)
                action = own[0] if action == generic else f"{own[0]} {action}"
                source = _with_source(source, own[1])
            if still := _duplicate_still_with(inter, pairs):
                action = f"{action} {still}"
            out.append(MedicineAlert(
                "interaction", tuple(inter.medicines), inter.severity,
                f"Taking {together_names(inter.medicines)}: {inter.text} {action}", (inter.text,), action, source,
                kept=inter.kept if inter.kept and inter.severity in _KEEP_FIRST else (), both=both))
    data = load_medicine_data()
    row_rules = _rule_classes(data)
    # ukcv: a note that replaces row rules for a medicine (nsaid-cv-contraindicated-uk) is rated as they are
    replacing = {n.id for n in data.current_notes if n.supersedes}
    # handout29 (H-UI-444): a pregnancy note (rules.toml ``pregnant``: misoprostol, contraindicated in
    # pregnancy by the misoprostol and Arthrotec labels' boxed warning) words its own instruction in its
    # text; its alert's action (what the worklist's mark and Why line keep) was "", so the worklist said
    # "Contraindicated: misoprostol 200 micrograms." with nothing to do
    pregnancy_notes = {n.id for n in data.current_notes if n.pregnant}
    for note in _alerting_notes(report, alerting):
        action, source, text = "", note.source, note.text
        taken_steroids = steroids.intersection(note.medicines)
        if taken_steroids and note.rule != "check-dose":
            # a steroid without a row of its own (dexamethasone under uk: NICE does not offer
            # oral corticosteroids for sciatica): never "stop it" without the BNF's gradual
            # withdrawal, as the prednisone row's alert says (med16)
            action, more = _steroid_action(MedicineStatus(note.severity), taken_steroids, report)
            source = _with_source(source, more)
            text = f"{text} {action}"
        elif note.rule != "check-dose" and (
                gradual := _gradual_action(MedicineStatus(note.severity), note.medicines, report)) is not None:
            action, more = gradual
            source = _with_source(source, more)
            text = f"{text} {action}"
        elif note.rule in row_rules or note.rule in replacing:
            # a row's rule said about a medicine of the class without a row (rules.toml
            # ``rules_of``, preg27: diclofenac at 31 weeks): the action the row's alert gives
            action = _action(MedicineStatus(note.severity), note.medicines)
            text = f"{text} {action}"
        elif note.rule in pregnancy_notes and note.severity in _STATUS_VALUES:
            # the row's action for the rating (misoprostol has no withdrawal: "Stop it and choose another
            # option"); the text already says it in its own words, so it is not said twice there
            action = _action(MedicineStatus(note.severity), note.medicines) if note.severity in _ORDER else ""
        label = CHECK_DOSE_LABEL if note.rule == "check-dose" else ""
        out.append(MedicineAlert("note", tuple(note.medicines), note.severity, text, (note.text,),
                                 action, source, label))
    # strongest first across rows, interactions and notes, as the worklist and CSV (rt21 F10)
    return tuple(labels_strongest_first(out, lambda a: a.status_label))


__all__ = ["ALERT_STATUSES", "MedicineAlert", "STEROID_CLASS", "STEROID_STOP", "alert_heads", "both_action",
           "gradual_stop", "keep_action", "medicine_alerts", "one_medicine_action", "pair_said", "reviewed_with_prescriber",
           "without_reasons",
           "together_names",
           "nsaid_pairing_only",
           "steroids_taken"]
