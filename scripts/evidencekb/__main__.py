from evidencekb.cli import main

raise SystemExit(main())
