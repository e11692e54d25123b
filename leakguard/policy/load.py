"""Find policy files and turn them into one ``Policy``.

Layers, later wins: built-in defaults, the organisation policy (``--policy FILE`` or
``$LEAKGUARD_POLICY``), the repository's ``.leakguard.yaml`` found upward from the
scanned path. Reading, validating and merging files lives in ``files``, loaded only
when a file exists: without one, the policy is the defaults and start-up pays for no
YAML, schema or merge. A file that validated once is remembered by the SHA-256 of
its bytes in the user cache, so start-up does not pay for jsonschema again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from leakguard.errors import ConfigError
from leakguard.policy.model import Policy

if TYPE_CHECKING:
    from leakguard.policy.files import PolicyFile

POLICY_ENV = "LEAKGUARD_POLICY"
REPO_POLICY_NAMES = (".leakguard.yaml", ".leakguard.yml")


class PolicyError(ConfigError):
    """A policy with problems; ``problems`` holds one ``FILE:LINE: key: what`` each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def default_policy() -> Policy:
    """The embedded policy used when no file exists."""
    return Policy()


def find_repo_policy(start: Path) -> Path | None:
    """The nearest ``.leakguard.yaml``/``.yml`` from ``start`` upward, stopping after
    the repository root (a directory holding ``.git``) or the filesystem root."""
    start = start.absolute()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        found = [folder / name for name in REPO_POLICY_NAMES if (folder / name).is_file()]
        if len(found) > 1:
            raise ConfigError(f"{folder}: both .leakguard.yaml and .leakguard.yml exist; keep one")
        if found:
            return found[0]
        if (folder / ".git").exists():
            return None
    return None


def read_policy_file(path: Path) -> PolicyFile:
    """Parse and validate one file; all its problems raise one PolicyError."""
    from leakguard.policy.files import read_policy_file as read

    return read(path)


def combine(org: PolicyFile | None, repo: PolicyFile | None) -> Policy:
    """Defaults, then the organisation, then the repository, honouring locks."""
    if org is None and repo is None:
        return Policy()  # what merging nothing over the defaults gives (a test holds it)
    from leakguard.policy.files import combine as merged

    return merged(org, repo)


def load_policy_file(path: Path) -> Policy:
    """One file on its own over the defaults (`leakguard policy check FILE`)."""
    return combine(read_policy_file(path), None)


def load_policy(
    scan_root: Path | None,
    org_policy: Path | None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Policy:
    """The effective policy for ``scan_root`` (None: no repository policy is looked for).

    ``org_policy`` None falls back to ``$LEAKGUARD_POLICY``.
    """
    env = os.environ if environ is None else environ
    if org_policy is None and env.get(POLICY_ENV):
        org_policy = Path(env[POLICY_ENV])
    org = read_policy_file(org_policy) if org_policy is not None else None
    repo_path = find_repo_policy(scan_root) if scan_root is not None else None
    if repo_path is not None and org_policy is not None and _same(repo_path, org_policy):
        repo_path = None  # the organisation file is the repository's own
    repo = read_policy_file(repo_path) if repo_path is not None else None
    return combine(org, repo)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
