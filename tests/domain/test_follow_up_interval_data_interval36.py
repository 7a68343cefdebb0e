"""interval36 (H-FU-917): the follow-up interval's numbers are reviewed guideline data, not constants.

The ``follow_up_interval`` monitoring item of each profile (resources/guidelines/us.toml, uk.toml) carries
``standard_interval_days`` (the gap to the next visit once the surgical-review window is open) and
``older_max_interval_days`` (the longest gap at 65 or over), each with its basis. Sources, as the item
cites them: no guideline sets a follow-up interval (NICE NG59 sets none; nor do the US profile's
guidelines), so the standard gap is this app's default and says so; seed summary 2 (Special
Considerations, elderly patients) asks for more frequent follow-up for older patients, the number of days
being again this app's. The older age is 65 (Beers Criteria, ``vocabulary.OLDER_PATIENT_AGE``):
boundaries 64/65.

The loader refuses a missing, zero, negative or non-whole number; the date the app suggests moves with the
data (a copied guideline edited to 10 and 7 days).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case

from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.guideline import GuidelineError, load_guideline
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.monitoring import (NEXT_VISIT_ROUTINE, follow_up_interval_detail, monitoring_plan,
                                                     next_follow_up, next_visit_decision, suggested_next_visit,
                                                     visit_prompts)
from radiculopathy_desktop.reports.handouts import default_next_follow_up
from radiculopathy_desktop.resources import resource_path

PROFILES = ("us", "uk")
GUIDELINES = resource_path("guidelines")
STANDARD = "standard_interval_days = 14\n"
OLDER = "older_max_interval_days = 14\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "guidelines"
    shutil.copytree(GUIDELINES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test setup: {old!r} not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _case(age: int):
    """A case 70 days into conservative care (the surgical-review window open on TODAY), no red flag."""
    c = case(70)
    c["patient"]["age_years"] = age
    parsed = parse_case(c)
    assert parsed.patient.age_on(TODAY) == age
    assert surgical_review(parsed, TODAY).window_opens <= TODAY  # so the standard interval applies
    return parsed


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_holds_the_numbers_with_their_basis_and_source(profile):
    fu = load_guideline(profile).follow_up
    assert (fu.standard_days, fu.older_max_days) == (14, 14)  # the values the code held (unchanged output)
    # honest basis: no guideline sets either number
    assert "not a guideline figure" in fu.standard_basis
    assert "not a figure from seed summary 2 or a guideline" in fu.older_max_basis
    assert "Seed summary 2" in fu.older_max_basis
    # the source the monitoring item already cites
    assert fu.sources == load_guideline(profile).monitoring_item("follow_up_interval").sources
    assert [s.source_id for s in fu.sources] == ["seed2"]
    assert load_guideline(profile).to_dict()["follow_up_interval"]["standard_days"] == 14


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("key", ["standard_interval_days", "older_max_interval_days"])
@pytest.mark.parametrize("value, problem", [
    (None, "missing"), ("0", "above zero"), ("-7", "above zero"), ("14.5", "above zero"), ('"14"', "above zero"),
    ("true", "above zero")])
def test_the_loader_refuses_a_missing_zero_negative_or_non_whole_interval(content, profile, key, value, problem):
    line = f"{key} = 14\n"
    edit(content / f"{profile}.toml", line, "" if value is None else f"{key} = {value}\n")
    with pytest.raises(GuidelineError, match=problem) as err:
        load_guideline(profile, content)
    assert key in str(err.value)
    assert "follow_up_interval" in str(err.value)


@pytest.mark.parametrize("key", ["standard_interval_basis", "older_max_interval_basis"])
def test_the_loader_refuses_a_number_without_its_basis(content, key):
    text = (content / "uk.toml").read_text(encoding="utf-8")
    start = text.index(f"{key} = ")
    end = text.index("\n", start) + 1
    (content / "uk.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(GuidelineError, match=key):
        load_guideline("uk", content)
    text = (content / "uk.toml").read_text(encoding="utf-8")
    (content / "uk.toml").write_text(text[:start] + f'{key} = "  "\n' + text[start:], encoding="utf-8")
    with pytest.raises(GuidelineError, match="non-empty"):
        load_guideline("uk", content)


def test_the_numbers_belong_to_the_follow_up_interval_item_only(content):
    edit(content / "us.toml", 'id = "reimaging"\n', 'id = "reimaging"\nstandard_interval_days = 14\n')
    with pytest.raises(GuidelineError, match="reimaging"):
        load_guideline("us", content)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_datas_numbers_drive_the_date_and_the_words(content, profile):
    edit(content / f"{profile}.toml", STANDARD, "standard_interval_days = 10\n")
    edit(content / f"{profile}.toml", OLDER, "older_max_interval_days = 7\n")
    g = load_guideline(profile, content)
    shipped = load_guideline(profile)
    assert (g.follow_up.standard_days, g.follow_up.older_max_days) == (10, 7)

    young, old = _case(64), _case(65)
    # the shipped data: 14 days for both (boundary 64/65: the cap equals the standard gap)
    assert suggested_next_visit(young, TODAY, guideline=shipped) == TODAY + dt.timedelta(days=14)
    assert suggested_next_visit(old, TODAY, profile=profile) == TODAY + dt.timedelta(days=14)
    # the edited data moves the date: 10 days at 64, the older cap of 7 days from 65
    assert suggested_next_visit(young, TODAY, guideline=g) == TODAY + dt.timedelta(days=10)
    assert suggested_next_visit(old, TODAY, guideline=g) == TODAY + dt.timedelta(days=7)
    visit = next_visit_decision(young, TODAY, guideline=g)
    assert visit.kind == NEXT_VISIT_ROUTINE and visit.date == TODAY + dt.timedelta(days=10)
    assert "within 10 days once it is open" in visit.visit_line()
    older = next_visit_decision(old, TODAY, guideline=g)
    assert older.date == TODAY + dt.timedelta(days=7)
    assert older.visit_line().startswith("Age 65: next visit within 7 days at most.")
    assert "Next visit: Age 65: next visit within 7 days at most." in " ".join(visit_prompts(g, 65, older))
    # the case page's monitoring item says the same as the visit form
    plan = {m.id: m for m in monitoring_plan(g, age=64, improving=None, treatments_tried=frozenset(),
                                             imaged=False, neuro_worsening=False, next_visit=visit.date)}
    assert plan["follow_up_interval"].detail == visit.visit_line()


@pytest.mark.parametrize("profile", PROFILES)
def test_the_shipped_words_are_unchanged(profile):
    """The sentence the app printed before the numbers moved to data (goldens pin the rest)."""
    g = load_guideline(profile)
    assert follow_up_interval_detail(64, None, guideline=g) == (
        "Next visit when the review window opens, or within 2 weeks once it is open.")
    assert follow_up_interval_detail(65, None, guideline=g) == "Age 65: next visit within 14 days at most."


@pytest.mark.parametrize("age, capped", [(64, False), (65, True), (None, False)])
def test_older_cap_boundary_from_the_data(content, age, capped):
    """Seed summary 2: more frequent follow-up from 65 (Beers Criteria age); 64 keeps the later default."""
    edit(content / "uk.toml", OLDER, "older_max_interval_days = 5\n")
    g = load_guideline("uk", content)
    default, as_of = dt.date(2026, 12, 31), dt.date(2026, 12, 1)
    expected = as_of + dt.timedelta(days=5) if capped else default
    assert next_follow_up(default, as_of, age, guideline=g) == expected
    # an earlier default is kept (the cap only brings a visit forward)
    assert next_follow_up(as_of + dt.timedelta(days=3), as_of, age, guideline=g) == as_of + dt.timedelta(days=3)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_handout_default_follows_the_profile(profile):
    c = _case(70)
    assert default_next_follow_up(c, TODAY, profile) == suggested_next_visit(c, TODAY, profile=profile)
