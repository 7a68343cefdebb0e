"""Fast writers for ``worklist --format json|csv`` (issue 17), byte for byte the same output.

* JSON: ``json.dumps(..., indent=1)`` cannot use the C encoder (CPython only uses it
  without indentation) and spent 74 % of the command in the pure-Python encoder. Here
  every string is escaped by the C ``encode_basestring`` and the known value types are
  laid out with the same indentation ``json.dumps(indent=1, ensure_ascii=False)`` uses;
  anything else (a float, a new nested value) falls back to ``json.dumps`` for that value.
  :func:`worklist_rows_json` goes further for the command: each storage ``WorklistRow``
  is written as text straight from the query's columns, with no dict per row.
* CSV: the formula escape (``_csv_safe``) is applied only to the columns that hold text
  typed by a person (case and patient ids, the patient's name) or engine words that could
  in principle start with a formula character (the reason, the dose alerts), and there
  only to a cell that starts with one of :data:`FORMULA_STARTS`; codes, dates, numbers
  and booleans cannot start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return.
  The rows are built in memory and written once.

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


def _row_texts(rows: Iterable[Any], decisions: dict[str, str]) -> Iterator[str]:
    """Each storage ``WorklistRow`` as the text ``_row(row.to_dict(), "  ")`` gives, formatted
    per column straight from the query's columns (no dict per row)."""
    enc = encode_basestring
    iso: dict = {}
    for r in rows:
        (case_id, patient_id, _side, care_start, improving, has_follow_up, _resolved, _immediate, _why, kind,
         decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _rank) = r.raw
        status = r.status
        as_of = r.as_of
        head = iso.get((as_of, status))
        if head is None:
            head = iso[(as_of, status)] = (f',\n   "status": {enc(status.value)},\n   "status_label": '
                                           f'{enc(status.label)},\n   "as_of": "{as_of.isoformat()}"')
        days = as_of.toordinal() - care_start
        if kind is None:
            last = "null"
        else:
            last = (f'{{\n    "kind": {enc(kind)},\n    "label": {enc(decisions[kind])},\n    "date": '
                    f'{enc(_from_iso(decided).isoformat()) if decided else "null"},\n    "until": '
                    f'{enc(_from_iso(until).isoformat()) if until else "null"}\n   }}')
        alerts = r.dose_alerts
        alerts_text = ("[\n    " + ",\n    ".join(map(enc, alerts)) + "\n   ]") if alerts else "[]"
        yield (f'{{\n   "case_id": {_j(case_id)},\n   "patient_id": {_j(patient_id)},\n   "patient_name": '
               f'{_j(name)}{head},\n   "care_start_date": "{_from_ord(care_start).isoformat()}",\n   '
               f'"days_since_care_start": {days},\n   "weeks_since_care_start": {max(days, 0) // 7},\n   '
               f'"improving": {"null" if improving is None else ("true" if improving else "false")},\n   '
               f'"has_follow_up": {"true" if has_follow_up else "false"},\n   "last_visit_date": '
               f'"{_from_iso(last_visit).isoformat()}",\n   "visit_count": {_j(visit_count)},\n   '
               f'"baseline_leg_nrs": {_j(baseline_leg)},\n   "latest_leg_nrs": {_j(latest_leg)},\n   '
               f'"last_decision": {last},\n   "reason": {enc(r.reason)},\n   "dose_alerts": {alerts_text}\n  }}')


def worklist_rows_json(payload: dict, rows: Iterable[Any]) -> str:
    """``worklist_json(payload, (r.to_dict() for r in rows))`` for storage ``WorklistRow``
    objects, the same bytes, each row formatted per column and the whole written once."""
    from radiculopathy_desktop.domain.vocabulary import DECISIONS

    head = json.dumps({**payload, "rows": []}, ensure_ascii=False, indent=1)
    assert head.endswith('"rows": []\n}')
    parts = list(_row_texts(rows, DECISIONS))
    if not parts:
        return head + "\n"
    return head[: -len("[]\n}")] + "[\n  " + ",\n  ".join(parts) + "\n ]\n}\n"


def worklist_csv(columns: Iterable[str], rows: Iterable[Any], safe) -> str:
    """The worklist CSV (header, then one line per row) as one string; ``safe`` is the
    formula escape, applied to the person-typed and free-text columns only. The cells
    come straight from the query's columns, formatted per column (dates from their stored
    ISO text, flags as ``true``/``false``), the same cells ``to_dict`` gave."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    out = []
    append = out.append
    bools = ("false", "true")
    danger = FORMULA_STARTS
    for r in rows:
        (case_id, patient_id, _side, care_start, improving, has_follow_up, _resolved, _immediate, _why, kind,
         decided, until, _latest, last_visit, visit_count, baseline_leg, latest_leg, name, _rank) = r.raw
        days = r.as_of.toordinal() - care_start
        reason = r.reason
        alerts = "; ".join(r.dose_alerts)
        # ``safe`` only where a cell starts with a formula character (the rest it returns as is)
        append((
            r.status.value, safe(case_id) if case_id.startswith(danger) else case_id,
            safe(patient_id) if patient_id.startswith(danger) else patient_id,
            safe(name) if name is not None and name.startswith(danger) else name, _from_ord(care_start).isoformat(),
            days, max(days, 0) // 7, "" if improving is None else bools[bool(improving)],
            bools[bool(has_follow_up)], _from_iso(last_visit).isoformat(), visit_count, baseline_leg, latest_leg,
            kind or "", _from_iso(decided).isoformat() if decided else "",
            _from_iso(until).isoformat() if until else "", safe(reason) if reason.startswith(danger) else reason,
            safe(alerts) if alerts.startswith(danger) else alerts))
    writer.writerows(out)
    return buf.getvalue()
