"""The referral summary's Sources list keeps every source its lines cite, whole: authors or
organisation, journal or version, year; none cut in two, none lost (rd13 D15).

rd13: "leg pain as the primary outcome in sciatica, 2007" (Peul missing) and "improving: keep
under review: NICE NG59 (2016) section 1.3, spinal decompression; recheck interval" (the
recheck interval's source, local convention, cut off); "resolution thresholds: Local convention;
MCID, 2008" (Ostelo and Fairbank lost: split inside brackets). Expected references below are
the data's own words (resources/guidelines, resources/medicines), typed here.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.citations import provenance_marks
from radiculopathy_desktop.reports import summary

AS_OF = dt.date(2026, 11, 30)


def _html_text(case) -> str:
    html, _ = summary.summary_html(summary.SummaryRequest(case, AS_OF))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _parts(text: str) -> tuple[str, str]:
    """(body, Sources list) of the summary's text."""
    i = text.rindex(" Sources ")
    return text[:i], text[i:text.index("About this summary", i)]


def test_s1_sources_keep_authors_journals_and_the_cut_source(examples):
    _, sources = _parts(_html_text(examples["routine_s1_follow_up_due"]))
    for whole in (
        "Peul WC et al. NEJM 2007;356:2245-56",  # review window, and leg pain as the primary outcome
        "leg pain as the primary outcome in sciatica: Peul WC et al. NEJM 2007;356:2245-56",
        "Kogl N et al. 2024",
        "Ostelo RW et al. Spine 2008;33:90-94",
        "Local convention (no consensus definition of resolution; MCID: Ostelo RW et al. Spine 2008;33:90-94)",
        "Fairbank 2000",
        "NICE NG59 (2016) section 1.3, spinal decompression",
        "recheck interval: local convention (improvement re-confirmed at least every 4 weeks)",
        "Cockcroft DW, Gault MH. Nephron 1976;16:31-41",  # the Conditions row's CrCl formula
        "Neurontin (gabapentin) US prescribing information, Pfizer",  # the REDUCE DOSE alert
    ):
        assert whole in sources, whole


def test_every_source_cited_in_the_body_is_in_the_sources_list_for_every_example(examples):
    for name, case in examples.items():
        body, sources = _parts(_html_text(case))
        # journal-style references in brackets in the body ("(Cockcroft DW, Gault MH. Nephron 1976;16:31-41)")
        for ref in re.findall(r"\(([^()]*\b(?:19|20)\d\d;[^()]*)\)", body):
            assert ref in sources, (name, ref)
        # each medicine alert the body shows: its source, whole, in the list
        for alert in assess_case(case, AS_OF).medicine_alerts:
            assert alert.text in body, (name, alert.text)
            lead = alert.source.split("; ")[0].split(" [")[0]
            assert lead in sources, (name, lead)


def test_the_sources_list_has_no_reviewer_only_text(examples):
    for name, case in examples.items():
        _, sources = _parts(_html_text(case))
        assert provenance_marks(sources) == [], (name, provenance_marks(sources))


def test_two_alerts_citing_the_same_source_list_it_once_naming_both(examples):
    case = examples["routine_med_older_nsaid_steroid"]
    alerts = assess_case(case, AS_OF).medicine_alerts
    # both cite AGS Beers 2023 (the steroid's alert also the BNF on stopping it: preg15 G3)
    assert len(alerts) >= 2 and all("AGS Beers Criteria" in a.source for a in alerts)
    _, sources = _parts(_html_text(case))
    assert sources.count("American Geriatrics Society 2023 Updated AGS Beers Criteria") == 1
    for a in alerts:
        assert ", ".join(a.medicines) in sources


@pytest.mark.parametrize("text, kept, gone", [
    ("Local convention (a; MCID: Ostelo 2008). Leg NRS (Fairbank 2000)", ["Ostelo 2008", "Fairbank 2000"], []),
    ("Peul 2007; seed summary 1 (attributes 6-12 weeks)", ["Peul 2007"], ["seed summary", "attributes"]),
    ("class labelling: cyclosporine (nephrotoxicity) [cyclosporine row unverified against the live label]; SSRIs",
     ["cyclosporine (nephrotoxicity)", "SSRIs"], ["unverified", "["]),
])
def test_full_reference_splits_only_outside_brackets_and_drops_reviewer_text(text, kept, gone):
    from radiculopathy_desktop.domain.citations import full_reference
    out = full_reference(text)
    for k in kept:
        assert k in out
    for g in gone:
        assert g not in out
