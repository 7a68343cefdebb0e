"""Under the uk profile the opioid-in-pregnancy note rests on the NHS Specialist Pharmacy Service's
page, read on sps.nhs.uk itself, and says what it says: slowed breathing in the newborn follows an
opioid taken long-term as well as one taken near delivery (src20, H-MED-359).

Before: the note cited "UK Medicines Information" (the 2014 UKMi Q&A 200.4, read only in a copy on
studylib.net, [unverified]) and tied the baby's slowed breathing to "an opioid near delivery" only.

Primary source (resources/medicines/sources.toml ``ukmi-opioids-pregnancy``, read 2026-12-01 on
sps.nhs.uk/articles/using-opioids-for-pain-relief-during-pregnancy):
- "Opioid analgesics may be used at any stage of pregnancy at the lowest effective dose for the
  short-term relief of pain when other analgesics are not effective."
- "Complications from neonatal withdrawal may occur with the use of opioid analgesics in pregnancy.
  Use of any opioid during pregnancy, particularly if it has been used long-term and/or around the
  time of delivery, confers a risk of neonatal respiratory depression."

Boundaries: not pregnant (no note); the us profile keeps the FDA boxed-warning note; early (8 weeks)
and late (36 weeks) pregnancy give the same uk note.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data

from tests.domain.test_rule_sources_per_profile_src18 import _reason, _report

SPS_SENTENCE = ("Use of any opioid during pregnancy, particularly if it has been used long-term and/or around "
                "the time of delivery, confers a risk of neonatal respiratory depression.")


@pytest.mark.parametrize("weeks", [8, 36])
@pytest.mark.parametrize("medicine, drug", [("codeine 30mg", "opioids"), ("tramadol 50mg", "tramadol")])
def test_the_uk_note_says_long_term_or_near_delivery_and_cites_the_sps_page(weeks, medicine, drug):
    uk = _reason(_report([(medicine, 120)], "uk", weeks=weeks), drug, "opioid-pregnancy")
    assert "an opioid taken long-term or near delivery can slow the baby's breathing" in uk.text
    assert "(NHS Specialist Pharmacy Service)" in uk.text and "UK Medicines Information)" not in uk.text
    assert SPS_SENTENCE in uk.source and "sps.nhs.uk" in uk.source


@pytest.mark.parametrize("weeks", [None, 8])
def test_not_pregnant_has_no_note_and_us_keeps_the_fda_note(weeks):
    us = _reason(_report([("codeine 30mg", 120)], "us", weeks=weeks), "opioids", "opioid-pregnancy")
    uk = _reason(_report([("codeine 30mg", 120)], "uk", weeks=weeks), "opioids", "opioid-pregnancy")
    if weeks is None:
        assert us is None and uk is None
        return
    assert "(FDA boxed warning)" in us.text and "Specialist Pharmacy Service" not in us.text + us.source


def test_the_sps_source_is_read_not_unverified():
    source = load_medicine_data().sources["ukmi-opioids-pregnancy"]
    assert source.startswith("NHS Specialist Pharmacy Service")
    assert "unverified" not in source.lower()
    assert SPS_SENTENCE in source
