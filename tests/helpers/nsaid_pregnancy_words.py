"""The plain "why" a handout's ask-first box gives for an NSAID from 20 weeks of pregnancy (handout29,
H-MED-519), by language and profile, as the tests read it.

Primary sources: FDA Drug Safety Communication, 15 October 2020 (fda-nsaid-pregnancy-2020: NSAIDs "around
20 weeks or later in pregnancy may cause rare but serious kidney problems in an unborn baby. This can lead to
low levels of amniotic fluid"); MHRA Drug Safety Update, June 2023 (mhra-nsaid-pregnancy-2023: prolonged
use "from week 20 of pregnancy onwards may be associated with an increased risk of oligohydramnios ... and
fetal renal dysfunction. Some cases of constriction of the ductus arteriosus ... have also been identified at
this early stage"). Before, the box said only "it may not be safe in pregnancy"."""

WHY_20 = {
    ("en", "us"): "from about 20 weeks of pregnancy, these medicines can cause rare but serious kidney problems in "
                  "the unborn baby, which can lead to too little fluid around the baby",
    ("en", "uk"): "from 20 weeks of pregnancy, these medicines can cause kidney problems in the unborn baby and too "
                  "little fluid around the baby, and can narrow a blood vessel in the baby's heart",
    ("es", "us"): "desde alrededor de la semana 20 del embarazo, estos medicamentos pueden causar problemas de riñón "
                  "raros pero graves al bebé antes de nacer, y eso puede dejar muy poco líquido alrededor del bebé",
    ("es", "uk"): "desde la semana 20 del embarazo, estos medicamentos pueden causar problemas de riñón al bebé antes "
                  "de nacer y dejar muy poco líquido a su alrededor, y pueden estrechar un vaso sanguíneo de su corazón",
}
ASK_IT = {"en": "Ask your clinician before your next dose whether to keep taking it: ",
          "es": "Pregunte a su profesional antes de su próxima dosis si debe seguir tomándolo: "}
#: the old reason, never printed for an NSAID from 20 weeks any more
VAGUE = {"en": "it may not be safe in pregnancy", "es": "puede no ser seguro en el embarazo"}
SOURCE = {"us": {"en": "FDA 2020 (NSAIDs in pregnancy)", "es": "FDA 2020 (AINE en el embarazo)"},
          "uk": {"en": "MHRA 2023 (NSAIDs in pregnancy)", "es": "MHRA 2023 (AINE en el embarazo)"}}


def ask_20(lang: str, profile: str) -> str:
    """The whole question with its reason: "Ask ... whether to keep taking it: from about 20 weeks ..."."""
    return ASK_IT[lang] + WHY_20[(lang, profile)]
