"""`leakguard scan` arguments without click: the start-up fast path.

Importing click costs more than a clean scan of a small file, and `scan` runs in every
commit hook. This parser takes only the plain spellings of scan's options and gives up
(returns None) on anything else: help, ``--history``, ``--``, repeated options,
abbreviations, a value that looks like an option, and any path click would reject.
Click then parses the same arguments, so its messages and checks stay the only ones.
"""

from __future__ import annotations

import os
import stat

from leakguard.cli.scan_run import FORMATS, scan

POLICY_ENV = "LEAKGUARD_POLICY"

# option -> keyword of scan(); each takes one value
VALUED = {
    "--format": "fmt",
    "--output": "output",
    "-o": "output",
    "--policy": "policy_file",
    "--destination": "destination",
    "--diff": "diff_range",
}
# flag -> (keyword, value)
FLAGS = {
    "--staged": ("staged", True),
    "--color": ("color", True),
    "--no-color": ("color", False),
    "--github-annotations": ("github_annotations", True),
}


def fast_main(args: list[str]) -> int | None:
    """Run `scan ARGS` if they parse here; None hands them to click."""
    parsed = parse(args)
    if parsed is None:
        return None
    paths, options = parsed
    return scan(paths, **options)  # type: ignore[arg-type]


def parse(args: list[str]) -> tuple[tuple[str, ...], dict[str, object]] | None:
    """(paths, keyword arguments of scan) exactly as click would give them, or None."""
    paths: list[str] = []
    options: dict[str, object] = {}
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name.startswith("--") and name in VALUED:
            if not equals:
                if position >= len(args):
                    return None
                value = args[position]
                position += 1
            key = VALUED[name]
        elif arg in VALUED:  # -o VALUE
            if position >= len(args):
                return None
            key, value = VALUED[arg], args[position]
            position += 1
        elif arg in FLAGS:
            key, flag = FLAGS[arg]
            if key in options:
                return None
            options[key] = flag
            continue
        else:
            return None
        if key in options or value.startswith("-"):
            return None
        options[key] = value
    if options.get("fmt", "text") not in FORMATS:
        return None
    if "policy_file" not in options:
        options["policy_file"] = os.environ.get(POLICY_ENV) or None
    checks = [(p, True) for p in paths if p != "-"]
    checks += [(str(options[k]), False) for k in ("output", "policy_file") if options.get(k)]
    if not all(_acceptable(value, dir_okay) for value, dir_okay in checks):
        return None
    return tuple(paths), options


def _acceptable(value: str, dir_okay: bool) -> bool:
    """Whether click.Path(dir_okay=...) would take ``value`` without an error."""
    try:
        info = os.stat(value)
    except OSError:
        return True  # missing paths are the command's business, not click's
    except ValueError:
        return False  # an embedded NUL: leave it to click
    if not dir_okay and stat.S_ISDIR(info.st_mode):
        return False
    return os.access(value, os.R_OK)
