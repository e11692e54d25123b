"""Running git safely: a scrubbed environment, config that cannot run commands, clear errors.

A repository's own config (or a hook's environment) must not be able to make leakguard
execute programs or read the wrong repository. Every git call goes through ``run`` or
``popen`` here, which:

- drops inherited ``GIT_*`` variables (a hook exports ``GIT_DIR``, ``GIT_INDEX_FILE``...
  that would redirect nested calls), keeping ``GIT_INDEX_FILE`` only where the caller
  decided it belongs to the repository being scanned (see ``git.py``);
- overrides with ``-c`` the settings that execute commands or change output shape
  (fsmonitor, pager, signature checks, prefixes, colour) and callers pass
  ``--no-ext-diff --no-textconv``; only plumbing reads are used, which never run filters.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence

from leakguard.errors import ConfigError, ScanError
from leakguard.record import Record, record

GIT = "git"

# Settings that could execute a program or change the shape of the output we parse.
SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.pager=cat",
    "core.quotepath=off",
    "color.ui=false",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.relative=false",
    "diff.external=",
    "log.showSignature=false",
    "log.showRoot=true",
    "i18n.logOutputEncoding=UTF-8",
)

# Variables a git hook or the user's shell may export that would change which repository,
# index or config nested git calls see. Everything else named GIT_* is dropped too, except
# these, which only concern transport and tracing.
_KEEP = frozenset({"GIT_EXEC_PATH", "GIT_CEILING_DIRECTORIES", "GIT_TRACE", "GIT_SSH",
                   "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY"})


def scrubbed_env(index_file: str | None = None,
                 base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for leakguard's git calls: no inherited repository redirections."""
    source = os.environ if base is None else base
    env = {k: v for k, v in source.items() if not k.startswith("GIT_") or k in _KEEP}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # never take index.lock: a commit may hold it
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"  # stable error messages to classify
    env["LANGUAGE"] = "C"
    if index_file:
        env["GIT_INDEX_FILE"] = index_file
    return env


@record
class GitContext(Record):
    """Where and how to run git for one repository."""

    cwd: str
    env: Mapping[str, str]

    def argv(self, args: Sequence[str]) -> list[str]:
        argv = [GIT]
        for setting in SAFE_CONFIG:
            argv += ["-c", setting]
        return argv + list(args)


def run(ctx: GitContext, args: Sequence[str], *, input_bytes: bytes | None = None,
        check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run git to completion; failures become ConfigError/ScanError with git's reason."""
    try:
        proc = subprocess.run(ctx.argv(args), cwd=ctx.cwd, env=dict(ctx.env),
                              input=input_bytes, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise ScanError("git is not installed or not on PATH") from exc
    if check and proc.returncode != 0:
        raise classify(args, proc.stderr)
    return proc


def popen(ctx: GitContext, args: Sequence[str], *, stdin: bool = False,
          stderr: int | object = subprocess.PIPE) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(ctx.argv(args), cwd=ctx.cwd, env=dict(ctx.env),
                                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=stderr)  # type: ignore[arg-type]
    except FileNotFoundError as exc:
        raise ScanError("git is not installed or not on PATH") from exc


_CORRUPT = ("corrupt", "bad object", "loose object", "inflate", "unable to read",
            "missing blob", "missing tree", "invalid object", "packfile", "did not receive")
_UNKNOWN_REV = ("unknown revision", "bad revision", "ambiguous argument", "not a valid object",
                "needed a single revision", "invalid symmetric difference", "no merge base")


def classify(args: Sequence[str], stderr: bytes) -> ConfigError | ScanError:
    """Turn git's stderr into an error a person can act on (never "clean")."""
    text = stderr.decode("utf-8", "replace").strip()
    first = next((ln for ln in text.splitlines() if ln.strip()), "no message")
    lowered = text.lower()
    sub = next((a for a in args if not a.startswith("-")), "git")
    if "not a git repository" in lowered:
        return ConfigError("not a git repository (run inside a git work tree or pass its path)")
    if "dubious ownership" in lowered:
        return ConfigError(f"git refuses this repository: {first}")
    if any(marker in lowered for marker in _CORRUPT):
        return ScanError(f"git could not read an object (corrupt or incomplete repository): "
                         f"{first}")
    if any(marker in lowered for marker in _UNKNOWN_REV):
        return ConfigError(f"unknown revision: {first}")
    return ScanError(f"git {sub} failed: {first}")
