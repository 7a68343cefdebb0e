# The stop signals' handler first, before any heavy import (the commands, Qt): a SIGTERM, SIGHUP or
# Ctrl+C during start-up is a plain "stopped by ..." line, never a traceback (stopping.py).
from radiculopathy_desktop import stopping

stopping.install()
try:
    from radiculopathy_desktop.cli import main, stopped_message

    stopping.check()
except KeyboardInterrupt as exc:  # during the imports: nothing was done yet
    import sys

    print(f"stopped by {stopping.signal_name(getattr(exc, 'signum', 2))} while starting: nothing was done",
          file=sys.stderr)
    raise SystemExit(128 + getattr(exc, "signum", 2)) from None
try:
    code = main()
except KeyboardInterrupt as exc:  # while the command line was read (its modules imported): nothing done
    code = stopped_message(getattr(exc, "signum", None), starting=True)
raise SystemExit(code)
