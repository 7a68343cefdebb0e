"""Fast writers for ``worklist --format json|csv`` (issue 17), byte for byte the same output.

* JSON: ``json.dumps(..., indent=1)`` cannot use the C encoder (CPython only uses it
  without indentation) and spent 74 % of the command in the pure-Python encoder. Here
  every string is escaped by the C ``encode_basestring`` and the known value types are
  laid out with the same indentation ``json.dumps(indent=1, ensure_ascii=False)`` uses;
  anything else (a float, a new nested value) falls back to ``json.dumps`` for that value.
  :func:`worklist_rows_json` goes further for the command: each storage ``WorklistRow``
  is written as text straight from the query's columns, with no dict per row, and each
  distinct date, decision and sentence is encoded once per output.
* CSV: the formula escape (``_csv_safe``) is applied only to the columns that hold text
  typed by a person (case and patient ids, the patient's name) or engine words that could
  in principle start with a formula character (the reason, the dose alerts), and there
  only to a cell that starts with one of :data:`FORMULA_STARTS`; dates, numbers and
  booleans cannot start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return. The
  decision code is escaped too: in a sound database it is a vocabulary word, but a damaged
  or hand-edited row can hold any text there (red-team rt6 F3).
  Each line is joined here (not by ``csv.writer``): a text cell is copied as it is unless
  it holds a character ``csv.writer`` quotes, and then the csv module quotes it
  (``reports.csv_export.csv_field_writer``); the text is written once.
* A row holding what only a damaged database could (an id that is not text, a count that
  is not an integer) goes through the plain path (``to_dict``, cell by cell).

``tests/cli/test_worklist_output_hostile.py`` compares both with ``json.dumps`` /
``csv.writer`` of ``to_dict`` on generated hostile rows.

``tests/cli/test_output_golden.py`` and ``tests/cli/test_batch_outputs_golden.py`` hold
digests of the outputs from before this module and before the per-column writers.
"""

from __future__ import annotations

import csv
import io
import json
from json.encoder import encode_basestring  # the C escaper (ensure_ascii=False)
import datetime as dt
from typing import Any, Iterable, Iterator

#: the characters a spreadsheet may read as the start of a formula (OWASP CSV injection);
#: the escape (``safe``) must leave every other text as it is
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_from_ord = dt.date.fromordinal
_from_iso = dt.date.fromisoformat
_SCALARS = {True: "true", False: "false", None: "null"}


def _value(value: Any, indent: str) -> str:
    """``value`` as ``json.dumps(value, indent=1, ensure_ascii=False)`` writes it at ``indent``."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is bool or value is None:
        return _SCALARS[value]
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + " "
        return ("{\n" + ",\n".join(f"{inner}{encode_basestring(k)}: {_value(v, inner)}" for k, v in value.items())
                + "\n" + indent + "}") if all(type(k) is str for k in value) else _fallback(value, indent)
    if kind is list:
        if not value:
            return "[]"
        inner = indent + " "
        return "[\n" + ",\n".join(inner + _value(v, inner) for v in value) + "\n" + indent + "]"
    return _fallback(value, indent)


def _fallback(value: Any, indent: str) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return text.replace("\n", "\n" + indent)


_SENTINEL = "\x00rd-nested\x00"
_ENCODED_SENTINEL = json.dumps(_SENTINEL)
_ROW_ENCODERS: dict[str, Any] = {}


def _row(row: dict, indent: str) -> str:
    """One row at ``indent``: its flat values through the C encoder, with the item separator
    carrying the indentation; nested non-empty values laid out by :func:`_value`."""
    inner = indent + " "
    encode = _ROW_ENCODERS.get(inner)
    if encode is None:
        encode = _ROW_ENCODERS[inner] = json.JSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": ")).encode
    nested = [k for k, v in row.items() if type(v) in (dict, list) and v]
    if not row or any(type(k) is not str for k in row):
        return _value(row, indent)
    if not nested:
        return "{\n" + inner + encode(row)[1:-1] + "\n" + indent + "}"
    flat = {k: (_SENTINEL if k in nested else v) for k, v in row.items()}
    text = encode(flat)
    if text.count(_ENCODED_SENTINEL) != len(nested):  # a value equal to the marker: take the slow path
        return _value(row, indent)
    pieces = text[1:-1].split(_ENCODED_SENTINEL)
    out = [pieces[0]]
    for k, piece in zip(nested, pieces[1:]):
        out.append(_value(row[k], inner))
        out.append(piece)
    return "{\n" + inner + "".join(out) + "\n" + indent + "}"


def worklist_json(payload: dict, rows: Iterable[dict]) -> str:
    """``json.dumps({**payload, "rows": list(rows)}, ensure_ascii=False, indent=1) + "\\n"``, faster.

    ``payload`` must not hold "rows" (it is written last, as the command always did).
    """
    head = json.dumps({**payload, "rows": []}, ensure_ascii=False, indent=1)
    assert head.endswith('"rows": []\n}')
    parts = [_row(r, "  ") if type(r) is dict else _value(r, "  ") for r in rows]
    if not parts:
        return head + "\n"
    return head[: -len("[]\n}")] + "[\n  " + ",\n  ".join(parts) + "\n ]\n}\n"


def _j(value: Any) -> str:
    """One scalar as ``json.dumps(value, ensure_ascii=False)`` writes it (the common types
    without a call into the encoder)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


