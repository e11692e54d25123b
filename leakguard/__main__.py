import sys

if sys.argv[1:2] == ["hook"]:  # AI-tool hooks run on every prompt: skip importing click
    from leakguard.integrations.hookmain import fast_main

    sys.exit(fast_main(sys.argv[2:]))

from leakguard.cli import main

main()
