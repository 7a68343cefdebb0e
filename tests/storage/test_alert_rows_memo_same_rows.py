"""The medicine-alert rows an import stores are the same whether the batch shares one medicine
memo (names typed on many intakes read once: the demo cohort with medicines took four times as
long to import as without) or every case is read afresh: the memo keeps only what is a function
of a medicine's text and dose, nothing of a patient."""
import datetime as dt

from radiculopathy_desktop import demo
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import MedicineMemo, _medicine_entry
from radiculopathy_desktop.storage import store as store_module


def _cases(n=120):
    return [parse_case(d) for d in demo.generate_case_dicts(n, seed=7, as_of=dt.date(2026, 6, 1), medicines=True)]


def test_a_shared_memo_gives_the_same_rows_as_no_memo_for_every_case():
    cases = _cases()
    with_medicines = [c for c in cases if c.intake.medicines]
    assert len(with_medicines) > 40  # the cohort exercises the medicine engine
    memo = MedicineMemo()
    shared = [store_module._alert_rows(c, memo) for c in cases]
    fresh = [store_module._alert_rows(c) for c in cases]
    assert shared == fresh
    assert sum(bool(r) for r in shared) > 20  # rows with alerts are compared, not only empty ones
    assert memo.entries  # the memo was used


def test_the_batch_memo_reads_each_typed_name_once(monkeypatch):
    calls = []

    def counted(name, dose, data):
        calls.append((name, repr(dose)))
        return _medicine_entry(name, dose, data)

    monkeypatch.setattr("radiculopathy_desktop.domain.medications._medicine_entry", counted)
    cases = _cases(60)
    memo = MedicineMemo()
    for c in cases:
        store_module._alert_rows(c, memo)
    assert calls and len(calls) == len(set(calls))
