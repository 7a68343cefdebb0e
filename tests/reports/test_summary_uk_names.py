"""The referral summary names paracetamol and cites the UK maximum under the uk profile; us keeps
acetaminophen and the US label (gp16 F7, uk17; H-MED-242).

Sources: UK SmPC Paracetamol Tablets B.P. 500mg (emc 100828) 4.2: "Under no circumstances must
the daily dose of paracetamol exceed four grams in 24 hours"; US 21 CFR 201.326: do not exceed
4000 mg in 24 hours.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import parse_case

from tests.domain.test_combination_doses import AS_OF, _case


@pytest.mark.parametrize("profile, name, other", [("uk", "paracetamol", "acetaminophen"),
                                                  ("us", "acetaminophen", "four grams")])
def test_the_referral_summary_names_and_cites_it_for_the_profile(qapp_offscreen, tmp_path, profile, name, other):
    """The summary's Medicine safety section for co-codamol 30/500 at 5000 mg a day (gp16 F7)."""
    from radiculopathy_desktop.reports import summary

    from tests.reports.test_exports import _text

    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(parse_case(_case([("co-codamol 30/500", 5000)])), AS_OF,
                                                     profile=profile), out)
    text = _text(out)
    section = text[text.index("Medicine safety"):text.index("Examination and suspected root")]
    assert f"5000 mg/day of {name}" in section
    assert other not in section.replace("Evidence review: acetaminophen", "")
    assert ("four grams" if profile == "uk" else "21 CFR 201.326") in text