class _Cached(dict):
    """``cache[key]`` is ``make(key)``, computed once per distinct key."""

    __slots__ = ("make",)

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


def _row_texts(rows: Iterable[Any], decisions: dict[str, str]) -> Iterator[str]:
    """Each storage ``WorklistRow`` as the text ``_row(row.to_dict(), "  ")`` gives, formatted
    per column straight from the query's columns (no dict per row): each distinct date,
    decision and sentence encoded once, the status's and the care start's pieces once per
    status and care start day of each ``as_of``; a row with unexpected types goes through
    ``to_dict``."""
    from radiculopathy_desktop.domain.followup import STATUS_ORDER
    from radiculopathy_desktop.domain.vocab import wish_stands
    from radiculopathy_desktop.storage.worklist import MARKS_WISH

    enc = encode_basestring
    # a row marked only by the patient's "would not consider surgery" (MARKS_WISH) stays on this
    # path: its medicine and pregnancy values are empty, and the answer is said unless a red flag
    # stands (wish_stands, by the row's status rank)
    wishes = ["true" if wish_stands(status, True) else "false" for status in STATUS_ORDER]
    visit = _Cached(lambda text: _from_iso(text).isoformat())
    said = _Cached(enc)

    def decision(key) -> str:
        kind, decided, until = key
        if kind is None:
            return "null"
        return (f'{{\n    "kind": {_j(kind)},\n    "label": {enc(decision_label(kind, decisions))},\n    "date": '
                f'{enc(_from_iso(decided).isoformat()) if decided else "null"},\n    "until": '
                f'{enc(_from_iso(until).isoformat()) if until else "null"}\n   }}')

    last = _Cached(decision)
    flags = {(i, f): f'{"null" if i is None else ("true" if i else "false")},\n   "has_follow_up": '
                     f'{"true" if f else "false"}' for i in (None, 0, 1) for f in (0, 1)}
    num = _Cached(int.__repr__)  # plain integers (checked below): each distinct one formatted once
    as_of = heads = care = None
    for r in rows:
        raw, marked, reason = r.output_parts()  # one call per row, not three properties
        (case_id, patient_id, _side, care_start, improving, has_follow_up, _resolved, _immediate, _why, kind,
         decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _follow_up,
         rank) = raw
        if not (type(case_id) is str and type(patient_id) is str and (name is None or type(name) is str)
                and type(visit_count) is int and type(baseline_leg) is int
                and (latest_leg is None or type(latest_leg) is int)) \
                or marked > MARKS_WISH:  # text and plain integers (else to_dict); medicine/pregnancy marks: to_dict
            yield _row(r.to_dict(), "  ")
            continue
        if r.as_of != as_of:  # the pieces that depend on the date: once per date (one per query)
            as_of = r.as_of
            day = as_of.toordinal()
            heads = [f',\n   "status": {enc(status.value)},\n   "status_label": {enc(status.label)},\n   '
                     f'"as_of": "{as_of.isoformat()}",\n   "care_start_date": "' for status in STATUS_ORDER]
            care = _Cached(lambda start, day=day: (
                f'{_from_ord(start).isoformat()}",\n   "days_since_care_start": {day - start},\n   '
                f'"weeks_since_care_start": {(day - start) // 7 if day > start else 0},\n   "improving": '))
        flag = flags.get((improving, has_follow_up))
        if flag is None:  # a flag other than 0/1/None (to_dict reads it as a truth value)
            flag = flags[None if improving is None else int(bool(improving)), int(bool(has_follow_up))]
        alerts = r.dose_alerts
        alerts_text = ("[\n    " + ",\n    ".join(map(enc, alerts)) + "\n   ]") if alerts else "[]"
        yield (f'{{\n   "case_id": {enc(case_id)},\n   "patient_id": {enc(patient_id)},\n   "patient_name": '
               f'{"null" if name is None else enc(name)}{heads[rank]}{care[care_start]}{flag},\n   '
               f'"last_visit_date": "{visit[last_visit]}",\n   "visit_count": {num[visit_count]},\n   '
               f'"baseline_leg_nrs": {num[baseline_leg]},\n   "latest_leg_nrs": '
               f'{"null" if latest_leg is None else num[latest_leg]},\n   "last_decision": '
               f'{"null" if kind is None else last[kind, decided, until]},\n   "reason": {said[reason]},\n   '
               f'"dose_alerts": {alerts_text},\n   "medicine_alerts": [],\n   "pregnancy": null,\n   '
               f'"would_not_consider_surgery": {wishes[rank] if marked else "false"}\n  }}')


