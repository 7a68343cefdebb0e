"""Citations as a clinician reads them, and the line between clinical and reviewer text.

Clinical surfaces (the stepped-care view, the patient view, the referral summary and
the handouts) show a short citation such as "NICE NG59 (2020 update), Pharmacological
management of sciatica" with the full reference one click away. What is meant for the
people who review the content stays on the reviewer view (the Guideline page, "Sources
and review status"): the seed summaries, which facts are not yet verified, the team's
working notes, and the places where the seed summaries and the guidelines disagree.

Every clinical surface formats its sources through :func:`short_citation` (and
:func:`clinical_sources` to leave out reviewer-only sources), so the rule lives here
once. :func:`provenance_marks` finds reviewer-only wording in any text; the tests run
it over every clinical surface for every example case.

Pure Python: no Qt.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

#: Source kinds (``resources/guidelines/sources.toml``) that are not clinical sources:
#: AI-generated seed summaries kept only to show where they differ from the guidelines.
REVIEWER_ONLY_KINDS = frozenset({"seed"})

#: Medicine-data source ids (``resources/medicines/sources.toml``) that are review notes
#: or seed summaries rather than published sources.
REVIEWER_ONLY_MEDICINE_IDS = frozenset({"seed1", "seed2", "reference"})

#: Reviewer-only wording: seed summaries and their authoring tool, verification marks,
#: the team's note files and folders, and the hash identifiers of seed documents.
_MARKS = (
    ("seed summary", re.compile(r"\bseed[\s_-]+summar(?:y|ies)\b|\bseeds?\s*[12]\b|\bthe seed'?s?\b", re.I)),
    ("Dr.Oracle", re.compile(r"dr\.?\s*oracle", re.I)),
    ("[unverified]", re.compile(r"\[\s*(?:unverified|to verify|verify)[^\]]*\]|\bunverified\b", re.I)),
    ("REFERENCE.md", re.compile(r"\bREFERENCE(?:\.md)?\b|shared/(?:clinical|seeds)")),
    ("hash identifier", re.compile(r"\b[0-9a-f]{16,}\b|\b\d{3}_[0-9a-f]{8,}\b", re.I)),
)

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def provenance_marks(text: str) -> list[str]:
    """The reviewer-only marks found in ``text`` (empty when it is fit for a clinical screen)."""
    found = []
    for name, pattern in _MARKS:
        m = pattern.search(text or "")
        if m:
            found.append(f"{name}: {m.group(0)!r}")
    return found


def is_reviewer_only(source: Any) -> bool:
    """True for a seed summary or a team note; False for a published source."""
    if isinstance(source, Mapping):
        if source.get("kind") in REVIEWER_ONLY_KINDS:
            return True
        if source.get("source_id") in REVIEWER_ONLY_MEDICINE_IDS:
            return True
        text = " ".join(str(source.get(k) or "") for k in ("guideline", "citation", "organisation"))
        return bool(provenance_marks(text))
    return bool(provenance_marks(str(source or "")))


def _shorten_free_text(text: str) -> str:
    """A short form of one free-text reference ("Goldberg H et al. Oral steroids ... JAMA 2015;..."
    -> "Goldberg H et al., 2015"): its lead (authors or issuer) and its year."""
    text = " ".join(text.split())
    cut = len(text)
    for sep in (": ", ". ", " ("):
        i = text.find(sep)
        if sep == " (" and 0 <= i < 12:  # "Neurontin (gabapentin) ...": the brackets are the point
            continue
        if 0 <= i < cut:
            cut = i
    lead = text[:cut].rstrip(" .,;")
    if len(lead) > 70:
        lead = lead[:67].rsplit(" ", 1)[0] + "…"
    year = _YEAR.search(text)
    if year and year.group(0) not in lead:
        lead += f", {year.group(0)}"
    return lead


def short_citation(source: Any) -> str:
    """The citation a clinician reads: "ACP 2017, Recommendation 1" or "Goldberg H et al., 2015".

    ``source`` is a guideline source (its ``to_dict()``: guideline, section, year) or a
    free-text reference (a string, possibly several joined by "; "). Reviewer-only parts
    are left out; an empty string means nothing clinical is left to cite.
    """
    if isinstance(source, Mapping):
        if is_reviewer_only(source):
            return ""
        short = str(source.get("guideline") or source.get("short") or "").strip()
        if not short and source.get("citation"):
            return short_citation(str(source["citation"]))
        section = str(source.get("section") or "").strip()
        year = source.get("year")
        out = short
        if section and not provenance_marks(section):
            out += (" " if section[:1].isdigit() else ", ") + section
        if year and str(year) not in out:
            out += f", {year}"
        return out
    parts = [p.strip() for p in str(source or "").split("; ") if p.strip()]
    return "; ".join(_shorten_free_text(p) for p in parts if not provenance_marks(p))


def citation_detail(source: Any) -> str:
    """The full reference behind a short citation (one click away on clinical screens)."""
    if isinstance(source, Mapping):
        if is_reviewer_only(source):
            return ""
        bits = [str(source.get(k) or "").strip() for k in ("organisation", "citation")]
        section = str(source.get("section") or "").strip()
        if section and not provenance_marks(section):
            bits.append(f"Section: {section}")
        return ". ".join(b.rstrip(".") for b in bits if b) + "."
    parts = [" ".join(p.split()) for p in str(source or "").split("; ") if p.strip()]
    return "\n".join(p for p in parts if not provenance_marks(p))


def _top_level_parts(text: str) -> list[str]:
    """``text`` split at "; " outside brackets: "Local convention (no consensus; MCID: Ostelo)"
    stays one part (splitting inside the brackets cut Ostelo off: rd13 D15)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if depth == 0 and text.startswith("; ", i):
            parts.append(text[start:i])
            start = i + 2
    parts.append(text[start:])
    return [" ".join(p.split()) for p in parts if p.strip()]


