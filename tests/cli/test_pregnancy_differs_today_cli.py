"""The command line for what the app believes about today (rt20 F1, F3), on both engines.

Case EX-OLD answered "not pregnant" at its intake 200 days ago and is still open, on ibuprofen;
the patient's new case EX-PREG records 33 weeks today. Before fxd19 `case`, `worklist
--medicine-alerts`, `handout` and `export summary` of EX-OLD said nothing. And the referral
summary of a "not pregnant" case printed the disagreement warning and then "No current medicine
is contraindicated..." (rt20 F3): it now lists the alerts the check works out, as the case page.

FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in
NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in
heart issues in the unborn baby." So at 33 weeks ibuprofen is Contraindicated.
"""

from __future__ import annotations

import datetime as dt

from tests.cli.test_pregnancy_differs_cli import (_file, _not_pregnant, _on_ibuprofen, _pdf_words, _pregnant,
                                                  run)  # noqa: F401 - run is a fixture
from tests.cli.test_pregnancy_differs_cli import ANCHOR

STORE_ENGINES = ("sqlite", "postgresql")
DAY = ANCHOR.isoformat()


def _stale(tmp_path, run):
    old = _on_ibuprofen(_not_pregnant("EX-OLD", day=ANCHOR - dt.timedelta(days=200)))
    assert run("import", _file(tmp_path, "old", [old]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "new", [_pregnant()]))[0] == 0


def test_a_stale_not_pregnant_case_is_warned_listed_and_its_summary_lists_the_alerts(run, tmp_path):
    _stale(tmp_path, run)
    code, out, err = run("case", "EX-OLD", "--as-of", DAY)
    assert code == 0 and "case EX-PREG records pregnant, 33 weeks" in err and "EX-OLD" in err, err
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--format", "csv")
    assert code == 0 and "EX-OLD" in out and "Pregnancy differs between cases" in out, err
    code, out, err = run("handout", "EX-OLD", "--out", str(tmp_path / "h.pdf"), "--as-of", DAY)
    assert code == 0 and "warning: The pregnancy is not settled: case EX-OLD records her NOT pregnant" in err, err
    code, out, err = run("export", "summary", "EX-OLD", "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                         "--as-of", DAY)
    assert code == 0, err
    words = " ".join(_pdf_words(tmp_path / "s.pdf").split())
    assert "Pregnancy differs between cases:" in words
    assert (f"If she is pregnant as case EX-PREG records (33 weeks on {DAY}), this case's medicines carry:"
            in words)
    assert "CONTRAINDICATED" in words
    assert "No current medicine is contraindicated" not in words
    assert "the alerts above stand until the pregnancy is settled" in words


def test_the_summary_of_a_same_day_not_pregnant_case_lists_the_alerts(run, tmp_path):
    """rt20 F3's own case: a contradiction on the same day (gp18 F1 data)."""
    assert run("import", _file(tmp_path, "first", [_on_ibuprofen(_pregnant())]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "again", [_on_ibuprofen(_not_pregnant())]))[0] == 0
    code, out, err = run("export", "summary", "EX-NEW", "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                         "--as-of", DAY)
    assert code == 0, err
    words = " ".join(_pdf_words(tmp_path / "s.pdf").split())
    assert "If she is pregnant as case EX-PREG records (33 weeks" in words and "CONTRAINDICATED" in words
    assert "No current medicine is contraindicated" not in words
    # the pregnant case's own summary is unchanged: its own alert, no "if pregnant" table
    code, out, err = run("export", "summary", "EX-PREG", "--format", "pdf", "--out", str(tmp_path / "p.pdf"),
                         "--as-of", DAY)
    words = " ".join(_pdf_words(tmp_path / "p.pdf").split())
    assert code == 0 and "CONTRAINDICATED" in words and "If she is pregnant as case" not in words


def test_no_if_pregnant_table_for_another_person_or_once_settled(run, tmp_path):
    _stale(tmp_path, run)
    assert run("visit", "EX-OLD", "--date", DAY, "--pregnant-weeks", "33")[0] == 0
    code, out, err = run("export", "summary", "EX-OLD", "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                         "--as-of", DAY)
    words = " ".join(_pdf_words(tmp_path / "s.pdf").split())
    assert code == 0 and "If she is pregnant as case" not in words and "not settled" not in err, err
