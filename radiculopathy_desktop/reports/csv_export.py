"""Cases or the worklist as CSV, safe to open in a spreadsheet.

* UTF-8 with a byte-order mark, so Excel reads accents correctly; CRLF line ends.
* Formula-injection safe: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text
  and never runs it (OWASP "CSV injection"). Numbers and dates are written as they are.
* Streaming: rows are written as they come; 100,000 cases export in well under 5 s.
* The column list is :data:`COLUMNS`, documented in ``docs/csv-columns.md`` (a test
  checks the two agree). The first two lines are ``#``-free: a header row, then data;
  the app and content versions are columns, so every row says what produced it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from radiculopathy_desktop import __version__
from radiculopathy_desktop.domain.characters import REFUSED_IN_IDS, REFUSED_IN_NAMES, ShownText, shown_escaped
from radiculopathy_desktop.domain.vocabulary import DECISIONS
from radiculopathy_desktop.domain.vocab import wish_stands
from radiculopathy_desktop.outputs import checked_output, verify_csv_rows
from radiculopathy_desktop.reports.common import guideline_content_version

#: (column, meaning) in file order. Keep docs/csv-columns.md in step.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_id", "Case number"),
    ("patient_id", "Patient identifier as recorded"),
    ("patient_name", "Patient name as recorded (may be empty)"),
    ("side", "Symptom side: left, right or bilateral"),
    ("care_start_date", "Date conservative care started (YYYY-MM-DD)"),
    ("as_of", "Date the status was computed for (YYYY-MM-DD)"),
    ("days_since_care_start", "Whole days from care start to as_of"),
    ("weeks_since_care_start", "Whole weeks from care start to as_of"),
    ("status", "Surgical-review status code: immediate, ask_red_flags, overdue, due, needs_follow_up, improving, "
               "upcoming, not_due, snoozed, closed"),
    ("status_label", "The status in words, as the worklist shows it"),
    ("reason", "Why the case has this status, in the engine's words"),
    ("trend", "improving, not improving, or unknown (no follow-up scores)"),
    ("resolved", "yes when the latest scores meet the resolution thresholds, else no"),
    ("visit_count", "Visits on or before as_of, the intake visit included"),
    ("last_visit_date", "Most recent visit (intake or follow-up) on or before as_of"),
    ("baseline_leg_nrs", "Leg pain 0-10 at baseline: the latest recorded on the intake's day (the intake's, or a "
                         "visit of that day that re-recorded it)"),
    ("latest_leg_nrs", "Leg pain 0-10 at the latest visit with a score (empty if none)"),
    ("last_decision", "Latest clinician decision in words (empty if none)"),
    ("last_decision_date", "Date of that decision"),
    ("continue_until", "For 'continue conservative care until', the date"),
    ("app_version", "Version of Radiculopathy Desktop that wrote the file"),
    ("content_version", "Guideline content version in force"),
    ("pregnant", "The pregnancy answer standing on as_of (the intake's, or the latest follow-up visit's on or before "
                 "it): yes, no, ask (a recorded pregnancy would be past 42 weeks on as_of: ask whether she is still "
                 "pregnant; the medicine checks keep its warnings), or empty (not recorded); while another case "
                 "of the patient records a different pregnancy, followed by \"(pregnancy differs)\" (\"not asked "
                 "(pregnancy differs)\" when this case never asked)"),
    ("pregnancy_weeks", "When pregnant: the completed weeks on as_of (the weeks recorded moved on by the whole weeks "
                        "since; with ask, the weeks the medicine checks hold it at, 42); else empty"),
    ("dose_alerts", "Current doses above this patient's maximum, or to check (a likely slip, a regimen that "
                    "cannot be read: '...: check the dose (...)'), under the guideline profile, '; '-separated "
                    "(\"gabapentin 701 mg/day > max 700 mg/day\"): the worklist's dose_alerts; empty when none"),
    ("medicine_alerts", "The medicine-safety alerts on as_of under the guideline profile, worst first, each \"Label: "
                        "medicines. Action.\" (Contraindicated, Avoid, Reduce dose, Check the dose: the case page's "
                        "alerts; an interaction's opens with its reason, e.g. \"Two different opioids at once (codeine "
                        "and oxycodone): together 84 MME/day.\", and an explanation said before is \"(why: as above)\"; "
                        "last, \"Not recognised: naproxn 500mg bd. Check the name: its interactions and dose were not "
                        "checked (did you mean naproxen?).\" for a current medicine whose name is not recognised but "
                        "close to a known one): the worklist's medicine_alerts, what the Medicine alerts filter lists; "
                        "empty when none. While another case of the patient records her pregnant and her medicines would"
                        " then carry an alert, that rating comes first, said \"if pregnant\" (\"Contraindicated if "
                        "pregnant: ibuprofen. Pregnancy differs between cases. ...\"); otherwise, while the pregnancy "
                        "differs, the cell opens with \"Pregnancy differs: case X records ...\""),
    ("medicine_content_version", "Medicine-safety content version (resources/medicines) the dose_alerts and "
                                 "medicine_alerts were worked out with; content_version is the guideline content's"),
    ("guideline_profile", "The guideline profile (us or uk) the dose_alerts and medicine_alerts were read under: the "
                          "clinic's profile in settings, or the export's --profile"),
    # path34 (tryout33): the worklist's "would not consider surgery", which its JSON had and the CSV lacked
    ("would_not_consider_surgery", "yes when the patient answered \"no\" at the intake to \"would consider an "
                                   "injection or surgery\", as the worklist's JSON (would_not_consider_surgery) says "
                                   "it; no otherwise, and always no while an emergency or urgent red flag stands or "
                                   "cauda equina questions are unanswered (immediate, ask_red_flags: red flags "
                                   "override everything)"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: a character a cell never holds as it is (control characters, direction overrides): written
#: as its visible ``\\uXXXX`` escape, as the terminal output does (red-team rt8 F8)
_HIDDEN = REFUSED_IN_NAMES.search
#: what an identifier cell escapes (a superset: also the joiners, variation selectors and
#: spaces other than U+0020 a name may hold; rt10 F6)
_HIDDEN_ID = REFUSED_IN_IDS.search
#: the ASCII characters of :data:`_HIDDEN` (``tests/reports/test_csv_fields.py`` checks they are
#: exactly the ASCII ones the names' pattern refuses): an ASCII text is searched for these only,
#: not for the whole class of several hundred ranges (a reason sentence of the export: issue 17)
_HIDDEN_ASCII = re.compile("[\x00-\x1f\x7f]").search


def _hidden_in(text: str):
    """``_HIDDEN(text)``: a match when ``text`` holds a character a name refuses, else None."""
    return _HIDDEN_ASCII(text) if text.isascii() else _HIDDEN(text)


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will not evaluate. Numbers pass through unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    # a control character or direction override stored before new input refused it (rt8 F8),
    # as its escape, and a backslash doubled (one-to-one: rt10 F8); a shown id is not escaped twice
    if type(value) is not ShownText and ("\\" in text or _hidden_in(text)):
        text = shown_escaped(text)
    if text.startswith(_DANGEROUS):
        return "'" + text
    return text


def _shown_id(value: Any) -> Any:
    """A stored identifier with each character an identifier refuses (a joiner, a no-break
    space...) as its visible escape: two look-alike ids stay two in the sheet (rt10 F6), and
    a backslash doubled (rt10 F8)."""
    return ShownText(shown_escaped(value, identifier=True)) if isinstance(value, str) else value


def pregnancy_cells(status) -> tuple[str, Any]:
    """The ``pregnant`` and ``pregnancy_weeks`` cells of a
    :class:`~radiculopathy_desktop.domain.intake.PregnancyStatus` (None: nothing recorded)."""
    if status is None or status.answer == "unknown":
        return "", ""
    if status.on_date is None:
        return "no", ""
    if status.on_date.beyond_plausible_end:
        return "ask", status.on_date.rule_weeks
    return "yes", status.on_date.weeks


def _pregnancy_on(records, as_of: dt.date) -> tuple[str, Any]:
    """The pregnancy cells of a case whose stored records (``Store.pregnancy_records``) are
    ``records`` (None: none recorded) on ``as_of``."""
    if not records:
        return "", ""
    from radiculopathy_desktop.domain.intake import pregnancy_status_from_records

    return pregnancy_cells(pregnancy_status_from_records(records, as_of))


#: How the ``pregnant`` cell says that another case of the patient contradicts this one's answer
#: (``domain.episodes.PregnancyDiffers``): "no (pregnancy differs)", "yes (pregnancy differs)",
#: "not asked (pregnancy differs)". rt21 F7, gp19 F11: the stale "not pregnant" row said plain
#: "no" beside a case recording her 31 weeks pregnant; a filter on "no" no longer takes it.
PREGNANCY_DIFFERS_CELL = "pregnancy differs"


def pregnancy_differs_cell(pregnant: str, differs) -> str:
    """The ``pregnant`` cell of a row (:func:`pregnancy_cells`) with, while ``differs`` stands,
    :data:`PREGNANCY_DIFFERS_CELL` said after the row's own answer ("not asked" for none)."""
    if differs is None:
        return pregnant
    return f"{pregnant or 'not asked'} ({PREGNANCY_DIFFERS_CELL})"


