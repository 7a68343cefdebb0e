"""PyInstaller entry point: the same entry as the ``radiculopathy-desktop`` command (``stopping.console``:
the stop signals' handler installed before any heavy import, then ``cli.main()``)."""

import sys

from radiculopathy_desktop.stopping import console

if __name__ == "__main__":
    sys.exit(console())