def full_reference(source: Any) -> str:
    """The whole clinical reference a line cites, nothing shortened (authors, organisation,
    journal or version and year as the data gives them): reviewer-only parts left out whole
    (a seed summary), reviewer marks in brackets ("[... unverified ...]") removed; "" when
    nothing clinical is left. What a referral's Sources list prints (rd13 D15)."""
    if isinstance(source, Mapping):
        return "" if is_reviewer_only(source) else citation_detail(source).rstrip(".")
    kept = []
    for part in _top_level_parts(str(source or "")):
        marks = [m for m in re.findall(r"\[[^\]]*\]", part) if provenance_marks(m)]
        for mark in marks:
            part = part.replace(mark, "")
        part = " ".join(part.split())
        if part and not provenance_marks(part):
            kept.append(part)
    return "; ".join(kept)


def clinical_sources(sources: Iterable[Any] | None) -> list[tuple[str, str]]:
    """(short citation, full detail) for each clinical source, once each, in order."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for s in sources or ():
        short = short_citation(s)
        if short and short not in seen:
            seen.add(short)
            out.append((short, citation_detail(s)))
    return out


def medicine_sources(source_ids: Iterable[str], texts: Mapping[str, str]) -> list[tuple[str, str]]:
    """(short citation, full detail) for medicine-data source ids, reviewer-only ids left out."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for sid in source_ids:
        if sid in REVIEWER_ONLY_MEDICINE_IDS or sid not in texts:
            continue
        text = texts[sid]
        short = short_citation(text)
        if short and short not in seen:
            seen.add(short)
            out.append((short, citation_detail(text)))
    return out


def clinical_text(text: str) -> str:
    """``text`` with reviewer-only wording removed: a bracketed aside or a clause ("; ...")
    or a sentence that names a seed summary, a verification mark or a team note goes;
    the rest is kept as written. Used for content text that mixes both."""
    text = " ".join(str(text or "").split())

    def bracket(m: re.Match) -> str:
        inner = m.group(1)
        if not provenance_marks(inner):
            return m.group(0)
        kept = [p for p in re.split(r";\s*|,\s+(?=seed)", inner) if p.strip() and not provenance_marks(p)]
        return f" ({'; '.join(kept)})" if kept else ""

    previous = None
    while previous != text:  # innermost brackets first
        previous = text
        text = re.sub(r"\s*\(([^()]*)\)", bracket, text)
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = []
    for sentence in sentences:
        if not provenance_marks(sentence):
            out.append(sentence)
            continue
        clauses = [c for c in re.split(r";\s+", sentence) if not provenance_marks(c)]
        if clauses:
            joined = "; ".join(clauses).rstrip(" ;,")
            out.append(joined if joined.endswith((".", "!", "?")) else joined + ".")
    return " ".join(out).strip()