def medicine_content_version() -> str:
    """The medicine-safety content version (``resources/medicines/sources.toml``) the cases CSV's
    medicine columns were worked out with (rt19 F9: ``content_version`` is the guideline
    content's, which does not cover them); "unknown" when the data cannot be read."""
    from radiculopathy_desktop.domain.medications import MedicineDataError, load_medicine_data

    try:
        return load_medicine_data().content_version or "unknown"
    except (MedicineDataError, OSError):
        return "unknown"


def row_from_worklist(row, content_version: str | None = None, pregnancy: Mapping[str, Any] | None = None,
                      profile: str | None = None) -> dict[str, Any]:
    """A CSV row from a storage ``WorklistRow`` (the fast path for the worklist); ``pregnancy``:
    ``Store.pregnancy_records()`` (case_id -> records), None when no case records one;
    ``profile``: the one the rows' medicine columns were read under (None: an empty cell)."""
    pregnant, weeks = _pregnancy_on((pregnancy or {}).get(row.case_id), row.as_of)
    pregnant = pregnancy_differs_cell(pregnant, getattr(row, "pregnancy_differs", None))
    return {
        "case_id": _shown_id(row.case_id),
        "patient_id": _shown_id(row.patient_id),
        "patient_name": row.patient_name,
        "side": row.side,
        "care_start_date": row.care_start_date,
        "as_of": row.as_of,
        "days_since_care_start": row.days_since_care_start,
        "weeks_since_care_start": row.weeks_since_care_start,
        "status": row.status.value,
        "status_label": row.status.label,
        "reason": row.reason,
        "trend": row.trend,
        "resolved": row.resolved,
        "visit_count": row.visit_count,
        "last_visit_date": row.last_visit_date,
        "baseline_leg_nrs": row.baseline_leg_nrs,
        "latest_leg_nrs": row.latest_leg_nrs,
        "last_decision": DECISIONS.get(row.last_decision_kind, row.last_decision_kind or ""),
        "last_decision_date": row.last_decision_date,
        "continue_until": row.continue_until,
        "app_version": __version__,
        "content_version": content_version or guideline_content_version(),
        "pregnant": pregnant,
        "pregnancy_weeks": weeks,
        "dose_alerts": "; ".join(row.dose_alerts),
        "medicine_alerts": row.medicine_alert_words,
        "medicine_content_version": medicine_content_version(),
        "guideline_profile": profile,
        "would_not_consider_surgery": bool(getattr(row, "would_not_consider_surgery", False)),
    }