def worklist_rows_json(payload: dict, rows: Iterable[Any]) -> str:
    """``worklist_json(payload, (r.to_dict() for r in rows))`` for storage ``WorklistRow``
    objects, the same bytes, each row formatted per column and the whole written once."""
    from radiculopathy_desktop.domain.vocabulary import DECISIONS

    head = json.dumps({**payload, "rows": []}, ensure_ascii=False, indent=1)
    assert head.endswith('"rows": []\n}')
    parts = list(_row_texts(rows, DECISIONS))
    if not parts:
        return head + "\n"
    # One join makes the whole text: the head and the tail ride on the first and last rows,
    # so megabytes of text are not copied again into a fresh string per "+" (at 10,000 rows
    # each copy of the 6.5 MB text cost more than the joining itself).
    parts[0] = head[: -len("[]\n}")] + "[\n  " + parts[0]
    parts[-1] += "\n ]\n}\n"
    return ",\n  ".join(parts)


def decision_label(kind: Any, decisions: dict[str, str]) -> str:
    """A decision's label; a code this version does not know (a damaged or hand-edited row)
    is shown as its code, as ``case`` shows it (``vocabulary.decision_sentence``), never a crash."""
    label = decisions.get(kind) if isinstance(kind, str) else None
    return str(kind) if label is None else label


def _csv_cells(r, safe) -> tuple:
    """One row's cells for :func:`worklist_csv`, as ``to_dict`` gives them, the formula
    escape ``safe`` on the person-typed and free-text cells that start with a formula
    character (the generic path, and the reference of the fast one)."""
    from radiculopathy_desktop.domain.characters import shown_escaped

    (case_id, patient_id, _side, care_start, improving, has_follow_up, _resolved, _immediate, _why, kind,
     decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _follow_up,
     _rank) = r.raw
    danger = FORMULA_STARTS
    days = r.as_of.toordinal() - care_start
    reason = r.reason
    alerts = "; ".join(r.dose_alerts)
    medicine = r.medicine_alert_words
    pregnancy = r.pregnancy[1]
    bools = ("false", "true")

    def person(text, identifier=None):  # typed by a person: text from the database, or whatever a damaged one holds
        if type(text) is not str:
            return text
        if identifier is not None:  # an id or a name, shown as `export cases` shows it: hidden characters
            # (a stored line feed too: a name is one line) as \\uXXXX, a backslash doubled (rt10 F15, F8)
            text = shown_escaped(text, identifier=identifier)
        return safe(text) if text.startswith(danger) else text

    return (
        r.status.value, person(case_id, True), person(patient_id, True), person(name, False),
        _from_ord(care_start).isoformat(),
        days, max(days, 0) // 7, "" if improving is None else bools[bool(improving)],
        bools[bool(has_follow_up)], _from_iso(last_visit).isoformat(), visit_count, baseline_leg, latest_leg,
        person(kind or ""), _from_iso(decided).isoformat() if decided else "",
        _from_iso(until).isoformat() if until else "", safe(reason) if reason.startswith(danger) else reason,
        safe(alerts) if alerts.startswith(danger) else alerts, medicine, pregnancy,
        # path34: the intake's "would not consider surgery" as the JSON says it (never beside a red flag)
        bools[bool(r.would_not_consider_surgery)])


