"""The git door over real repositories: staged, diff and history fragments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leakguard.errors import ConfigError, ScanError
from leakguard.models import Fragment, Skip
from leakguard.sources import git as gitsrc
from tests.gitutil import commit, fake_aws_key, git, init_repo, other_fake_aws_key, write


def fragments(items: object) -> list[Fragment]:
    return [i for i in items if isinstance(i, Fragment)]  # type: ignore[attr-defined]


def skips(items: object) -> list[Skip]:
    return [i for i in items if isinstance(i, Skip)]  # type: ignore[attr-defined]


def added_text(fragment: Fragment) -> list[str]:
    """The text of the lines a fragment attributes findings to."""
    lines = fragment.text.split("\n")
    wanted = fragment.lines or frozenset(range(fragment.line_start,
                                               fragment.line_start + len(lines)))
    return [lines[n - fragment.line_start] for n in sorted(wanted)]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return init_repo(tmp_path / "repo")


# --- staged -----------------------------------------------------------------------------

def test_staged_reads_the_index_not_the_working_tree(repo: Path) -> None:
    commit(repo, {"app.py": "a = 1\n"})
    write(repo, "app.py", f"a = 1\nkey = '{fake_aws_key()}'\n")
    git(repo, "add", "app.py")
    write(repo, "app.py", "a = 1\nkey = 'removed in the working tree only'\n")
    [frag] = fragments(gitsrc.staged_fragments(repo))
    assert frag.kind == "staged" and frag.path == "app.py"
    assert fake_aws_key() in frag.text
    assert added_text(frag) == [f"key = '{fake_aws_key()}'"]


def test_unstaged_secret_is_not_scanned_as_staged(repo: Path) -> None:
    commit(repo, {"app.py": "a = 1\n"})
    write(repo, "app.py", "a = 1\nb = 2\n")
    git(repo, "add", "app.py")
    write(repo, "app.py", f"a = 1\nb = 2\nkey = '{fake_aws_key()}'\n")
    [frag] = fragments(gitsrc.staged_fragments(repo))
    assert fake_aws_key() not in frag.text
    assert frag.lines == frozenset({2})


def test_staged_only_added_lines_count(repo: Path) -> None:
    body = "".join(f"line {n}\n" for n in range(1, 21))
    commit(repo, {"f.txt": body})
    changed = body.replace("line 5\n", "line 5 changed\n").replace("line 15\n", "")
    write(repo, "f.txt", changed + "tail\n")
    git(repo, "add", "f.txt")
    [frag] = fragments(gitsrc.staged_fragments(repo))
    assert frag.lines == frozenset({5, 20})
    assert added_text(frag) == ["line 5 changed", "tail"]


def test_first_commit_in_an_empty_repo(repo: Path) -> None:
    write(repo, "a.txt", "one\ntwo\n")
    git(repo, "add", "a.txt")
    [frag] = fragments(gitsrc.staged_fragments(repo))
    assert frag.lines == frozenset({1, 2})
    assert list(gitsrc.staged_fragments(init_repo(repo.parent / "empty"))) == []


def test_renames_deletions_and_odd_paths(repo: Path) -> None:
    body = "".join(f"row {n}\n" for n in range(10))
    commit(repo, {"old.txt": "same\ncontent\n", "gone.txt": "bye\n", "moved.txt": body})
    git(repo, "mv", "old.txt", "new name ü \"q\".txt")
    git(repo, "rm", "-q", "gone.txt")
    (repo / "dir").mkdir()
    git(repo, "mv", "moved.txt", "dir/moved.txt")
    write(repo, "dir/moved.txt", body + "added\n")
    git(repo, "add", "dir/moved.txt")
    frags = fragments(gitsrc.staged_fragments(repo))
    # a pure rename adds no lines; a rename with an edit adds only the edit
    assert [(f.path, added_text(f)) for f in frags] == [("dir/moved.txt", ["added"])]


def test_odd_path_with_added_lines(repo: Path) -> None:
    name = "sp ace/tab\tü \"q\".txt"
    write(repo, name, "secret line\n")
    git(repo, "add", "--", name)
    [frag] = fragments(gitsrc.staged_fragments(repo))
    assert frag.path == name and frag.lines == frozenset({1})


def test_binary_submodule_and_oversized_are_skipped_not_dropped(repo: Path) -> None:
    sha = commit(repo, {"a.txt": "a\n"})
    write(repo, "blob.bin", b"\x00\x01" + fake_aws_key().encode())
    write(repo, "big.txt", "x" * 5000 + "\n")
    git(repo, "add", "blob.bin", "big.txt")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},vendor/sub")
    items = list(gitsrc.staged_fragments(repo, max_bytes=4096))
    assert fragments(items) == []
    assert sorted((s.path, s.reason) for s in skips(items)) == [
        ("big.txt", "too-large"), ("blob.bin", "binary"), ("vendor/sub", "submodule")]


def test_hook_index_file_inside_the_git_dir_is_honoured(repo: Path) -> None:
    """`git commit -a` runs the hook with a temporary index: that is what gets committed."""
    commit(repo, {"app.py": "a = 1\n"})
    temp_index = repo / ".git" / "next-index-42.lock"
    shutil.copy(repo / ".git" / "index", temp_index)
    write(repo, "app.py", f"a = 1\nkey = '{fake_aws_key()}'\n")
    git(repo, "add", "app.py", env={"GIT_INDEX_FILE": str(temp_index)})
    assert fragments(gitsrc.staged_fragments(repo)) == []  # the default index is unchanged
    env = {"GIT_INDEX_FILE": str(temp_index), "GIT_DIR": str(repo / ".git"),
           "GIT_WORK_TREE": str(repo)}
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        [frag] = fragments(gitsrc.staged_fragments(repo))
    assert fake_aws_key() in frag.text


def test_foreign_hook_environment_is_scrubbed(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"app.py": "a = 1\n"})
    write(repo, "app.py", "a = 1\nb = 2\n")
    git(repo, "add", "app.py")
    other = init_repo(tmp_path / "other")
    write(other, "x.txt", f"{fake_aws_key()}\n")
    git(other, "add", "x.txt")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_DIR", str(other / ".git"))
        mp.setenv("GIT_WORK_TREE", str(other))
        mp.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
        mp.setenv("GIT_OBJECT_DIRECTORY", str(other / ".git" / "objects"))
        [frag] = fragments(gitsrc.staged_fragments(repo))
    assert frag.path == "app.py" and frag.lines == frozenset({2})


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a git repository"):
        list(gitsrc.staged_fragments(tmp_path))
    with pytest.raises(ConfigError, match="not a git repository"):
        list(gitsrc.history_fragments(tmp_path))


# --- diff -------------------------------------------------------------------------------

def _branchy(repo: Path) -> tuple[str, str]:
    base = commit(repo, {"old.py": f"k = '{fake_aws_key()}'\n"}, "old secret")
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, {"new.py": "ok = 1\n", "old.py": f"k = '{fake_aws_key()}'\nx = 2\n"})
    commit(repo, {"new.py": f"ok = 1\nk2 = '{other_fake_aws_key()}'\n"})
    git(repo, "checkout", "-q", "main")
    commit(repo, {"main.py": f"m = '{other_fake_aws_key()}'\n"}, "main moves on")
    return base, git(repo, "rev-parse", "feature")


def test_diff_ignores_what_existed_before_base(repo: Path) -> None:
    _, feature = _branchy(repo)
    frags = fragments(gitsrc.diff_fragments(repo, "main...feature"))
    assert {f.path: added_text(f) for f in frags} == {
        "old.py": ["x = 2"], "new.py": ["ok = 1", f"k2 = '{other_fake_aws_key()}'"]}
    assert all(f.kind == "diff" and f.commit == feature for f in frags)


def test_two_dot_range_compares_the_endpoints(repo: Path) -> None:
    _branchy(repo)
    frags = fragments(gitsrc.diff_fragments(repo, "main..feature"))
    # main.py was added on main only: from main to feature it is deleted, so not scanned
    assert sorted(f.path for f in frags) == ["new.py", "old.py"]


def test_unknown_revision_is_a_config_error(repo: Path) -> None:
    commit(repo, {"a": "a\n"})
    with pytest.raises(ConfigError, match="unknown revision 'nope'"):
        list(gitsrc.diff_fragments(repo, "nope...HEAD"))
    with pytest.raises(ConfigError, match="invalid revision"):
        list(gitsrc.diff_fragments(repo, "--output=/tmp/x"))
    with pytest.raises(ConfigError, match="unknown revision"):
        list(gitsrc.history_fragments(repo, "HEAD~5..HEAD"))


def test_shallow_clone_without_base_explains_itself(repo: Path, tmp_path: Path) -> None:
    for n in range(3):
        commit(repo, {"a.txt": f"{n}\n"})
    base = git(repo, "rev-parse", "HEAD~2")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    with pytest.raises(ConfigError, match="shallow clone"):
        list(gitsrc.diff_fragments(clone, f"{base}...HEAD"))


# --- history ----------------------------------------------------------------------------

def test_history_finds_a_secret_added_then_deleted(repo: Path) -> None:
    commit(repo, {"a.txt": "hello\n"}, "first")
    leak = commit(repo, {"conf.ini": f"[aws]\nkey={fake_aws_key()}\n"}, "oops")
    commit(repo, remove=("conf.ini",), message="remove it")
    frags = [f for f in fragments(gitsrc.history_fragments(repo)) if fake_aws_key() in f.text]
    [frag] = frags
    assert (frag.path, frag.commit, frag.kind) == ("conf.ini", leak, "history")
    assert frag.author == "Test Author <author@example.com>"
    assert frag.date and frag.date[:2] == "20"
    assert added_text(frag) == ["[aws]", f"key={fake_aws_key()}"]


def test_history_merges_attribute_lines_to_the_commit_that_wrote_them(repo: Path) -> None:
    commit(repo, {"f.txt": "a\nb\nc\n"})
    git(repo, "checkout", "-q", "-b", "side")
    side = commit(repo, {"f.txt": "a\nb\nc\nfrom side\n"})
    git(repo, "checkout", "-q", "main")
    commit(repo, {"g.txt": "main\n"})
    git(repo, "merge", "-q", "--no-commit", "side")
    write(repo, "f.txt", "a\nb\nc\nfrom side\nevil merge\n")
    git(repo, "add", "f.txt")
    git(repo, "commit", "-q", "-m", "merge")
    merge = git(repo, "rev-parse", "HEAD")
    by_line = {line: f.commit for f in fragments(gitsrc.history_fragments(repo))
               if f.path == "f.txt" for line in added_text(f)}
    assert by_line["from side"] == side
    assert by_line["evil merge"] == merge


def test_history_range_detached_head_and_empty_repo(repo: Path, tmp_path: Path) -> None:
    assert list(gitsrc.history_fragments(init_repo(tmp_path / "empty"))) == []
    first = commit(repo, {"a.txt": "1\n"})
    second = commit(repo, {"a.txt": "1\n2\n"})
    git(repo, "checkout", "-q", "--detach", first)
    dangling = commit(repo, {"d.txt": "detached\n"})
    commits = {f.commit for f in fragments(gitsrc.history_fragments(repo))}
    assert commits == {first, second, dangling}
    ranged = {f.commit for f in fragments(gitsrc.history_fragments(repo, f"{first}..{second}"))}
    assert ranged == {second}
    assert gitsrc.count_commits(repo) == 3


def test_history_skips_binaries_and_submodules(repo: Path) -> None:
    sha = commit(repo, {"a.txt": "a\n"})
    write(repo, "blob.bin", b"\x00" + fake_aws_key().encode() + b"\n")
    git(repo, "add", "blob.bin")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},sub")
    commit(repo, message="binary and submodule")
    items = list(gitsrc.history_fragments(repo))
    assert sorted((s.path, s.reason) for s in skips(items)) == [
        ("blob.bin", "binary"), ("sub", "submodule")]
    assert all(fake_aws_key() not in f.text for f in fragments(items))


def test_gitattributes_cannot_hide_text_from_history(repo: Path) -> None:
    commit(repo, {".gitattributes": "*.py -diff\n", "a.py": f"k = '{fake_aws_key()}'\n"})
    assert any(fake_aws_key() in f.text for f in fragments(gitsrc.history_fragments(repo)))


def test_corrupt_object_is_a_scan_error(repo: Path) -> None:
    commit(repo, {"a.txt": "hello\n"})
    blob = git(repo, "rev-parse", "HEAD:a.txt")
    obj = repo / ".git" / "objects" / blob[:2] / blob[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"garbage")
    with pytest.raises(ScanError):
        list(gitsrc.history_fragments(repo))
    write(repo, "b.txt", "hello\n")  # same content: the staged blob is the corrupt one
    git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},b.txt")
    with pytest.raises(ScanError):
        list(gitsrc.staged_fragments(repo))


def test_repo_config_cannot_run_commands(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\necho ran >> '{marker}'\ncat \"$1\" 2>/dev/null\n")
    script.chmod(0o755)
    commit(repo, {".gitattributes": "*.txt diff=evil filter=evil\n", "a.txt": "a\n"})
    for key in ("core.fsmonitor", "diff.evil.textconv", "diff.external", "filter.evil.clean",
                "filter.evil.smudge", "diff.evil.command", "core.pager"):
        git(repo, "config", key, str(script))
    git(repo, "config", "log.showSignature", "true")
    write(repo, "a.txt", "a\nb\n")
    git(repo, "add", "a.txt")
    marker.unlink(missing_ok=True)  # `git add` itself may run the clean filter
    list(gitsrc.staged_fragments(repo))
    list(gitsrc.history_fragments(repo))
    list(gitsrc.diff_fragments(repo, "HEAD"))
    assert not marker.exists()


def test_gitattributes_cannot_hide_staged_text(repo: Path) -> None:
    commit(repo, {".gitattributes": "*.py -diff\n"})
    write(repo, "a.py", f"k = '{fake_aws_key()}'\n")
    git(repo, "add", "a.py")
    [frag] = fragments(gitsrc.staged_fragments(repo))
    assert fake_aws_key() in frag.text and frag.lines is None  # whole file, fail closed


def test_history_and_diff_work_in_a_bare_clone(repo: Path, tmp_path: Path) -> None:
    first = commit(repo, {"a.txt": "a\n"})
    second = commit(repo, {"a.txt": f"a\n{fake_aws_key()}\n"})
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    assert {f.commit for f in fragments(gitsrc.history_fragments(bare))} == {first, second}
    [frag] = fragments(gitsrc.diff_fragments(bare, f"{first}..{second}"))
    assert added_text(frag) == [fake_aws_key()]
    with pytest.raises(ConfigError, match="bare repository"):
        list(gitsrc.staged_fragments(bare))
