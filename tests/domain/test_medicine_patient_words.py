"""The plain words a patient's handout gives a CAUTION rule (rules.toml ``patient_words``;
red-team rt12 F9, H-MED-165).

NICE CKS NSAIDs (prescribing issues): corticosteroids, SSRIs and antiplatelets taken with an
NSAID raise the risk of upper GI bleeding (consider gastroprotection): those rules and
interactions say "stomach_bleeding". Every key used has its wording in English and Spanish,
so no sheet prints an English sentence in Spanish or a key the handout cannot say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.medications import MedicineDataError, default_data_dir, load_medicine_data
from radiculopathy_desktop.reports import handouts as h


def test_the_gi_bleeding_cautions_of_an_nsaid_say_stomach_bleeding():
    words = load_medicine_data().patient_words
    for rid in ("nsaid-corticosteroid", "pred-nsaid", "nsaid-ssri-snri", "nsaid-antiplatelet",
                "ix-nsaid-corticosteroid", "ix-nsaid-ssri-snri", "ix-nsaid-antiplatelet"):
        assert words[rid] == "stomach_bleeding", rid
    assert words["nsaid-calcineurin"] == words["ix-nsaid-calcineurin"] == "kidneys"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_key_the_data_uses_has_its_wording(lang):
    for key in {*load_medicine_data().patient_words.values(), "general"}:
        assert h.tr(lang, f"why_{key}")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), target)
    return target


@pytest.mark.parametrize("bad", ['"Stomach bleeding"', "1", '""'])
def test_the_loader_refuses_a_patient_words_value_that_is_not_a_word_key(tmp_path, bad):
    folder = _copy(tmp_path)
    path = folder / "rules.toml"
    text = path.read_text(encoding="utf-8")
    old = 'patient_words = "kidneys"\n'
    assert old in text
    path.write_text(text.replace(old, f"patient_words = {bad}\n", 1), encoding="utf-8")
    with pytest.raises(MedicineDataError, match="patient_words must be a lower-case word key"):
        load_medicine_data(str(folder))
