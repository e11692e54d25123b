import sys

# AI-tool hooks run on every prompt and tool call: answer them without importing click.
if sys.argv[1:2] == ["hook"] and not {"-h", "--help"} & set(sys.argv):
    from leakguard.integrations.hookmain import fast_main

    sys.exit(fast_main(sys.argv[2:]))

from leakguard.cli import main

main()
