"""The words of a saved PDF, as the tests read them."""

from __future__ import annotations

import unicodedata

from pypdf import PdfReader


def pdf_words(path) -> str:
    """Every page's text, NFKC-normalised (ligatures and compatibility forms as plain letters),
    white space folded to single spaces."""
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())
