"""PyInstaller entry point: the same ``main()`` as the ``radiculopathy-desktop`` command."""

import sys

from radiculopathy_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
