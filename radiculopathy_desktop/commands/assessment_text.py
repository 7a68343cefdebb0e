"""The assessment as plain text for a terminal: red flags first, then the pathway.

Works from the assessment's JSON form so the text and the JSON never disagree.
"""

from __future__ import annotations

import itertools
import textwrap
from typing import Any

from radiculopathy_desktop.domain.vocab import ImagingDecision, MedicineStatus, Tier
from radiculopathy_desktop.domain.medications import CHECK_DOSE_LABEL, above_applying_max
from radiculopathy_desktop.domain.medicine_alerts import labelled
from radiculopathy_desktop.domain.pathway_medicines import OFFERING_DIRECTIONS

WIDTH = 96
#: reasons worth a line under their row: every severity above ok ("info" is not shown)
SHOWN_SEVERITIES = tuple(s for s in MedicineStatus if s != MedicineStatus.OK)
#: info reasons shown all the same: how a dose was read (a combination's, or a regimen written in
#: the name with no dose recorded, cmb17), so the clinician sees what was counted
READING_RULES = ("combination-product-read", "dose-read-from-name", "doses-per-medicine")
#: info reasons shown all the same beside a row's "add gastroprotection": that a PPI is already
#: taken, or that an H2-receptor antagonist taken is not that protection (med26, rules.toml)
GASTROPROTECTION_RULES = ("nsaid-ppi-taken", "nsaid-h2-antagonist-taken")


def _counted(alerts) -> str:
    """What the MEDICINE SAFETY count counts, in the words of the lines under it (words33, H-FMT-904): every alert
    printed, a "CHECK THE DOSE" one too; with doses to check among them it says how many, so the heading's "stop,
    change, reduce or review" never reads as leaving them out of the count."""
    checks = sum(1 for a in alerts if str(a.get("status_label", "")).lower() == CHECK_DOSE_LABEL.lower())
    rest = len(alerts) - checks
    if not checks:
        return "stop, change, reduce or review"
    dose = f"{checks} dose{'s' if checks != 1 else ''} to check"
    return f"{rest} to stop, change, reduce or review; {dose}" if rest else dose


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> str:
    return textwrap.fill(str(text), WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent + ("  " if first is not None else ""))


def _sources(items: list[Any]) -> str:
    labels = []
    for s in items or []:
        if isinstance(s, dict):
            label = s.get("guideline") or s.get("citation") or s.get("source_id") or ""
            if s.get("section"):
                label += f" {s['section']}"
            if s.get("year") and str(s.get("year")) not in label:
                label += f" ({s['year']})"
            labels.append(label.strip())
        else:
            labels.append(str(s))
    return "; ".join(dict.fromkeys(x for x in labels if x))


