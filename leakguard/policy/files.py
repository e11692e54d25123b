"""Policy files: read, validate (once per content, remembered in the user cache) and
merge them over the defaults into one ``Policy``.

Loaded only when a policy file exists (see ``load``): a scan without one never pays for
YAML, the schema, or the merge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leakguard import __version__, cache
from leakguard.errors import ConfigError
from leakguard.policy import merge as layers
from leakguard.policy.convert import from_raw, to_raw
from leakguard.policy.load import POLICY_ENV, PolicyError
from leakguard.policy.model import Policy
from leakguard.policy.yamlsrc import Path_, dotted, line_of, parse


@dataclass(frozen=True)
class PolicyFile:
    path: str  # as shown in messages
    raw: dict[str, Any]
    lines: dict[Path_, int]


def _shown(path: Path) -> str:
    """A path as a person reads it: relative when under the current directory."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _cache_name(data: bytes) -> str:
    from leakguard.policy.schema import schema_digest

    # The version too: validation code (regex checks) may change while the schema does not.
    salt = f"leakguard-policy\0{__version__}\0{schema_digest()}\0".encode()
    digest = hashlib.sha256(salt + data)
    return f"policy-ok-{digest.hexdigest()[:40]}"


def read_policy_file(path: Path) -> PolicyFile:
    """Parse and validate one file; all its problems raise one PolicyError."""
    shown = _shown(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{shown}: policy file not found") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read policy file: {exc.strerror}") from None
    value, lines, problems = parse(data, shown)
    if value is None:
        value = {}  # an empty file is an empty policy
    name = _cache_name(data)
    if problems or cache.read_bytes(name) is None:
        from leakguard.policy.validate import problems as schema_problems

        problems = sorted(problems + schema_problems(value, lines, shown), key=_line_key)
        if problems:
            raise PolicyError(problems)
        cache.write_bytes(name, b"ok\n")
    return PolicyFile(shown, value, lines)


def _line_key(problem: str) -> tuple[int, str]:
    parts = problem.split(":", 2)
    return (int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0, problem)


def combine(org: PolicyFile | None, repo: PolicyFile | None) -> Policy:
    """Defaults, then the organisation, then the repository, honouring locks."""
    effective = to_raw(Policy())
    locked: tuple[str, ...] = ()
    warnings: list[str] = []
    if org is not None:
        locked = layers.locked_paths(org.raw)
        effective = layers.merge(effective, layers.strip_locks(org.raw))
    if repo is not None:
        repo_locks = layers.locked_paths(repo.raw)
        if repo_locks or "locked" in repo.raw:
            line = line_of(repo.lines, ("locked",)) if "locked" in repo.raw else 1
            warnings.append(
                f"{repo.path}:{line}: locked: ignored; only an organisation policy "
                f"(--policy FILE or ${POLICY_ENV}) can lock keys"
            )
        merged = layers.merge(effective, layers.strip_locks(repo.raw))
        conflicts = layers.lock_conflicts(effective, merged, locked)
        if conflicts and org is not None:
            raise PolicyError(
                [_lock_problem(key, org, repo, effective, merged) for key in conflicts]
            )
        effective = merged
    sources = tuple(f.path for f in (org, repo) if f is not None)
    root = str(Path(repo.path).absolute().parent) if repo is not None else None
    return from_raw(effective, locked=locked, sources=sources, root=root, warnings=tuple(warnings))


def _lock_problem(key: str, org: PolicyFile, repo: PolicyFile, before: Any, after: Any) -> str:
    prefix: Path_ = tuple(key.split("."))
    # Point at the deepest key this file sets that changes the locked value.
    changed = [
        p
        for p in repo.lines
        if p[: len(prefix)] == prefix
        and all(isinstance(k, str) for k in p)  # a list is replaced whole: name its key
        and layers.get_path(before, p) != layers.get_path(after, p)
    ]
    where = max(changed, key=lambda p: (len(p), -repo.lines[p])) if changed else prefix
    org_line = _lock_line(key, org)
    return (
        f"{repo.path}:{line_of(repo.lines, where)}: {dotted(where)}: locked by the "
        f"organisation policy ({org.path}:{org_line}); remove it from this file"
    )


def _lock_line(key: str, org: PolicyFile) -> int:
    """Where the organisation file locks ``key``: its entry in ``locked:``, or the
    section carrying ``locked: true``."""
    top = org.raw.get("locked")
    if isinstance(top, list) and key in top:
        return line_of(org.lines, ("locked", top.index(key)))
    prefix: Path_ = tuple(key.split("."))
    marker: Path_ = (*prefix, "locked")
    if marker in org.lines:
        return org.lines[marker]
    return line_of(org.lines, ("locked",))
