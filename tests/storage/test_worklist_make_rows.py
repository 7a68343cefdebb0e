"""``storage.worklist.make_rows`` fills each row as ``WorklistRow.__init__`` does (issue 17: the
worklist's rows are made without a call of ``__init__`` per row), and ``case_ids`` is the rows'
``case_id``s; checked on generated query rows of every status and on a real store's worklist."""

from __future__ import annotations

import datetime as dt
import random

from radiculopathy_desktop.domain.followup import STATUS_ORDER, status_from_facts
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.storage.worklist import RANK_AT, WorklistRow, case_ids, make_rows

from tests.storage.test_worklist_reason_key import AS_OF, _raw

SLOTS = WorklistRow.__slots__
#: the slots the store fills after make_rows, from the stored marks (attach_dose_alerts,
#: attach_pregnancy_differs); make_rows gives them the constructor's empty values
ATTACHED = ("dose_alerts", "_spans", "_pregnancy", "pregnancy_differs", "consider_no")  # path34: the stored "no"


def _ranked(rng: random.Random, n: int) -> list[tuple]:
    s = default_review_settings()
    out = []
    for i in range(n):
        raw = _raw(rng)
        raw[0], raw[1] = f"C-{i}", f"P-{i % 7}"
        raw[RANK_AT] = STATUS_ORDER.index(status_from_facts(WorklistRow(tuple(raw), AS_OF, s).facts(), AS_OF, s)[0])
        out.append(tuple(raw))
    return out


def test_every_slot_is_what_the_constructor_gives():
    rng = random.Random(23)
    raws = _ranked(rng, 600)
    s = default_review_settings()
    made = make_rows(iter(raws), AS_OF, s)  # any iterable of query rows (a cursor)
    built = [WorklistRow(r, AS_OF, s) for r in raws]
    assert len(made) == len(built) == 600
    assert len({r.status for r in made}) >= 6  # rows of many statuses (each row's compared below)
    for m, b in zip(made, built):
        for name in SLOTS:
            if name == "_reasons":
                continue  # one cache per query: compared below
            assert getattr(m, name) == getattr(b, name), name
        assert m.raw is b.raw  # the query's tuple itself, as read
        assert m.reason == b.reason and m.to_dict() == b.to_dict()
    assert len({id(r._reasons) for r in made}) == 1  # one sentence cache for the query's rows
    assert made[0]._reasons is not make_rows(raws[:1], AS_OF, s)[0]._reasons  # and a new one per query


def test_no_rows_and_case_ids_in_order():
    s = default_review_settings()
    assert make_rows([], AS_OF, s) == [] and case_ids([]) == []
    rows = make_rows(_ranked(random.Random(4), 50), AS_OF, s)
    assert case_ids(rows) == [r.case_id for r in rows] == [f"C-{i}" for i in range(50)]


def test_a_stores_worklist_is_made_by_it(tmp_path):
    """The walk of every status (the batch outputs') gives rows equal to the constructor's."""
    from radiculopathy_desktop.demo import generate_case_dicts
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore

    with CaseStore.open(tmp_path) as store:
        store.import_cases([parse_case(d) for d in generate_case_dicts(40, seed=3, as_of=AS_OF)])
        rows = store.worklist(AS_OF, statuses=list(STATUS_ORDER))
        assert len(rows) == 40
        # the store attaches each case's stored marks after making the rows: the constructor's
        # row is given the same marks, so what is compared is what make_rows made
        marked = 0
        for r in rows:
            a = WorklistRow(r.raw, r.as_of, r.settings)
            for name in SLOTS:
                if name not in ATTACHED and name != "_reasons":
                    assert getattr(r, name) == getattr(a, name), name
            for name in ATTACHED:
                setattr(a, name, getattr(r, name))
            marked += r.has_marks
            assert (r.status, r.reason, r.to_dict()) == (a.status, a.reason, a.to_dict())
        assert marked  # some rows carry marks (e.g. would not consider surgery), so they are compared too
        assert case_ids(rows) == [r.case_id for r in rows]


def test_the_stored_wish_only_text_is_taken_without_decoding_and_fills_what_decoding_fills(tmp_path):
    """perfwl35 (issue 17): a case whose stored marks are only the patient's "would not consider
    surgery" is stored as exactly ``WISH_ONLY_ALERTS`` (so the shortcut is taken on real data), and
    ``take_stored_alerts`` fills every slot of such a row as ``WorklistRow.take_stored_alerts`` of
    the decoded text does; other texts (marks beside the wish, the same document spaced
    otherwise) go through the decoder and give the same slots as before."""
    import json

    from radiculopathy_desktop.demo import generate_case_dicts
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.storage.worklist import WISH_ONLY_ALERTS, take_stored_alerts

    assert json.loads(WISH_ONLY_ALERTS) == {"consider": "no"}
    with CaseStore.open(tmp_path) as store:
        store.import_cases([parse_case(d) for d in generate_case_dicts(60, seed=3, as_of=AS_OF, medicines=False)])
        stored = dict(store._db.conn.execute("SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = 'us'"))
        rows = store.worklist(AS_OF, statuses=list(STATUS_ORDER))
    assert WISH_ONLY_ALERTS in stored.values()  # the store's own text for a wish-only case
    assert any(r.consider_no for r in rows) and any(not r.consider_no for r in rows)
    texts = [WISH_ONLY_ALERTS, '{"consider": "no"}', '{"consider":"no","dose":["Reduce dose"]}',
             '{"dose":[],"spans":[["x"]],"consider":"no"}', '{"dose":["Reduce dose"]}', '["old list"]']
    s = default_review_settings()
    raws = _ranked(random.Random(8), len(texts))
    made = make_rows(raws, AS_OF, s)
    take_stored_alerts(made, {raw[0]: text for raw, text in zip(raws, texts)})
    for r, text in zip(made, texts):
        decoded = WorklistRow(r.raw, AS_OF, s)
        decoded.take_stored_alerts(text)
        for name in SLOTS:
            if name != "_reasons":
                assert getattr(r, name) == getattr(decoded, name), (text, name)
    assert made[0].consider_no and made[0].has_marks and not made[0].dose_alerts