def worklist_csv(columns: Iterable[str], rows: Iterable[Any], safe) -> str:
    """The worklist CSV (header, then one line per row) as one string: exactly what
    ``csv.writer(lineterminator="\\n")`` writes for :func:`_csv_cells` of each row. ``safe``
    is the formula escape, applied to the person-typed and free-text columns only.

    Each line is built directly: each distinct date, code and sentence formatted once,
    text cells copied as they are unless they start with a formula character or hold a
    character ``csv.writer`` quotes (then the row goes cell by cell through the csv
    module's own quoting, ``reports.csv_export.csv_field_writer``)."""
    from radiculopathy_desktop.domain.followup import STATUS_ORDER
    from radiculopathy_desktop.domain.vocab import wish_stands
    from radiculopathy_desktop.reports.csv_export import (SPECIAL_TEXT, csv_field_writer, csv_value,
                                                          plain_person_cells)
    from radiculopathy_desktop.storage.worklist import MARKS_WISH

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(columns)
    field = csv_field_writer("\n")
    danger = FORMULA_STARTS

    def text(value: str) -> str:
        return field(safe(value) if value.startswith(danger) else value)

    def slow(r) -> str:
        return ",".join([csv_value(c, field) for c in _csv_cells(r, safe)]) + "\n"

    special = SPECIAL_TEXT
    rows = list(rows)
    plain = plain_person_cells(rows)  # no id or name needs the escape or quoting: no search per row
    num = _Cached(int.__repr__)  # plain integers (checked below): each distinct one formatted once
    iso = _Cached(lambda day: field(_from_iso(day).isoformat()) if day else "")
    visited = _Cached(lambda day: field(_from_iso(day).isoformat()))  # always a date (as in to_dict)
    said = _Cached(text)
    # the decision code: a word from the vocabulary in a sound database, but a damaged row
    # may hold any text there (rt6 F3), so it gets the formula escape as every text cell does
    kinds = _Cached(lambda value: text(value) if isinstance(value, str) else csv_value(value or "", field))
    codes = [field(status.value) for status in STATUS_ORDER]  # by the row's status rank (raw[RANK_AT])
    # would_not_consider_surgery of a row marked only by the patient's answer (MARKS_WISH; its
    # medicine and pregnancy cells are empty): said unless a red flag stands, by status rank
    wishes = ["true" if wish_stands(status, True) else "false" for status in STATUS_ORDER]
    flags = {(i, f): f'{"" if i is None else ("true" if i else "false")},{"true" if f else "false"}'
             for i in (None, 0, 1) for f in (0, 1)}
    out = [buf.getvalue()]
    append = out.append
    as_of = care = None
    for r in rows:
        raw, marked, reason = r.output_parts()  # one call per row, not three properties
        (case_id, patient_id, _side, care_start, improving, has_follow_up, _resolved, _immediate, _why, kind,
         decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _follow_up,
         rank) = raw
        if not (type(case_id) is str and type(patient_id) is str and (name is None or type(name) is str)
                and type(visit_count) is int and type(baseline_leg) is int
                and (latest_leg is None or type(latest_leg) is int)) \
                or (not plain and (special(case_id) or special(patient_id)
                                   or (name is not None and special(name)))) or marked > MARKS_WISH:
            append(slow(r))  # (a medicine-safety or pregnancy mark too: cell by cell)
            continue
        if r.as_of != as_of:  # the care start's cells depend on the date: made once per date and day
            as_of = r.as_of
            care = _Cached(lambda start, day=as_of.toordinal(): (
                f"{_from_ord(start).isoformat()},{day - start},{(day - start) // 7 if day > start else 0}"))
        flag = flags.get((improving, has_follow_up))
        if flag is None:  # a flag other than 0/1/None (to_dict reads it as a truth value)
            flag = flags[None if improving is None else int(bool(improving)), int(bool(has_follow_up))]
        alerts = r.dose_alerts
        append(f"{codes[rank]},{case_id},{patient_id},{'' if name is None else name},{care[care_start]},{flag},"
               f"{visited[last_visit]},{num[visit_count]},{num[baseline_leg]},"
               f"{'' if latest_leg is None else num[latest_leg]},"
               f"{kinds[kind]},{iso[decided]},{iso[until]},{said[reason]},"
               f"{text('; '.join(alerts)) if alerts else ''},,,{wishes[rank] if marked else 'false'}\n")
    return "".join(out)
