"""med26 item 2 (H-MED-441): clopidogrel with omeprazole or esomeprazole.

Written from the sources (resources/medicines/sources.toml):
* clopidogrel-omeprazole-fda: Plavix label 7.1 "Avoid concomitant use of drugs that inhibit
  CYP2C19, e.g., omeprazole"; the 2012 omeprazole/esomeprazole label change (Prilosec, Nexium,
  Vimovo): "Avoid concomitant use of esomeprazole/omeprazole with clopidogrel"; FDA 2009: giving
  them 12 hours apart does not prevent it; not enough information on the other PPIs to advise;
  H2 blockers such as famotidine do not interfere;
* mhra-clopidogrel-ppi-2010 (Drug Safety Update, April 2010): omeprazole or esomeprazole with
  clopidogrel discouraged; the evidence does not support extending this to the other PPIs.
So omeprazole and esomeprazole (and the products holding them) fire, rated avoid; lansoprazole,
pantoprazole and rabeprazole do not, nor famotidine; and the alert shows whatever medicine is
being considered, under either profile.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.domain.medications import assess_medications

from tests.domain.test_medications import VISIT, intake

RULE = "ix-clopidogrel-omeprazole"


def _report(meds, profile="us"):
    return assess_medications(intake(age=60, scr=0.9, meds=[(m, None) for m in meds]), VISIT, profile=profile)


def _hits(report):
    return [ix for ix in report.interactions if ix.rule == RULE]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("meds", [
    ["clopidogrel 75mg", "omeprazole 20mg"],
    ["clopidogrel", "esomeprazole 40mg"],
    ["Plavix", "Losec"],
    ["Plavix 75 mg", "Nexium 20mg"],
    ["Grepid", "Prilosec"],
    ["clopidogrel", "Vimovo 500/20"],  # naproxen with esomeprazole: named in the 2012 label change
    ["DuoPlavin", "omeprazole"],  # clopidogrel with aspirin
])
def test_omeprazole_or_esomeprazole_with_clopidogrel_is_avoid(meds, profile):
    report = _report(meds, profile)
    hits = _hits(report)
    assert len(hits) == 1
    assert hits[0].severity == "avoid"
    assert set(hits[0].medicines) == set(meds)
    assert "CYP2C19" in hits[0].text and "12 hours apart does not help" in hits[0].text
    assert "Plavix" in hits[0].source and "MHRA Drug Safety Update" in hits[0].source
    alerts = [a for a in medicine_alerts(report) if a.kind == "interaction" and set(a.medicines) == set(meds)]
    assert len(alerts) == 1 and alerts[0].status == "avoid"
    assert (tuple(hits[0].medicines), "Avoid") in alert_heads(report)


@pytest.mark.parametrize("other", ["lansoprazole 30mg", "pantoprazole 40mg", "rabeprazole 20mg", "Zoton",
                                   "Protium", "famotidine 40mg", "Pepcid"])
def test_the_other_ppis_and_famotidine_do_not_fire(other):
    # MHRA 2010: no longer advised for the other PPIs; FDA: famotidine does not interfere
    report = _report(["clopidogrel 75mg", other])
    assert _hits(report) == []
    assert not [a for a in medicine_alerts(report) if "clopidogrel 75mg" in a.medicines]


@pytest.mark.parametrize("meds", [["omeprazole 20mg"], ["clopidogrel"], ["prasugrel", "omeprazole"],
                                  ["ticagrelor", "esomeprazole"], ["aspirin 75mg", "omeprazole 20mg"]])
def test_one_side_alone_or_another_antiplatelet_does_not_fire(meds):
    assert _hits(_report(meds)) == []


def test_the_alert_does_not_depend_on_the_medicine_considered():
    # the interaction is between two medicines taken now: every row keeps its own rating, and the
    # report's alert list holds the pair whatever the clinician is weighing up
    report = _report(["clopidogrel", "omeprazole"])
    assert _hits(report)
    assert report.row("acetaminophen").status == "ok"
    assert report.row("ibuprofen").status == "caution"  # NSAID with an antiplatelet (acg-2009)
    assert any(a.kind == "interaction" and a.status == "avoid" for a in medicine_alerts(report))
