"""Render the SVG application icon to the PNG and ICO files the desktop entry and the
Windows build use. Run after editing ``resources/icons/radiculopathy-desktop.svg``:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

Uses only Qt (QtSvg from PySide6-Essentials), so no image library is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"
SVG = ICONS / "radiculopathy-desktop.svg"
PNG_SIZE = 256
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - needed for painting
    png = ICONS / "radiculopathy-desktop.png"
    if not render(PNG_SIZE).save(str(png), "PNG"):
        raise SystemExit(f"could not write {png}")
    # Qt's ICO writer stores one size per file; write the 256 px one (Windows scales it).
    ico = ICONS / "radiculopathy-desktop.ico"
    if not render(256).save(str(ico), "ICO"):
        raise SystemExit(f"could not write {ico}")
    print(f"wrote {png} and {ico}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
