"""Git as a door: staged content, a revision range, or every commit, as Fragments.

Only lines a change *adds* are attributed findings (``Fragment.lines``). Choices:

- ``--staged`` and ``--diff`` read each changed file's whole new blob (index or target
  tree) with one ``git cat-file --batch``, so detectors see the full file for context while
  findings stay limited to added lines; added lines come from one ``git diff -U0``.
- ``--history`` streams ``git log -p -U0`` and yields the added lines of each commit
  (small gaps filled with blank lines so offsets stay true). Merge commits are read as
  *combined* diffs (``--cc``): only lines that differ from every parent count as added.
  Everything a merge brings in from a branch was added by a commit on that branch, which
  the walk visits itself; so each line is attributed to the commit that wrote it and an
  evil merge (content in no parent) is still seen.
- ``A...B`` means "what B added since the merge base", for ``--diff`` and ``--history``
  alike; ``A..B`` means "from A to B"; a single revision ``A`` means ``A..HEAD``.
- Binary content (a NUL byte, decided by leakguard, not by .gitattributes), submodules
  and oversized content become ``Skip`` records: reported, never silently passed.

gitpython is not imported on these paths: the CLI wrapper adds ~100 ms of start-up to a
hook that must finish in 150 ms, and plumbing through ``git_run`` gives us full control
of the environment and config overrides.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from leakguard.errors import ConfigError, ScanError
from leakguard.models import Fragment, Skip
from leakguard.record import Record, record
from leakguard.sources.decode import decode_bytes, looks_binary
from leakguard.sources.git_patch import RawEntry, parse_raw_and_hunks
from leakguard.sources.git_run import GitContext, classify, popen, run, scrubbed_env

if TYPE_CHECKING:
    from leakguard.sources.git_log import FileChange

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_DIFF_FLAGS = ("--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/",
               "--dst-prefix=b/", "--ignore-submodules=none")
Item = Fragment | Skip
PathLike = str | os.PathLike[str]


@record
class Repo(Record):
    """A repository located with a scrubbed environment."""

    ctx: GitContext
    git_dir: str
    toplevel: str | None  # None for a bare repository


def open_repo(repo_path: PathLike | Repo = ".", *, staged: bool = False) -> Repo:
    """Locate the repository (one ``git rev-parse``); a Repo passed in is used as is."""
    if isinstance(repo_path, Repo):
        return repo_path
    path = Path(repo_path)
    if not path.is_dir():
        raise ConfigError(f"not a folder: {path}")
    probe = GitContext(cwd=str(path), env=scrubbed_env())
    # One call; outside a work tree (bare, or inside .git) --show-toplevel fails last.
    args = ["rev-parse", "--absolute-git-dir", "--show-toplevel"]
    out = run(probe, args, check=False)
    lines = out.stdout.decode("utf-8", "surrogateescape").splitlines()
    if not lines:
        raise classify(args, out.stderr)
    git_dir = lines[0]
    toplevel = lines[1] if out.returncode == 0 and len(lines) > 1 else None
    if staged and toplevel is None:
        raise ConfigError("a bare repository has no staged changes to scan")
    index = hook_index_file(git_dir) if staged else None
    return Repo(GitContext(cwd=toplevel or git_dir, env=scrubbed_env(index)), git_dir, toplevel)


def hook_index_file(git_dir: str, environ: dict[str, str] | None = None) -> str | None:
    """The index a running commit is about to record, when it differs from the default.

    ``git commit -a`` and ``git commit <paths>`` run the pre-commit hook with
    ``GIT_INDEX_FILE`` pointing at a temporary index inside the git dir; that index, not
    ``.git/index``, holds what is being committed. We honour the variable only when the
    file lies in the git dir of the repository being scanned, so a hook environment from
    another repository (a submodule, a nested repo) cannot redirect the scan.
    """
    value = (os.environ if environ is None else environ).get("GIT_INDEX_FILE")
    if not value:
        return None
    candidate = Path(value) if os.path.isabs(value) else Path.cwd() / value
    try:
        resolved = candidate.resolve(strict=True)
    except OSError:
        return None
    return str(resolved) if resolved.parent == Path(git_dir).resolve() else None


def _has_head(repo: Repo) -> bool:
    return run(repo.ctx, ["rev-parse", "--verify", "-q", "HEAD^{commit}"],
               check=False).returncode == 0


def staged_fragments(repo_path: PathLike | Repo = ".", *,
                     max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """The index content of every staged file, findings limited to its added lines."""
    repo = open_repo(repo_path, staged=True)
    # No HEAD yet (first commit): git compares the index with the empty tree.
    out = run(repo.ctx, ["diff", "--cached", "--raw", "-z", "-p", "-U0", "-M", "--no-abbrev",
                         *_DIFF_FLAGS])
    yield from _blob_fragments(repo, out.stdout, "staged", None, max_bytes)


def diff_fragments(repo_path: PathLike | Repo, rev_range: str, *,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Files changed in ``rev_range``, as of its target, limited to the added lines."""
    repo = open_repo(repo_path)
    base, target = resolve_range(repo, rev_range)
    out = run(repo.ctx, ["diff", "--raw", "-z", "-p", "-U0", "-M", "--no-abbrev", *_DIFF_FLAGS,
                         base, target, "--"])
    yield from _blob_fragments(repo, out.stdout, "diff", target, max_bytes)


