# ``stopping.console``: the stop signals' handler first, before any heavy import (the commands, Qt).
from radiculopathy_desktop.stopping import console

raise SystemExit(console())
