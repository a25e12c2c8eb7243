import sys

from tilannekuva.cli import main

sys.exit(main())
