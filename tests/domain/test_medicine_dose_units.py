"""Medicines prescribed in a unit other than mg a day (red-team rt10 F10, H-MED-132).

From the labels: Duragesic (fentanyl transdermal system) strengths are delivery rates in
micrograms per hour (12-100 mcg/hour, each worn 72 hours); Butrans (buprenorphine transdermal
system) 5-20 mcg/hour, each worn 7 days, and Belbuca buccal film 75-900 micrograms. The data
says so, with its source, so no sheet prints a mg-a-day figure for them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.medications import MedicineDataError, default_data_dir, load_medicine_data


def test_fentanyl_and_buprenorphine_are_prescribed_in_micrograms_with_their_label_as_source():
    data = load_medicine_data()
    assert set(data.dose_units) == {"fentanyl", "buprenorphine"}
    assert "micrograms an hour" in data.dose_units["fentanyl"]
    assert "micrograms an hour" in data.dose_units["buprenorphine"]
    assert "mcg/hour" in data.sources["fentanyl-patch-label"] and "72 hours" in data.sources["fentanyl-patch-label"]
    assert "mcg/hour" in data.sources["buprenorphine-patch-label"]


def test_brand_names_resolve_to_a_generic_with_its_unit():
    data = load_medicine_data()
    for brand in ("duragesic", "butrans", "belbuca"):
        generics, _ = data.resolve(brand)
        assert any(g in data.dose_units for g in generics), brand


def test_tablets_dosed_in_mg_have_no_other_unit():
    data = load_medicine_data()
    for generic in ("oxycodone", "morphine", "tramadol", "gabapentin", "prednisone"):
        assert generic not in data.dose_units


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), target)
    return target


@pytest.mark.parametrize("old, new, words", [
    ('source = ["fentanyl-patch-label"]\n', "", "dose unit 'fentanyl': has no source"),
    ('[dose_units.fentanyl]', '[dose_units.fentanil]', "'fentanil' is not a member of any class"),
    ('unit = "micrograms an hour (skin patch)"', 'unit = " "', "dose unit 'fentanyl': has no unit"),
])
def test_the_loader_refuses_a_dose_unit_without_source_unit_or_known_generic(tmp_path, old, new, words):
    folder = _copy(tmp_path)
    path = folder / "classes.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MedicineDataError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_medicine_data(str(folder))