def _check_rev(repo: Repo, rev: str) -> str:
    if not rev or rev.startswith("-") or any(c.isspace() for c in rev):
        raise ConfigError(f"invalid revision: {rev!r}")
    proc = run(repo.ctx, ["rev-parse", "--verify", "-q", "--end-of-options", rev + "^{commit}"],
               check=False)
    if proc.returncode != 0:
        hint = ""
        shallow = run(repo.ctx, ["rev-parse", "--is-shallow-repository"], check=False)
        if shallow.stdout.strip() == b"true":
            hint = (" (this is a shallow clone: fetch the missing history, e.g. "
                    "`git fetch --unshallow` or `fetch-depth: 0` in actions/checkout)")
        raise ConfigError(f"unknown revision {rev!r}{hint}")
    return proc.stdout.decode().strip()


def resolve_range(repo: Repo, rev_range: str) -> tuple[str, str]:
    """(base, target) commit ids of ``A...B`` (merge base), ``A..B`` or ``A`` (..HEAD)."""
    if "..." in rev_range:
        left, right = rev_range.split("...", 1)
        a, b = _check_rev(repo, left or "HEAD"), _check_rev(repo, right or "HEAD")
        proc = run(repo.ctx, ["merge-base", a, b], check=False)
        if proc.returncode != 0:
            shallow = run(repo.ctx, ["rev-parse", "--is-shallow-repository"], check=False)
            why = ("the clone is shallow: fetch more history (`git fetch --unshallow`, or "
                   "`fetch-depth: 0` in CI)" if shallow.stdout.strip() == b"true"
                   else "the histories are unrelated")
            raise ConfigError(f"no merge base for {rev_range!r}: {why}")
        return proc.stdout.decode().split()[0], b
    if ".." in rev_range:
        left, right = rev_range.split("..", 1)
        return _check_rev(repo, left or "HEAD"), _check_rev(repo, right or "HEAD")
    return _check_rev(repo, rev_range), _check_rev(repo, "HEAD")


def _blob_fragments(repo: Repo, diff_output: bytes, kind: str, commit: str | None,
                    max_bytes: int) -> Iterator[Item]:
    entries, added = parse_raw_and_hunks(diff_output)
    wanted: list[RawEntry] = []
    for entry in entries:
        if entry.status == "D":
            continue
        if entry.new_mode == "160000":
            yield Skip(entry.path, "submodule", "submodule pointer, content not scanned")
            continue
        if entry.status == "U" or set(entry.new_sha) == {"0"}:
            yield Skip(entry.path, "unreadable", "unmerged entry; resolve the conflict first")
            continue
        # A patch section with no added lines: deletions only. No section at all while the
        # content changed: git judged it binary (perhaps by .gitattributes), so we read the
        # blob and decide ourselves, scanning all of it if it is text.
        if added.get(entry.path) or (entry.path not in added and entry.old_sha != entry.new_sha):
            wanted.append(entry)
    blobs = read_blobs(repo, [e.new_sha for e in wanted], max_bytes)
    for entry, data in zip(wanted, blobs, strict=True):
        lines = added.get(entry.path)
        if data is None:
            yield Skip(entry.path, "too-large", f"blob larger than {max_bytes} bytes")
        elif looks_binary(data[:8192]):
            yield Skip(entry.path, "binary", "NUL bytes")
        else:
            yield Fragment(text=decode_bytes(data), path=entry.path, kind=kind, commit=commit,
                           lines=lines)


def read_blobs(repo: Repo, shas: list[str], max_bytes: int) -> Iterator[bytes | None]:
    """Contents of ``shas`` in order via one ``git cat-file --batch`` (None if too large).

    A thread feeds the object names so a large batch cannot deadlock on full pipes.
    """
    if not shas:
        return
    proc = popen(repo.ctx, ["cat-file", "--batch"], stdin=True)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None

    def feed() -> None:
        try:
            for sha in shas:
                proc.stdin.write(sha.encode() + b"\n")  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for sha in shas:
            header = proc.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise classify(["cat-file"], b"missing blob " + sha.encode() + b": " +
                               b" ".join(header) + b" " + proc.stderr.read(2000))
            size = int(header[2])
            if size > max_bytes:
                remaining = size + 1
                while remaining > 0:
                    chunk = proc.stdout.read(min(remaining, 1 << 20))
                    if not chunk:
                        raise ScanError("git cat-file stopped before the end of a blob")
                    remaining -= len(chunk)
                yield None
                continue
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after each object
            yield data
    finally:
        proc.stdout.close()  # first, so a blocked writer sees a broken pipe
        writer.join()
        proc.stderr.close()
        proc.wait()


