from radiculopathy_desktop.cli import main

raise SystemExit(main())
