from task_manager.cli import main

raise SystemExit(main())
