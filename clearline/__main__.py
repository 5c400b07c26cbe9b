from clearline.cli import main

raise SystemExit(main())