def count_commits(repo_path: PathLike | Repo, rev_range: str | None = None) -> int:
    """How many commits ``history_fragments`` will walk (for a progress bar)."""
    repo = open_repo(repo_path)
    out = run(repo.ctx, ["rev-list", "--count", *_log_revs(repo, rev_range)])
    return int(out.stdout.strip() or 0)


def _log_revs(repo: Repo, rev_range: str | None) -> list[str]:
    if rev_range is None:
        return ["--all"]
    if "..." in rev_range or ".." in rev_range:
        base, target = resolve_range(repo, rev_range)
        return [target, "^" + base]
    return [_check_rev(repo, rev_range)]


def history_fragments(repo_path: PathLike | Repo = ".", rev_range: str | None = None,
                      *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Each commit's added lines (every ref when ``rev_range`` is None), newest first.

    Streams ``git log``: memory holds one file's added lines at a time.
    """
    repo = open_repo(repo_path)
    if rev_range is None and not _any_ref(repo):
        return  # an empty repository has no history to scan
    yield from _log_fragments(repo, _log_revs(repo, rev_range), max_bytes)


ZERO = "0" * 40


def push_fragments(repo_path: PathLike | Repo, updates: Iterable[tuple[str, str]],
                   remote: str | None = None, *,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """The commits a push would send: ``updates`` are (local sha, remote sha) pairs as git
    gives them to a pre-push hook. Commits already on the remote's tracking refs, or
    already at the remote sha, are left out; a remote sha we do not have only widens the
    scan (we never guess that something is already public)."""
    repo = open_repo(repo_path)
    include: list[str] = []
    exclude: list[str] = []
    for local, remote_sha in updates:
        if set(local) == {"0"}:
            continue  # deleting a remote branch sends nothing
        include.append(_check_rev(repo, local))
        if set(remote_sha) != {"0"}:
            probe = run(repo.ctx, ["cat-file", "-e", "--end-of-options", remote_sha + "^{commit}"],
                        check=False)
            if probe.returncode == 0:
                exclude.append("^" + remote_sha)
    if not include:
        return
    if remote and not remote.startswith("-"):
        exclude += ["--not", f"--remotes={remote}"]
    yield from _log_fragments(repo, include + exclude, max_bytes)


def _log_fragments(repo: Repo, revs: list[str], max_bytes: int) -> Iterator[Item]:
    # git's delta base cache defaults to 96 MB; 16 MB keeps git's memory flat on long
    # histories at no measured cost in speed.
    import tempfile  # history only: staged and diff scans never load these

    from leakguard.sources.git_log import LOG_FORMAT, parse_log

    args = ["-c", "core.deltaBaseCacheLimit=16m", "log", "-p", "-U0", "-M", "-a", "--cc",
            LOG_FORMAT, *_DIFF_FLAGS, *revs, "--"]

    with tempfile.TemporaryFile() as errors:
        proc = popen(repo.ctx, args, stderr=errors)
        assert proc.stdout is not None
        try:
            yield from _history_items(parse_log(proc.stdout, max_bytes))
        finally:
            proc.stdout.close()
            code = proc.wait()
        if code != 0:
            errors.seek(0)
            raise classify(args, errors.read(4000))


def _any_ref(repo: Repo) -> bool:
    out = run(repo.ctx, ["for-each-ref", "--count=1", "--format=%(refname)"])
    return bool(out.stdout.strip()) or _has_head(repo)


def _history_items(changes: Iterable[FileChange]) -> Iterator[Item]:
    from leakguard.sources.git_log import coalesce

    for change in changes:
        where = f"commit {change.commit.sha[:12]}"
        if change.submodule:
            yield Skip(change.path, "submodule", where)
        elif change.binary:
            yield Skip(change.path, "binary", where)
        elif change.too_large:
            yield Skip(change.path, "too-large", where)
        else:
            for start, text, lines in coalesce(change.added):
                yield Fragment(text=text, path=change.path, line_start=start, kind="history",
                               commit=change.commit.sha, author=change.commit.author,
                               date=change.commit.date, lines=lines)


def commit_meta(repo_path: PathLike | Repo,
                shas: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Author and date of ``shas`` in one call (only for commits that have findings)."""
    wanted = sorted({s for s in shas if s and not s.startswith("-")})
    if not wanted:
        return {}
    repo = open_repo(repo_path)
    out = run(repo.ctx, ["log", "--no-walk=unsorted", "--format=%H%x1f%an <%ae>%x1f%aI",
                         *wanted, "--"])
    meta = {}
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        sha, author, date = line.split("\x1f")
        meta[sha] = (author, date)
    return meta


def toplevel(repo_path: PathLike | Repo = ".") -> Path:
    """The work tree root (or git dir of a bare repository) containing ``repo_path``."""
    repo = open_repo(repo_path)
    return Path(repo.toplevel or repo.git_dir)