def row_from_case(case, as_of: dt.date, settings=None, content_version: str | None = None,
                  profile: str = "us") -> dict[str, Any]:
    """A CSV row from a domain ``Case`` (the engine's ``surgical_review`` on ``as_of``; the
    medicine columns under the guideline ``profile``, worked out as the store works out the
    worklist's: the dose alerts on the case's latest record, the alerts on ``as_of``)."""
    from radiculopathy_desktop.domain.followup import surgical_review
    from radiculopathy_desktop.domain.medications import case_dose_reductions
    from radiculopathy_desktop.domain.worklist_marks import alert_marks, marks_words

    review = surgical_review(case, as_of, settings)
    f = review.facts
    visits = case.visits_on_or_before(as_of)
    latest_leg = next((v.leg_nrs for v in reversed(visits) if v.leg_nrs is not None), case.intake.leg_nrs)
    pregnant, weeks = pregnancy_cells(case.pregnancy_status(as_of))
    return {
        "case_id": _shown_id(case.case_id),
        "patient_id": _shown_id(case.patient.id),
        "patient_name": case.patient.name,
        "side": case.intake.side,
        "care_start_date": case.intake.care_start_date,
        "as_of": as_of,
        "days_since_care_start": review.days_since_care_start,
        "weeks_since_care_start": review.weeks_since_care_start,
        "status": review.status.value,
        "status_label": review.status.label,
        "reason": review.reason,
        "trend": {True: "improving", False: "not improving", None: "unknown"}[review.improving],
        "resolved": f.resolved,
        "visit_count": len(visits) + 1,
        "last_visit_date": visits[-1].date if visits else case.intake.visit_date,
        "baseline_leg_nrs": case.review_baseline().leg_nrs,  # the intake's day's latest (rt21 F5)
        "latest_leg_nrs": latest_leg,
        "last_decision": DECISIONS.get(f.last_decision_kind, f.last_decision_kind or ""),
        "last_decision_date": f.last_decision_date,
        "continue_until": f.continue_until,
        "app_version": __version__,
        "content_version": content_version or guideline_content_version(),
        "pregnant": pregnant,
        "pregnancy_weeks": weeks,
        "dose_alerts": "; ".join(case_dose_reductions(case, (profile,)).get(profile, ())),
        "medicine_alerts": marks_words(alert_marks(case, as_of, profile)),
        "medicine_content_version": medicine_content_version(),
        "guideline_profile": profile,
        # path34: as the worklist row carries it (vocab.wish_stands: never beside a red flag)
        "would_not_consider_surgery": wish_stands(review.status, case.intake.would_consider_intervention == "no"),
    }


