"""The store contract (storage/contract.py): the SQLite store implements every member with a
compatible signature, and nothing outside storage/ uses a store attribute the contract
does not list (so the clinic server's store, implementing the same contract, is a drop-in)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import radiculopathy_desktop
from radiculopathy_desktop.storage.contract import Store, contract_members
from radiculopathy_desktop.storage.store import CaseStore

PACKAGE = Path(radiculopathy_desktop.__file__).parent
PROTOCOL_MEMBERS = sorted(contract_members())


def _params(fn) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", PROTOCOL_MEMBERS)
def test_case_store_has_every_contract_member_with_a_compatible_signature(name):
    assert hasattr(CaseStore, name) or name in Store.__annotations__, f"CaseStore lacks {name}"
    want = inspect.getattr_static(Store, name, None)
    have = inspect.getattr_static(CaseStore, name, None)
    if name in Store.__annotations__ and want is None:  # a data member (engine)
        assert isinstance(getattr(CaseStore, name), str)
        return
    if isinstance(want, property):
        assert isinstance(have, property), f"{name} must be a property"
        return
    assert callable(have), f"{name} must be a method"
    have_fn = have.__wrapped__ if hasattr(have, "__wrapped__") else have
    # Same parameters, same kinds and the same defaults: a caller written against the
    # contract works unchanged. (Extra trailing optional parameters would be allowed.)
    want_params, have_params = _params(want), _params(have_fn)
    assert have_params[:len(want_params)] == want_params, f"{name}: {have_params} is not {want_params}"
    for extra in have_params[len(want_params):]:
        assert extra[2] is not inspect.Parameter.empty or extra[1] in (inspect.Parameter.VAR_POSITIONAL,
                                                                        inspect.Parameter.VAR_KEYWORD), name


def test_an_open_case_store_is_a_store(data_dir):
    with CaseStore.open(data_dir) as store:
        assert isinstance(store, Store)
        assert store.engine == "sqlite"
        assert store.location_label() == f"Local file {store.path}"
        assert store.journal_mode() in ("wal", "delete")
        assert store.quick_check() == ["ok"]


def test_set_read_only_refuses_writes_until_switched_back(data_dir):
    from radiculopathy_desktop.storage.db import StorageError

    with CaseStore.open(data_dir) as store:
        store.set_read_only(True)
        with pytest.raises(StorageError) as caught:
            store.save_draft("k", {"a": 1})
        assert caught.value.kind == "read_only"
        assert store.load_draft("k") is None
        store.set_read_only(False)
        store.save_draft("k", {"a": 1})
        assert store.load_draft("k") == {"a": 1}


def test_transaction_is_all_or_nothing(data_dir):
    with CaseStore.open(data_dir) as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.record_audit("dr.a", "case_viewed", "X-1")
                store.put_setting("backup_keep", 5, user="dr.a", detail={"backup_keep": [None, 5]})
                raise RuntimeError("interrupted")
        assert store.audit() == [] and store.setting("backup_keep") is None
        with store.transaction():
            store.record_audit("dr.a", "case_viewed", "X-1")
            store.put_setting("backup_keep", 5, user="dr.a", detail={"backup_keep": [None, 5]})
        assert [e.action for e in store.audit()] == ["case_viewed", "settings_changed"]
        assert store.setting("backup_keep") == 5


def test_record_audit_refuses_actions_that_change_data(data_dir):
    with CaseStore.open(data_dir) as store:
        for action in ("settings_changed", "case_added", "visit_added", "anything"):
            with pytest.raises(ValueError):
                store.record_audit("dr.a", action, None)
        assert store.audit_count() == 0


def test_put_setting_refuses_the_keys_with_their_own_validated_method(data_dir):
    with CaseStore.open(data_dir) as store:
        for key in ("review", "clinic_name", "clinic_address", "clinic_country", "guideline_profile"):
            with pytest.raises(ValueError):
                store.put_setting(key, "x", user="dr.a", detail={})
        assert store.audit_count() == 0


def test_the_one_audit_reader_reads_a_damaged_detail_as_empty_and_orders_both_ways(data_dir):
    with CaseStore.open(data_dir) as store:
        store.record_audit("a", "case_viewed", "C-1", {"n": 1})
        with store.transaction():  # a damaged entry (written by hand: the table is append-only)
            store._db.conn.execute("INSERT INTO audit (at, user, action, case_id, detail_json) "
                                   "VALUES ('2026-01-01T00:00:00+00:00', 'b', 'case_viewed', 'C-1', 'not json')")
        store.record_audit("c", "case_viewed", "C-2")
        assert [e.user for e in store.audit("C-1")] == ["a", "b"]
        assert [e.user for e in store.audit("C-1", newest_first=True, limit=1)] == ["b"]
        assert store.audit("C-1")[1].detail == {}
        assert store.audit_count("C-1") == 2 and store.audit_count() == 3


# --------------------------------------------------------------------------- nothing else is used
def _store_expression(node: ast.expr) -> bool:
    """``store``, ``self.store``, ``context.store``, ``self.context.store``... (a store, by its name)."""
    if isinstance(node, ast.Name):
        return node.id in ("store", "_store")
    return isinstance(node, ast.Attribute) and node.attr in ("store", "_store")


def _store_parameters(tree: ast.AST) -> set[str]:
    """Names of parameters annotated as a store (``s: Store``, ``st: CaseStore``)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            text = ast.unparse(node.annotation).strip("'\"")
            if text.split(".")[-1] in ("Store", "CaseStore", "Store | None", "CaseStore | None"):
                out.add(node.arg)
    return out


def uses_outside_storage() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "storage":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        annotated = _store_parameters(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            base = node.value
            if _store_expression(base) or (isinstance(base, ast.Name) and base.id in annotated):
                found.setdefault(node.attr, set()).add(f"{rel}:{node.lineno}")
    return found


def test_nothing_outside_storage_uses_a_store_member_the_contract_does_not_list():
    allowed = contract_members()
    # Module attributes reached through a name "store" that is a module, not a store.
    allowed |= {"CaseStore"}
    found = uses_outside_storage()
    assert found, "the scan found no store use at all: it is looking in the wrong place"
    assert {"worklist", "record_audit", "get_case"} <= set(found)
    unknown = {name: sorted(where) for name, where in found.items() if name not in allowed}
    assert not unknown, f"store members used outside storage/ but not in the contract: {unknown}"


def test_no_private_store_attribute_or_raw_connection_outside_storage():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "storage":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "store._" in line or ".db.conn" in line or "_exact_cache" in line:
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, offenders


def test_the_window_context_is_typed_with_the_contract():
    from typing import get_type_hints

    from radiculopathy_desktop.ui import context

    assert get_type_hints(context.AppContext)["store"] is Store
