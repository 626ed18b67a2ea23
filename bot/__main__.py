"""`python -m bot` starts the same CLI as the `mentorbot` script."""

from adapters.cli import main

raise SystemExit(main())