def write_rows(fh, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write the header and ``rows`` to an open text file; return the data row count."""
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    n = 0
    names = COLUMN_NAMES
    buffer = []
    for row in rows:
        buffer.append([safe_cell(row.get(name)) for name in names])
        if len(buffer) >= 2000:
            writer.writerows(buffer)
            n += len(buffer)
            buffer.clear()
    writer.writerows(buffer)
    return n + len(buffer)


#: Characters that can make ``csv.writer`` (default dialect, QUOTE_MINIMAL) quote or
#: escape a text cell, whatever the line ending: the delimiter, the quote, CR and LF. A
#: text with none of them is written exactly as it is (``tests/reports/test_csv_fields.py``
#: checks every code point); one with any goes through ``csv.writer`` itself.
_QUOTING = re.compile('[,"\r\n]').search


def csv_field_writer(lineterminator: str) -> Callable[[str], str]:
    """A function giving a text as ``csv.writer(..., lineterminator=lineterminator)`` writes
    it as one cell of a row of several: as it is, or (when it has one of the characters
    above) quoted by the csv module itself. Used by the per-column writers (issue 17),
    which join the cells of a line themselves. Made per output: it holds its own buffer, so
    two exports on two threads never share one."""
    one = io.StringIO()
    writer = csv.writer(one, lineterminator=lineterminator)
    cut = -(len(lineterminator) + 1)  # the empty second cell's "," and the line end

    def field(text: str) -> str:
        if not _QUOTING(text):
            return text
        one.seek(0)
        one.truncate()
        writer.writerow((text, ""))
        return one.getvalue()[:cut]

    return field


def csv_value(value: Any, field: Callable[[str], str]) -> str:
    """Any value as ``csv.writer`` writes it in a row of several: None empty, a number
    its ``str``, anything else its text through ``field`` (a :func:`csv_field_writer`)."""
    kind = type(value)
    if kind is str:
        return field(value)
    if value is None:
        return ""
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value)
    return field(str(value))


def _text_cell(value: str | None) -> str:
    """safe_cell for a text (or missing) value, without the type dispatch."""
    if value is None:
        return ""
    return "'" + value if value.startswith(_DANGEROUS) else value


def worklist_cells(rows: Iterable[Any], content_version: str | None = None,
                   pregnancy: Mapping[str, Any] | None = None, profile: str | None = None) -> Iterator[list]:
    """The CSV cells of storage ``WorklistRow`` objects: exactly
    ``[safe_cell(row_from_worklist(r, cv, pregnancy, profile)[c]) for c in COLUMN_NAMES]``, formatted per column
    (issue 17): the formula escape only where a cell holds text that can start with a
    formula character (ids, the name, the reason); codes, words from the vocabulary,
    numbers and dates as they are."""
    app = safe_cell(__version__)
    cv = safe_cell(content_version or guideline_content_version())
    mcv = safe_cell(medicine_content_version())
    shown_profile = "" if profile is None else safe_cell(profile)
    labels = DECISIONS
    from_ord, from_iso = dt.date.fromordinal, dt.date.fromisoformat
    trends = {None: "unknown", 0: "not improving", 1: "improving"}
    per_status: dict = {}
    danger = _DANGEROUS
    pregnancy = pregnancy or {}
    for r in rows:
        (case_id, patient_id, side, care_start, improving, _has_follow_up, resolved, _immediate, _why, kind,
         decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _follow_up,
         _rank) = r.raw
        status = r.status
        fixed = per_status.get((r.as_of, status))
        if fixed is None:
            fixed = per_status[(r.as_of, status)] = (r.as_of.isoformat(), status.value, status.label)
        days = r.as_of.toordinal() - care_start
        label = labels.get(kind, kind or "")
        reason = r.reason
        # the formula escape of safe_cell, inline, on the text columns (ids, name, side, reason,
        # decision label); None is an empty cell
        if (_HIDDEN_ID(case_id) or _HIDDEN_ID(patient_id) or (name is not None and _HIDDEN(name))
                or "\\" in case_id or "\\" in patient_id or (name is not None and "\\" in name)):
            case_id, patient_id = _shown_id(case_id), _shown_id(patient_id)
            name = None if name is None else shown_escaped(name)
        yield ["'" + case_id if case_id.startswith(danger) else case_id,
               "'" + patient_id if patient_id.startswith(danger) else patient_id,
               "" if name is None else ("'" + name if name.startswith(danger) else name),
               "'" + side if side.startswith(danger) else side,
               from_ord(care_start).isoformat(), fixed[0], days, max(days, 0) // 7, fixed[1], fixed[2],
               "'" + reason if reason.startswith(danger) else reason,
               trends[None if improving is None else int(bool(improving))],
               "yes" if resolved else "no", visit_count, from_iso(last_visit).isoformat(), baseline_leg,
               "" if latest_leg is None else latest_leg, "'" + label if label.startswith(danger) else label,
               from_iso(decided).isoformat() if decided else "", from_iso(until).isoformat() if until else "",
               app, cv, *_pregnancy_cells_of(r, pregnancy), *_alert_cells(r), mcv, shown_profile,
               "yes" if r.would_not_consider_surgery else "no"]  # path34


def _pregnancy_cells_of(r, pregnancy: Mapping[str, Any]) -> tuple[str, Any]:
    """The ``pregnant`` and ``pregnancy_weeks`` cells of a storage ``WorklistRow``."""
    pregnant, weeks = _pregnancy_on(pregnancy.get(r.case_id), r.as_of)
    return pregnancy_differs_cell(pregnant, r.pregnancy_differs), weeks


def _alert_cells(r) -> tuple[str, str]:
    """The ``dose_alerts`` and ``medicine_alerts`` cells of a storage ``WorklistRow`` (the
    engine's words: the formula escape all the same)."""
    return safe_cell("; ".join(r.dose_alerts)), safe_cell(r.medicine_alert_words)


class _Cached(dict):
    """``cache[key]`` computes ``make(key)`` once (few distinct dates, labels and sentences
    in a list of thousands of rows)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Any], str]):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


#: a text cell the fast line writers cannot copy as it is: one the formula escape changes
#: (it starts with a formula character), ``csv.writer`` quotes (see ``_QUOTING``) or that
#: holds a hidden character (written as its escape)
_SPECIAL_ASCII = re.compile('\\A[=+\\-@\t\r]|[,"\r\n\x00-\x1f\x7f\\\\]').search
_SPECIAL_ANY = re.compile('\\A[=+\\-@\t\r]|[,"\r\n\\\\]|' + REFUSED_IN_IDS.pattern).search


def SPECIAL_TEXT(text: str):  # noqa: N802 - kept as the name the callers know
    """A match when ``text`` starts with a formula character, holds one ``csv.writer``
    quotes, or a hidden character (what an identifier refuses, a superset of a name's:
    rt10 F6); None otherwise. An ASCII text (``str.isascii`` costs nothing) is searched for
    the ASCII ones only: the full class of invisible characters is a longer search."""
    return _SPECIAL_ASCII(text) if text.isascii() else _SPECIAL_ANY(text)
_FORMULA_AFTER_NUL = re.compile('\x00[=+\\-@\t\r]').search
#: a hidden character other than NUL (the separator :func:`plain_texts` joins cells with)
_HIDDEN_BUT_NUL_ANY = re.compile(REFUSED_IN_IDS.pattern.replace("\x00-", "\x01-", 1)).search
#: the ASCII characters that are not hidden, and NUL: deleted from an ASCII text's bytes, what is
#: left are its hidden characters (``[\x01-\x1f\x7f]``) other than NUL
_SHOWN_ASCII_AND_NUL = bytes([0, *range(0x20, 0x7f)])


def _HIDDEN_BUT_NUL(text: str):  # noqa: N802
    """Truthy when ``text`` holds a hidden character other than NUL (a match, or for an ASCII
    text its hidden characters' bytes), else None or empty. An ASCII text is checked by one
    ``bytes.translate`` that deletes every other character: the regex class scanned the
    person cells of 10,000 rows (about 450,000 characters) at about 60 instructions a
    character, 6 % of the export (issue 17, callgrind); this is a few a character."""
    if text.isascii():
        return text.encode("ascii").translate(None, _SHOWN_ASCII_AND_NUL)
    return _HIDDEN_BUT_NUL_ANY(text)


def plain_texts(cells: list) -> bool:
    """True only when every cell is text :data:`SPECIAL_TEXT` lets by (each can be copied
    into a line as it is), found by one join of them all and a few scans of it instead of a
    regex search per cell (issue 17: the per-cell searches were a third of the CSV text).
    Each cell starts the joined text or follows a NUL, so a cell starting with a formula
    character shows at the start or after a NUL, and a quoting or hidden character anywhere
    (a NUL inside a cell shows as one NUL too many: hidden, so special). False when a cell
    is special or is not text. False is never wrong, only slower: the caller then checks
    cell by cell."""
    try:
        joined = "\0".join(cells)
    except TypeError:
        return False
    if cells and joined.count("\0") != len(cells) - 1:
        return False
    return not (joined.startswith(_DANGEROUS) or _FORMULA_AFTER_NUL(joined) or "," in joined or '"' in joined
                or "\r" in joined or "\n" in joined or "\\" in joined or _HIDDEN_BUT_NUL(joined))


def plain_person_cells(rows: list) -> bool:
    """:func:`plain_texts` of the person-typed cells of storage ``WorklistRow`` objects:
    case id, patient id and name (raw[0], raw[1], raw[17]; a missing name is empty)."""
    raws = [r.raw for r in rows]
    return plain_texts([*map(itemgetter(0), raws), *map(itemgetter(1), raws),
                        *["" if name is None else name for name in map(itemgetter(17), raws)]])


def worklist_lines(rows: Iterable[Any], content_version: str | None = None,
                   pregnancy: Mapping[str, Any] | None = None, profile: str | None = None) -> Iterator[str]:
    """The lines ``csv.writer(lineterminator="\\r\\n").writerow`` writes for the cells of
    :func:`worklist_cells`, built directly (issue 17): each distinct date, label and
    sentence formatted once; a row whose person-typed text needs the formula escape or
    quoting, or whose numbers are not plain integers, goes cell by cell through
    :func:`worklist_cells` and :func:`csv_field_writer` (the csv module's own quoting)."""
    field = csv_field_writer("\r\n")
    cv = content_version or guideline_content_version()

    def text(value) -> str:  # safe_cell, then the csv field
        return csv_value(safe_cell(value), field)

    def slow(r) -> str:
        row = row_from_worklist(r, cv, pregnancy, profile)
        return ",".join([csv_value(safe_cell(row[c]), field) for c in COLUMN_NAMES]) + "\r\n"

    from radiculopathy_desktop.domain.followup import STATUS_ORDER
    from radiculopathy_desktop.storage.worklist import MARKS_WISH

    from_ord, from_iso = dt.date.fromordinal, dt.date.fromisoformat
    special = SPECIAL_TEXT
    rows = list(rows)
    plain = plain_person_cells(rows)  # no id or name needs the escape or quoting: no search per row
    num = _Cached(int.__repr__)  # plain integers (checked below): each distinct one formatted once
    tail = f",{text(__version__)},{text(cv)}"
    # the pregnancy and medicine cells: empty for a case recording no pregnancy and with no
    # stored medicine mark (most), else on the row's date
    pregnancy = pregnancy or {}
    mcv = f"{text(medicine_content_version())},{'' if profile is None else text(profile)}"  # and the profile
    nothing = tail + f",,,,,{mcv},no\r\n"  # no mark stored: would_not_consider_surgery is no
    # a row marked only by the patient's "would not consider surgery" (MARKS_WISH), with no
    # pregnancy recorded and no dose alert: the same empty cells, the answer said unless a red flag
    # stands (wish_stands, by the row's status rank), without the cell-by-cell tail (perfwl35)
    wished = [tail + f",,,,,{mcv},{'yes' if wish_stands(status, True) else 'no'}\r\n" for status in STATUS_ORDER]

    def marked_tail(r) -> str:
        pregnant, weeks = _pregnancy_cells_of(r, pregnancy)
        dose, medicine = _alert_cells(r)
        return (f"{tail},{pregnant},{weeks},{csv_value(dose, field)},{csv_value(medicine, field)},{mcv},"
                f"{'yes' if r.would_not_consider_surgery else 'no'}\r\n")

    iso = _Cached(lambda day: field(from_iso(day).isoformat()) if day else "")
    visited = _Cached(lambda day: field(from_iso(day).isoformat()))  # always a date (as in to_dict)
    label = _Cached(lambda kind: text(DECISIONS.get(kind, kind or "")))
    said = _Cached(text)
    statuses = [f"{field(status.value)},{field(status.label)}" for status in STATUS_ORDER]  # by rank (raw[RANK_AT])
    trends = {None: "unknown", 0: "not improving", 1: "improving"}
    trend = _Cached(lambda v: trends[None if v is None else int(bool(v))])
    as_of = care = None
    for r in rows:
        raw, marked, reason = r.output_parts()  # one call per row, not three properties
        (case_id, patient_id, side, care_start, improving, _has_follow_up, resolved, _immediate, _why, kind,
         decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _follow_up,
         rank) = raw
        if not (type(case_id) is str and type(patient_id) is str and (name is None or type(name) is str)
                and type(visit_count) is int and type(baseline_leg) is int
                and (latest_leg is None or type(latest_leg) is int)) \
                or (not plain and (special(case_id) or special(patient_id)
                                   or (name is not None and special(name)))):
            yield slow(r)
            continue
        if r.as_of != as_of:  # care start, as_of, days and weeks: made once per date and care start day
            as_of = r.as_of
            care = _Cached(lambda start, day=as_of.toordinal(), on=field(as_of.isoformat()): (
                f"{field(from_ord(start).isoformat())},{on},{day - start},{(day - start) // 7 if day > start else 0}"))
        if case_id in pregnancy or r.dose_alerts or marked > MARKS_WISH:
            end = marked_tail(r)
        else:
            end = wished[rank] if marked else nothing
        yield (f"{case_id},{patient_id},{'' if name is None else name},{said[side]},{care[care_start]},"
               f"{statuses[rank]},{said[reason]},{trend[improving]},{'yes' if resolved else 'no'},"
               f"{num[visit_count]},{visited[last_visit]},{num[baseline_leg]},"
               f"{'' if latest_leg is None else num[latest_leg]},{label[kind]},{iso[decided]},{iso[until]}"
               f"{end}")


def export_worklist_csv(rows: Iterable[Any], path: Path, *, content_version: str | None = None,
                        overwrite: bool = True, on_complete: Callable[[int], None] | None = None,
                        pregnancy: Mapping[str, Any] | None = None, profile: str | None = None) -> int:
    """:func:`export_csv` of ``row_from_worklist`` rows, the same bytes, formatted per column
    (:func:`worklist_lines`) and written in large pieces through the same checked writer
    (every write checked, fsynced, the row count read back)."""
    count = [0]
    with checked_output(Path(path), text=True, encoding="utf-8-sig", newline="", overwrite=overwrite,
                        verify=verify_csv_rows(lambda: count[0]),
                        on_complete=None if on_complete is None else (lambda: on_complete(count[0]))) as fh:
        lines = worklist_lines(rows, content_version, pregnancy, profile)
        header = io.StringIO()
        csv.writer(header, lineterminator="\r\n").writerow(COLUMN_NAMES)
        fh.write(header.getvalue())
        while batch := list(islice(lines, 1000)):  # bounded memory, few writes (pieces of about 250 kB:
            # larger ones were slower, each a fresh block of memory to fault in)
            fh.write("".join(batch))
            count[0] += len(batch)
    return count[0]


def export_audit_detail(as_of: dt.date, profile: str, medicine_alerts: bool = False,
                        statuses=None) -> dict:
    """The audit detail of a cases or worklist CSV export, the same from the command line and
    the window (rt19 F9): the list's date and guideline profile (which the medicine columns
    are read under), the Medicine alerts filter, and the window's statuses; the row count is
    added when the file is complete."""
    detail: dict = {"as_of": as_of.isoformat(), "profile": profile}
    if statuses is not None:
        detail["statuses"] = [getattr(s, "value", s) for s in statuses]
    if medicine_alerts:
        detail["medicine_alerts"] = True
    return detail


def export_cases_csv(store, path: Path, as_of: dt.date, statuses, *, profile: str, search: str | None = None,
                     medicine_alerts_only: bool = False, content_version: str | None = None, overwrite: bool = True,
                     on_complete: Callable[[int], None] | None = None, today: dt.date | None = None) -> int:
    """The cases CSV of a worklist filter: what ``store.worklist(as_of, statuses, search,
    profile, medicine_alerts_only)`` lists, with the pregnancy answers standing on ``as_of``
    and the medicine columns under ``profile``. The one path of the window's "Export CSV..."
    and ``export cases`` (gp17 F11: the window's export of the Medicine alerts filter had no
    column saying why a case was on it, and the medicine columns follow the profile). ``today``:
    the date today when ``as_of`` may be a past one (rt21 F6)."""
    rows = store.worklist(as_of, statuses=list(statuses), search=search or None, profile=profile,
                          medicine_alerts_only=medicine_alerts_only, today=today)
    pregnancy = store.pregnancy_records()  # the pregnancy columns, on as_of
    # per-column formatting: the same bytes as export_csv(row_from_worklist(...)), faster (issue 17)
    return export_worklist_csv(rows, path, content_version=content_version, overwrite=overwrite,
                               on_complete=on_complete, pregnancy=pregnancy, profile=profile)


def export_csv(rows: Iterable[Mapping[str, Any]], path: Path, *, overwrite: bool = True,
               on_complete: Callable[[int], None] | None = None) -> int:
    """Write ``rows`` to ``path`` as UTF-8 with BOM through the checked writer (every write
    checked, fsynced, the row count read back); return the row count. ``on_complete(n)``
    runs once the file is whole, before it is put in place (the audit row)."""
    count = [0]
    with checked_output(Path(path), text=True, encoding="utf-8-sig", newline="", overwrite=overwrite,
                        verify=verify_csv_rows(lambda: count[0]),
                        on_complete=None if on_complete is None else (lambda: on_complete(count[0]))) as fh:
        count[0] = write_rows(fh, rows)
    return count[0]


def columns_markdown() -> str:
    """The column table for ``docs/csv-columns.md``."""
    lines = ["| # | Column | Meaning |", "|---|--------|---------|"]
    lines += [f"| {i} | `{name}` | {meaning} |" for i, (name, meaning) in enumerate(COLUMNS, start=1)]
    return "\n".join(lines)
