"""The About box: what this is, which versions (app, guideline content, Qt), where the
data lives, the licence, and that it supports and does not replace clinical judgement."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

DISCLAIMER = ("Radiculopathy Desktop is decision support for clinicians. It supports and does not replace "
              "clinical judgement: check every suggestion against the patient in front of you.")
LICENCE = "MIT licence (see LICENSE). Questionnaire text keeps its own terms, recorded beside it."


def guideline_versions() -> dict[str, str]:
    """Content version per guideline profile (``load_guideline(p).content_version``)."""
    from radiculopathy_desktop.domain.guideline import load_guideline
    out = {}
    for profile in ("us", "uk"):
        try:
            out[profile] = str(load_guideline(profile).content_version)
        except Exception as exc:  # a broken guideline file is exactly what About should show
            out[profile] = f"could not be loaded ({type(exc).__name__})"
    return out


def about_facts(context) -> list[tuple[str, str]]:
    import PySide6
    from PySide6.QtCore import qVersion

    from radiculopathy_desktop import __version__
    versions = guideline_versions()
    return [
        ("Version", __version__),
        ("Guideline content (US profile)", versions["us"]),
        ("Guideline content (UK profile)", versions["uk"]),
        ("Qt / PySide6", f"Qt {qVersion()} · PySide6 {PySide6.__version__}"),
        ("Data folder", str(context.data_dir or "(not known)") + (" (temporary demo folder)" if context.demo else "")),
        ("Licence", LICENCE),
    ]


class AboutDialog(QDialog):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        from radiculopathy_desktop import APP_NAME
        self.setWindowTitle(f"About {APP_NAME}")
        self.setAccessibleName(f"About {APP_NAME}")
        self.facts = about_facts(context)
        layout = QVBoxLayout(self)
        rows = "".join(f"<tr><td style='padding-right:12px' valign='top'><b>{escape(k)}</b></td>"
                       f"<td valign='top'>{escape(v)}</td></tr>" for k, v in self.facts)
        self.text = QLabel(f"<h2>{escape(APP_NAME)}</h2>"
                           "<p>Offline decision support for lumbar radiculopathy (sciatica) in primary care "
                           "and musculoskeletal clinics.</p>"
                           f"<table cellspacing='0' cellpadding='2'>{rows}</table>")
        self.text.setTextFormat(Qt.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.text.setAccessibleName("About this app")
        self.text.setFocusPolicy(Qt.ClickFocus)  # keyboard users land on Close; "Copy versions" copies it all
        layout.addWidget(self.text)
        self.disclaimer = QLabel(DISCLAIMER)
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setFrameShape(QLabel.StyledPanel)
        self.disclaimer.setMargin(8)
        self.disclaimer.setAccessibleName("Disclaimer")
        layout.addWidget(self.disclaimer)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.copy_button = QPushButton("&Copy versions")
        self.copy_button.setAccessibleName("Copy versions to the clipboard")
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy_versions)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.close_button = buttons.button(QDialogButtonBox.Close)
        self.close_button.setFocus()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 50)

    def plain_text(self) -> str:
        from radiculopathy_desktop import APP_NAME
        return "\n".join([APP_NAME, *(f"{k}: {v}" for k, v in self.facts), DISCLAIMER])

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.plain_text())


def open_about(parent: QWidget | None, context) -> AboutDialog:
    """Show the About box without blocking."""
    dialog = AboutDialog(context, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    dialog.close_button.setFocus()
    return dialog