def _cited(source: str, cited: dict[str, str]) -> str:
    """nxd36 (H-MED-762): a medicine alert's source as the terminal prints it: each reviewed source of the medicine data
    (resources/medicines/sources.toml) it quotes is named by its id, and its full text is kept in ``cited`` to be
    listed once at the end. A "CHECK THE DOSE" alert quoted the BNF frequency list, the Spanish prescription sources
    and more (about 80 lines) for each unreadable medicine, and the action was lost in it. JSON and FHIR keep the
    full text."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    if not source:
        return source
    for sid, text in sorted(load_medicine_data().sources.items(), key=lambda kv: -len(kv[1] or "")):
        if text and text in source:
            source = source.replace(text, sid)
            cited[sid] = text
    return source


def assessment_text(a: dict[str, Any]) -> str:
    out: list[str] = []
    cited: dict[str, str] = {}  # nxd36: medicine sources cited by id, listed once at the end
    add = out.append
    g = a["guideline"]
    add(f"Assessment of case {a['case_id']} as of {a['as_of']}  "
        f"(profile {g['profile']}, guideline content {g['content_version']}, app {a['app_version']})")
    add("=" * WIDTH)
    for w in a.get("warnings", []):
        add(_wrap(f"Note: {w}", first="! "))

    t = a["triage"]
    tier_word = Tier(t["tier"]).action_label
    if t.get("screen_complete") is False and t["tier"] == Tier.ROUTINE:
        tier_word = t.get("tier_label") or "INCOMPLETE"  # never "Routine" while the screen is incomplete
    add(f"\nURGENCY: {tier_word}: {t['headline']}")
    for action in t.get("actions", []):
        src = _sources(action.get("sources", []))
        add(_wrap(f"{action['text']}" + (f"  [{src}]" if src else ""), first="  -> "))
    fired = [q for q in a["red_flag_screen"] if q["answer"] == "yes"]
    unknown = [q for q in a["red_flag_screen"] if q["answer"] == "unknown"]
    add("Red flags answered yes: " + (", ".join(q["label"] for q in fired) if fired else "none"))
    if unknown:
        add(_wrap("Not yet answered (unknown, not no): " + ", ".join(q["label"] for q in unknown), indent="  ", first=""))
    for note in t.get("notes", []):
        add(_wrap(note, first="  note: "))
    alerts = a.get("medicine_alerts") or []
    if alerts:
        add(f"\nMEDICINE SAFETY: {len(alerts)} current medicine alert{'s' if len(alerts) != 1 else ''} ({_counted(alerts)})")
        for alert in alerts:
            src = _cited(alert.get("source") or "", cited)
            add(_wrap(f"{alert['status_label'].upper()}: {labelled(alert['status_label'], alert['text'])}" + (f"  [{src}]" if src else ""),
                      first="  !! ", indent="     "))

    r = a["root_level"]
    add(f"\nROOT LEVEL: {r.get('summary') or r.get('status')}")
    p = a["phase"]
    add(f"PHASE: {p.get('label', p.get('phase'))}, {p.get('days_since_onset')} days since onset")

    pw = a["pathway"]
    add("\nSTEPPED PATHWAY")
    if pw.get("overridden_by_red_flags"):
        add(_wrap(pw.get("override_message", "Red flags override the pathway."), first="  !! "))
    for step in pw["steps"]:
        marker = {"current": ">>", "done": "ok", "review": "!!", "next": "..", "later": "  ",
                  "not_applicable": "--"}.get(step["state"], "  ")
        add(f" {marker} {step['order']}. {step['title']} [{step['state'].replace('_', ' ')}]")
        if step["state"] == "review":  # tried, but a medicine of it taken now needs review: say which
            for why in step.get("why", [])[:2]:
                add(_wrap(why, indent="       ", first="       "))
        elif (step["id"] == "surgical_opinion" and step["state"] in ("later", "done", "not_applicable")
              and step["id"] != pw.get("current_step_id") and not pw.get("overridden_by_red_flags")):
            # the step follows the review status (domain.assess.surgical_step_follows_review): say why it
            # is not now, as the case page does (surgstep: the text showed a bare "[later]")
            for why in step.get("why", [])[:2]:
                add(_wrap(why, indent="       ", first="       "))
        if step["state"] in ("current", "next") or step["id"] == pw.get("current_step_id"):
            for why in step.get("why", [])[:3]:
                add(_wrap(why, indent="       ", first="       "))
            for rec in step.get("recommendations", []):
                strength = rec.get("strength") or rec.get("direction") or ""
                src = _sources(rec.get("sources", []))
                mine = rec.get("for_this_patient")  # the medicine table rules this class out for this patient
                now = rec.get("taking_now")  # the patient already takes a medicine of this class
                offers = strength in OFFERING_DIRECTIONS
                text = rec["text"]
                if offers and now:  # not "consider" what is already taken: review it (the data's words)
                    strength, text, src = "review (already taking)", now["text"], _sources(now.get("sources", []))
                # unrec34 (H-MED-702): a medicine offered while a name taken now is not recognised is provisional,
                # said where it is offered (the names, and to check them), not only in the medicine table below
                provisional = rec.get("provisional") if offers and not mine else None
                if offers and mine:  # never "consider" a class ruled out for this patient
                    strength = "not for this patient"
                    if now:  # nor review it as if it could go on: the reason follows (and the alerts)
                        text = f"{now['taking']}: not for this patient, see why below and the medicine alerts."
                if provisional:
                    strength = f"{strength} (provisional)"
                add(_wrap(f"{text}" + (f"  [{src}]" if src else ""), indent="         ",
                          first=f"       - {strength + ': ' if strength else ''}"))
                if provisional:
                    add(_wrap(provisional["text"], indent="           ", first="         !! "))
                if now and not offers:
                    add(_wrap(f"{now['text']}  [{_sources(now.get('sources', []))}]",
                              indent="           ", first="         !! "))
                if mine:
                    add(_wrap(f"NOT FOR THIS PATIENT ({mine['status_label'].upper()}): {mine['text']}",
                              indent="           ", first="         !! "))
            for c in step.get("cautions", []):
                add(_wrap(f"{c['text']}  [{_sources(c.get('sources', []))}]", indent="         ",
                          first="       - for this patient: "))
    disagreements: dict[str, dict] = {}
    for step in pw["steps"]:
        for d in step.get("disagreements", []):
            disagreements.setdefault(d["id"], d)
        for rec in step.get("recommendations", []):
            for d in rec.get("disagreements", []):
                disagreements.setdefault(d["id"], d)
    if disagreements:
        add("\nWHERE THE SEEDS AND GUIDELINES DISAGREE (both positions shown; none chosen silently)")
        for d in disagreements.values():
            add(_wrap(f"{d.get('topic') or d.get('id')}: {d.get('summary', '')}", first="  * ", indent="    "))
            for pos in d.get("positions", []):
                add(_wrap(f"{pos.get('holder', '')} ({pos.get('stance', '')}): {pos.get('text', '')}"
                          f"  [{_sources(pos.get('sources', []))}]", indent="        ", first="    - "))

    if a.get("checks"):
        add("\nCHECKS (the record suggests a common pitfall)")
        for c in a["checks"]:
            add(_wrap(f"{c['title']}: {c['why']} {c['text']}  [{_sources(c.get('sources', []))}]",
                      indent="    ", first="  ! "))
    mon = a.get("monitoring") or {}
    if mon.get("items"):
        if mon["items"][0].get("id") == "red_flag_first":  # path34: a red flag stands (window35: referred or not)
            referred = mon["items"][0].get("detail", "").startswith("Referred for a surgical opinion")
            add("\nMONITORING: RED FLAG FIRST (the urgency above leads; "
                + ("the referral is not the plan now)" if referred else "no routine next visit while it stands)"))
        elif mon["items"][0].get("id") == "after_referral":  # path33: referred: the surgical opinion follows
            add("\nMONITORING WHILE AWAITING THE SURGICAL OPINION (no routine next visit)")
        else:
            add("\nMONITORING AT FOLLOW-UP" + (f" (suggested next visit {mon['next_visit']})"
                                              if mon.get("next_visit") else ""))
        for item in mon["items"]:
            add(_wrap(f"{item['text']} {item['detail']}  [{_sources(item.get('sources', []))}]",
                      indent="    ", first="  - "))

    im = a["imaging"]
    add(f"\nIMAGING: {ImagingDecision(im['decision']).label.lower()}" + (f": {im['study']}" if im.get("study") else ""))
    add(_wrap(im.get("reason", ""), indent="  ", first="  "))
    if im.get("sources"):
        add(f"  [{_sources(im['sources'])}]")

    m = a["medications"]
    add(f"\nMEDICINES  (renal function: {m.get('renal_basis') or 'unknown'})")
    for med in m.get("unrecognised_detail") or [{"name": n} for n in m.get("unrecognised_medicines", [])]:
        hint = f" (did you mean {med['suggestion']}?)" if med.get("suggestion") else ""
        add(_wrap(f'NOT RECOGNISED: "{med["name"]}"{hint}. Its interactions were not checked, so no row below '
                  "is fully checked; enter the generic name or check it by hand.", first="  !! ", indent="     "))
    add(f"  {'medicine':<30}{'status':<32}{'seed dose':<26}{'adjusted max/day':<16}")
    for row in m.get("rows", []):
        adj = row.get("adjusted_max_daily_mg")
        adj_text = f"{adj:g} mg" if isinstance(adj, (int, float)) else "-"
        seed = row.get("seed_dose") or ""
        if isinstance(seed, dict):
            seed = seed.get("text", "")
        current = row.get("current_daily_dose_mg")
        mark = MedicineStatus(row["status"]).label.upper()
        if row["status"] in (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED) or row.get("status_label") == CHECK_DOSE_LABEL:
            # AVOID: NICE DOES NOT OFFER; a rule's own label, HIGH OPIOID DOSE (mme22), as the alerts say it;
            # CHECK THE DOSE for a row whose only dose reasons are doses to check (a likely slip, far above or
            # far below, or a regimen not read), as the window's table and the alerts say: "REDUCE DOSE" beside
            # "paracetamol 4 mg/day" (4 g typed as 4?) told the reader the opposite of what is wrong
            mark = str(row.get("status_label") or mark).upper()
        # a name or seed dose too long for its column wraps inside the column (rd13 D18: cut
        # mid-word it read "starting at 60mg daily an 60 mg"); nothing is cut off
        names = textwrap.wrap(str(row.get("label", row.get("drug"))), 29) or [""]
        seeds = textwrap.wrap(str(seed), 25) or [""]
        add(f"  {names[0]:<30}{mark:<32}"
            f"{seeds[0]:<26}{adj_text:<16}" + (f" taking {current:g} mg/day" if current else "")
            + ("  ** ABOVE ADJUSTED MAX **" if above_applying_max(row) else ""))
        for more_name, more_seed in itertools.zip_longest(names[1:], seeds[1:], fillvalue=""):
            add(f"  {more_name:<30}{'':<32}{more_seed}".rstrip())
        for reason in row.get("reasons", []):
            if (reason.get("severity") in SHOWN_SEVERITIES or reason.get("rule") in READING_RULES
                    or reason.get("rule") in GASTROPROTECTION_RULES):
                add(_wrap(reason["text"], indent="      ", first="    - "))
    if m.get("classes"):
        add("  By class (can this patient take one, and which):")
        for c in m["classes"]:
            add(_wrap(c["summary"], first="    ", indent="      "))
    for inter in m.get("interactions", []):
        text = inter.get("text") if isinstance(inter, dict) else str(inter)
        add(_wrap(f"Interaction: {text}", first="  ! "))
    for note in m.get("current_notes", []):
        mark = CHECK_DOSE_LABEL if note.get("rule") == "check-dose" else note["severity"].replace("_", " ")
        add(_wrap(f"{mark.upper()}: {labelled(mark, note['text'])}  [{_cited(note['source'], cited)}]", first="  ! "))  # gp16 F4

    ins = a["instruments"]
    add("\nSCORES")
    for key in ("leg_nrs", "back_nrs"):
        if ins.get(key):
            add(f"  {key.replace('_', ' ').replace('nrs', 'pain NRS')}: {ins[key]['label']}")
    if ins.get("start_back"):
        sb = ins["start_back"]
        add(f"  STarT Back: total {sb.get('total')}, distress {sb.get('distress')}: {sb.get('label', sb.get('risk'))}")
    if ins.get("odi"):
        add(f"  ODI: {ins['odi']['percent']:g}% ({ins['odi'].get('band_label')})")
    if ins.get("rmdq"):
        add(f"  RMDQ: {ins['rmdq'].get('score')}/24")
    imp = a["improvement"]
    for reason in imp.get("reasons", []):
        add(_wrap(reason, first="  - "))

    sr = a["surgical_review"]
    add(f"\nSURGICAL REVIEW: {sr['label']}  (day {sr['days_since_care_start']} of conservative care; "
        f"window {sr['window_opens']} to {sr['window_closes']})")
    add(_wrap(sr["reason"], first="  "))
    add(_wrap("; ".join(f"{s['topic']}: {s['citation']}" for s in sr.get("sources", [])), first="  sources: ",
              indent="    "))
    if cited:
        # nxd36 (H-MED-762): each medicine source cited above by its id, in full, once
        add("\nMEDICINE SOURCES (cited above by id)")
        for sid, text in cited.items():
            add(_wrap(f"{sid}: {text}", first="  ", indent="    "))
    add("\n" + _wrap(a["disclaimer"], first="", indent=""))
    return "\n".join(out)
