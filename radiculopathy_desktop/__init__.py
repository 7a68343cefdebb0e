"""Radiculopathy Desktop: offline decision support for lumbar radiculopathy.

The package is layered: ``domain`` (pure Python clinical rules, no Qt),
``storage`` (SQLite through sqlite-utils, no Qt), ``reports`` (handouts and
exports) and ``ui`` (Qt widgets only). Data flows one way: intake -> domain
evaluation -> storage -> views and reports.
"""

__version__ = "0.1.0"
APP_NAME = "Radiculopathy Desktop"
APP_ID = "radiculopathy-desktop"
