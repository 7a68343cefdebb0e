"""nxd36 (H-MED-762): in `assess --format text` a medicine alert cites each reviewed source of the medicine data
(resources/medicines/sources.toml) by its id, and the full text of each is listed once at the end, under "MEDICINE
SOURCES". A CHECK THE DOSE alert quoted the BNF frequency list and more (about 80 lines) for each unreadable medicine.
The JSON keeps the full text (its structure is unchanged)."""
from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.medications import load_medicine_data

from tests.cli.test_own_opioid_mme_cli import TODAY, _case


def _text_and_json(names):
    from radiculopathy_desktop.commands.assess import assess_many
    from radiculopathy_desktop.domain.intake import parse_case

    (result,) = assess_many([parse_case(_case("SRC", [{"name": n, "daily_dose_mg": None} for n in names]))], TODAY,
                            profile="us")
    a = result.to_dict()
    return assessment_text(a), a


def test_an_alert_cites_by_id_and_the_list_is_given_once():
    text, a = _text_and_json(["oxycodone 20mg 2 x week", "tramadol 50mg 3 x 4"])
    sources = load_medicine_data().sources
    head, _sep, tail = text.partition("\nMEDICINE SOURCES (cited above by id)\n")
    assert tail, "the list of sources is printed"
    alerts = [x for x in a["medicine_alerts"] if x.get("source")]
    assert alerts
    for alert in alerts:
        for sid, full in sources.items():
            if full and full in alert["source"]:  # the JSON keeps the full text
                assert full not in head  # the alert line names it by id only
                assert f"  {sid}: " in tail and tail.count(f"\n  {sid}: ") + tail.startswith(f"  {sid}: ") == 1
    assert text.count("o.d. omni die") <= 1


def test_no_medicine_alert_no_list():
    text, _a = _text_and_json([])
    assert "MEDICINE SOURCES" not in text
