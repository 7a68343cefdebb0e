"""``visit`` applies import's rule to a same-day red-flag "no" (tryout36 F1, H-FU-918/919): a
"no" dated the day a record answers "yes" is refused (exit 2, nothing saved) unless
``--correct-red-flag`` says the yes was a mistake or has been assessed; then it is saved, said,
and the visit's notes keep who corrected it. Cauda equina is an emergency (NICE NG59; GIRFT
national suspected CES pathway: resources/rules/red_flags.toml "nice-ng59", "girft-ces")."""

from __future__ import annotations

import json

from tracker_support import ANCHOR, case_dict, file_state  # noqa: E402

from radiculopathy_desktop.storage.store import CaseStore  # noqa: E402

D = __import__("datetime").timedelta
DAY = ANCHOR  # the intake's day (today, as the tests pin it)


def _import(tmp_path, run_cli, **flags):
    path = tmp_path / "case.json"
    path.write_text(json.dumps([case_dict("CES1", care_start=DAY, red_flags=flags)]))
    code, _, err = run_cli("import", str(path))
    assert code == 0, err


def _immediate(run_cli) -> list[str]:
    code, out, _ = run_cli("worklist", "--status", "immediate", "--format", "json")
    return [r["case_id"] for r in json.loads(out)["rows"]]


def test_same_day_no_to_cauda_equina_is_refused_and_nothing_saved(tmp_path, run_cli, db_path):
    _import(tmp_path, run_cli, saddle_anaesthesia="yes")
    before = file_state(db_path)
    code, out, err = run_cli("visit", "CES1", "--date", DAY.isoformat(), "--red-flag", "saddle_anaesthesia=no")
    assert code == 2 and out == ""
    assert "nothing was saved" in err and "Saddle" in err and "(EMERGENCY)" in err
    assert "the yes stands" in err and "--correct-red-flag" in err
    assert file_state(db_path) == before
    assert _immediate(run_cli) == ["CES1"]


def test_same_day_no_to_an_urgent_flag_is_refused_too(tmp_path, run_cli, db_path):
    _import(tmp_path, run_cli, fever="yes")
    before = file_state(db_path)
    code, _, err = run_cli("visit", "CES1", "--date", DAY.isoformat(), "--red-flag", "fever=no", "--leg-nrs", "5")
    assert code == 2 and "(URGENT)" in err and "Fever" in err
    assert file_state(db_path) == before


def test_corrected_with_the_option_is_saved_said_and_kept_with_who(tmp_path, run_cli, data_dir):
    _import(tmp_path, run_cli, saddle_anaesthesia="yes")
    code, out, err = run_cli("visit", "CES1", "--date", DAY.isoformat(), "--red-flag", "saddle_anaesthesia=no",
                             "--correct-red-flag", "--clinician", "Dr Invented, GP")
    assert code == 0, err
    assert "Red-flag correction: Saddle" in out and "(EMERGENCY)" in out
    assert "corrected to no by Dr Invented, GP" in out and "The red flag is cleared." in out
    with CaseStore.open(data_dir) as store:
        case = store.get_case("CES1")
    assert case.visits[-1].red_flags == {"saddle_anaesthesia": "no"}
    assert "Red-flag correction" in case.visits[-1].notes and "Dr Invented, GP" in case.visits[-1].notes
    assert _immediate(run_cli) == []


def test_the_option_with_nothing_to_correct_is_refused(tmp_path, run_cli, db_path):
    _import(tmp_path, run_cli)
    before = file_state(db_path)
    code, _, err = run_cli("visit", "CES1", "--date", DAY.isoformat(), "--red-flag", "saddle_anaesthesia=no",
                           "--correct-red-flag")
    assert code == 2 and "corrects none" in err
    assert file_state(db_path) == before


def test_a_no_on_a_later_day_still_clears_as_a_re_screen(tmp_path, run_cli, data_dir):
    path = tmp_path / "case.json"
    path.write_text(json.dumps([case_dict("CES1", care_start=DAY - D(days=3), red_flags={"saddle_anaesthesia": "yes"})]))
    assert run_cli("import", str(path))[0] == 0
    code, out, err = run_cli("visit", "CES1", "--date", DAY.isoformat(), "--red-flag", "saddle_anaesthesia=no")
    assert code == 0, err
    assert "Red-flag correction" not in out
    with CaseStore.open(data_dir) as store:
        assert not store.get_case("CES1").visits[-1].notes
    assert _immediate(run_cli) == []


def test_import_keeps_refusing_the_same_change(tmp_path, run_cli, db_path):
    # the same domain function (domain.followup.red_flag_noes_against_yes) behind import's guard
    _import(tmp_path, run_cli, saddle_anaesthesia="yes")
    data = case_dict("CES1", care_start=DAY, red_flags={"saddle_anaesthesia": "yes"})
    data["visits"] = [{"date": DAY.isoformat(), "red_flags": {"saddle_anaesthesia": "no"}}]
    path = tmp_path / "again.json"
    path.write_text(json.dumps([data]))
    before = file_state(db_path)
    code, _, err = run_cli("import", str(path))
    assert code != 0 and "the order of the two is not known, so the yes stands" in err
    assert file_state(db_path) == before
