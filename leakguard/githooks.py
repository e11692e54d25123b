"""Plain git hooks: the scripts, and installing them beside (never over) existing hooks.

The scripts in the repository's ``hooks/`` folder are ``render(name)`` with no
interpreter filled in (a test keeps them identical). An installed hook is recognised by
its marker line; a foreign hook already in place is renamed ``<name>.leakguard-chained``
and run first by ours, its failure failing the commit; uninstall renames it back.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from leakguard.errors import ConfigError
from leakguard.sources.git_run import GitContext, run, scrubbed_env

MARKER = "# leakguard-managed-hook"
CHAINED_SUFFIX = ".leakguard-chained"
HOOKS = ("pre-commit", "pre-push")

_FIND = r"""if command -v leakguard >/dev/null 2>&1; then
    set -- leakguard
elif [ -n "$LEAKGUARD_PYTHON" ] && "$LEAKGUARD_PYTHON" -c 'import leakguard' >/dev/null 2>&1
then
    set -- "$LEAKGUARD_PYTHON" -m leakguard
elif command -v python3 >/dev/null 2>&1 && python3 -c 'import leakguard' >/dev/null 2>&1; then
    set -- python3 -m leakguard
else
    echo "leakguard: the $hook hook cannot find leakguard, so git was stopped." >&2
    echo "  Install it where this hook can see it (pip install leakguard, on PATH)," >&2
    echo "  or remove the hook: leakguard uninstall git-hook." >&2
    exit 1
fi
"""

_VERDICT = r"""status=$?
case $status in
    0) exit 0 ;;
    1) echo "leakguard: $what blocked by the findings above." >&2
       echo "  Remove them (and rotate any real secret), mark an intended one with a" >&2
       echo "  'leakguard:allow' comment on its line, or accept current findings with" >&2
       echo "  'leakguard baseline create' (.leakguardignore)." >&2 ;;
    *) echo "leakguard: $what stopped: the scan could not complete (exit $status)." >&2
       echo "  Fix the error above (policy file, repository) and try again." >&2 ;;
esac
exit $status
"""

_BODY = {
    "pre-commit": r"""hook=pre-commit
what="commit"
chained="$0.leakguard-chained"
if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
""" + _FIND + r"""
"$@" scan --staged
""" + _VERDICT,
    "pre-push": r"""hook=pre-push
what="push"
remote="$1"
url="$2"
refs=$(cat)
chained="$0.leakguard-chained"
if [ -x "$chained" ]; then
    printf '%s\n' "$refs" | "$chained" "$@" || exit $?
fi
""" + _FIND + r"""
printf '%s\n' "$refs" | "$@" pre-push "$remote" "$url"
""" + _VERDICT,
}


def render(name: str, python: str = "") -> str:
    """The hook script ``name``; ``python`` is the interpreter to fall back on."""
    if name not in _BODY:
        raise ConfigError(f"unknown hook {name!r} (choose from {', '.join(HOOKS)})")
    return (
        "#!/bin/sh\n"
        f"{MARKER}: {name} (from `leakguard install git-hook`; this line marks it as ours)\n"
        f"# Runs leakguard on what git is about to {'commit' if name == 'pre-commit' else 'push'}"
        ".\n"
        f"LEAKGUARD_PYTHON={shlex.quote(python) if python else chr(39) * 2}\n"
        + _BODY[name]
    )


def hooks_dir(repo_path: str | os.PathLike[str] = ".") -> Path:
    """Where git runs hooks for this repository (honours ``core.hooksPath``)."""
    ctx = GitContext(cwd=str(repo_path), env=scrubbed_env())
    out = run(ctx, ["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
    return Path(out.stdout.decode("utf-8", "surrogateescape").strip())


@dataclass(frozen=True)
class HookChange:
    hook: str
    path: Path
    action: str  # installed | unchanged | updated | chained | removed | restored | ...

    def describe(self) -> str:
        return f"{self.hook}: {self.action} ({self.path})"


def is_ours(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:400]
    except OSError:
        return False
    return MARKER in head


def install(repo_path: str | os.PathLike[str], names: tuple[str, ...],
            python: str = "") -> list[HookChange]:
    folder = hooks_dir(repo_path)
    folder.mkdir(parents=True, exist_ok=True)
    changes = []
    for name in names:
        target, chained = folder / name, folder / (name + CHAINED_SUFFIX)
        content = render(name, python)
        action = "installed"
        if target.exists() or target.is_symlink():
            if is_ours(target):
                if target.read_text(encoding="utf-8") == content and os.access(target, os.X_OK):
                    changes.append(HookChange(name, target, "unchanged"))
                    continue
                action = "updated"
            elif chained.exists() or chained.is_symlink():
                raise ConfigError(f"{target} is not leakguard's and {chained.name} exists too; "
                                  "merge them by hand, then run install again")
            else:
                target.rename(chained)  # kept byte for byte, mode and all
                action = "chained"
        tmp = target.with_name(f".{name}.leakguard-tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.chmod(0o755)
        tmp.replace(target)
        changes.append(HookChange(name, target, action))
    return changes


def uninstall(repo_path: str | os.PathLike[str], names: tuple[str, ...]) -> list[HookChange]:
    folder = hooks_dir(repo_path)
    changes = []
    for name in names:
        target, chained = folder / name, folder / (name + CHAINED_SUFFIX)
        if not (target.exists() or target.is_symlink()):
            action = "not installed"
            if chained.exists() or chained.is_symlink():
                chained.rename(target)
                action = "restored"
        elif not is_ours(target):
            action = "not leakguard's, left alone"
        elif chained.exists() or chained.is_symlink():
            chained.replace(target)
            action = "restored"
        else:
            target.unlink()
            action = "removed"
        changes.append(HookChange(name, target, action))
    return changes
