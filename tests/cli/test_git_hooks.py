"""Git doors end to end: real repositories, the real CLI, real hooks run by real git."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from leakguard.githooks import CHAINED_SUFFIX, MARKER, render
from tests.gitutil import commit, fake_aws_key, git, init_repo, other_fake_aws_key, write
from tests.helpers import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("leakguard-cache")


@pytest.fixture(autouse=True)
def _cache(_shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every hook run starts leakguard afresh: share its rule cache across these tests
    # (still a temp dir) instead of recompiling the rules in each.
    monkeypatch.setenv("XDG_CACHE_HOME", str(_shared_cache))


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return init_repo(tmp_path / "repo")


def hook_env(path_first: Path | None = None) -> dict[str, str]:
    """PATH on which the hook finds this checkout's leakguard (as an installed user would)."""
    bin_dir = Path(sys.executable).parent
    extra = [str(path_first)] if path_first else []
    return {"PATH": os.pathsep.join([*extra, str(bin_dir), os.environ.get("PATH", "")])}


def try_commit(repo: Path, message: str = "c", *args: str,
               env: dict[str, str] | None = None) -> tuple[int, str]:
    import subprocess

    proc = subprocess.run(["git", "commit", "-q", "-m", message, *args], cwd=repo,
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_shipped_hook_scripts_are_the_rendered_ones() -> None:
    for name in ("pre-commit", "pre-push"):
        shipped = REPO_ROOT / "hooks" / name
        assert shipped.read_text() == render(name)
        assert os.access(shipped, os.X_OK)


def test_install_is_idempotent_and_marked(repo: Path) -> None:
    first = run_cli("install", "git-hook", cwd=repo)
    assert first.returncode == 0, first.stderr
    hook = repo / ".git" / "hooks" / "pre-commit"
    assert MARKER in hook.read_text() and os.access(hook, os.X_OK)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in hook.parent.iterdir()}
    second = run_cli("install", "git-hook", cwd=repo)
    assert "unchanged" in second.stdout
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in hook.parent.iterdir()}
    assert before == after


def test_foreign_hook_is_chained_and_restored(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"README": "hi\n"})
    hook = repo / ".git" / "hooks" / "pre-commit"
    ran = tmp_path / "foreign-ran"
    foreign = f"#!/bin/sh\necho foreign >> '{ran}'\nexit ${{FOREIGN_EXIT:-0}}\n"
    hook.write_text(foreign)
    hook.chmod(0o750)
    assert run_cli("install", "git-hook", cwd=repo).returncode == 0
    assert (hook.parent / ("pre-commit" + CHAINED_SUFFIX)).read_text() == foreign
    assert run_cli("install", "git-hook", cwd=repo).returncode == 0  # still one chain

    write(repo, "ok.txt", "fine\n")
    git(repo, "add", "ok.txt")
    code, out = try_commit(repo, env=hook_env())
    assert code == 0, out
    assert ran.read_text() == "foreign\n"  # both ran: the foreign one, and ours (below)

    write(repo, "leak.py", f"key = '{fake_aws_key()}'\n")
    git(repo, "add", "leak.py")
    code, out = try_commit(repo, env=hook_env())
    assert code != 0 and "blocked" in out and fake_aws_key() not in out
    assert ran.read_text() == "foreign\nforeign\n"

    git(repo, "rm", "-q", "--cached", "leak.py")
    code, out = try_commit(repo, "--allow-empty", env={**hook_env(), "FOREIGN_EXIT": "1"})
    assert code != 0  # the foreign hook's failure fails the commit

    assert run_cli("uninstall", "git-hook", cwd=repo).returncode == 0
    assert hook.read_text() == foreign and (hook.stat().st_mode & 0o777) == 0o750
    assert not (hook.parent / ("pre-commit" + CHAINED_SUFFIX)).exists()


def test_install_respects_core_hooks_path(repo: Path) -> None:
    git(repo, "config", "core.hooksPath", ".githooks")
    assert run_cli("install", "git-hook", "-t", "pre-commit", "-t", "pre-push",
                   cwd=repo).returncode == 0
    assert MARKER in (repo / ".githooks" / "pre-commit").read_text()
    assert MARKER in (repo / ".githooks" / "pre-push").read_text()
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()


def test_hook_without_leakguard_fails_the_commit(repo: Path, tmp_path: Path) -> None:
    import subprocess

    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(render("pre-commit"))  # no interpreter baked in
    hook.chmod(0o755)
    write(repo, "a.txt", "a\n")
    git(repo, "add", "a.txt")
    empty = tmp_path / "empty-bin"  # a PATH with neither leakguard nor any python
    empty.mkdir()
    git_exe = shutil.which("git")
    assert git_exe
    proc = subprocess.run([git_exe, "commit", "-q", "-m", "x"], cwd=repo, capture_output=True,
                          text=True, env={**os.environ, "PATH": str(empty)}, check=False)
    assert proc.returncode != 0
    assert "cannot find leakguard" in proc.stderr and "pip install leakguard" in proc.stderr
    assert git(repo, "rev-list", "--all") == ""  # nothing was committed


def test_scan_staged_cli_blocks_with_masked_output(repo: Path) -> None:
    commit(repo, {"a.py": "a = 1\n"})
    write(repo, "a.py", f"a = 1\nkey = '{fake_aws_key()}'\n")
    git(repo, "add", "a.py")
    proc = run_cli("scan", "--staged", "--format", "json", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    [finding] = report["findings"]
    assert (finding["path"], finding["line"]) == ("a.py", 2)
    assert fake_aws_key() not in proc.stdout + proc.stderr
    write(repo, "a.py", "a = 1\n")  # the working tree is clean, the index is not
    assert run_cli("scan", "--staged", cwd=repo).returncode == 1


def test_scan_history_reports_each_secret_once_with_its_commits(repo: Path) -> None:
    first = commit(repo, {"conf.ini": f"key={fake_aws_key()}\n"}, "add key")
    commit(repo, remove=("conf.ini",), message="remove key")
    again = commit(repo, {"other.ini": f"[x]\nkey={fake_aws_key()}\n"}, "re-add elsewhere")
    proc = run_cli("scan", "--history", "--format", "json", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["commit"] == first and finding["path"] == "conf.ini"
    assert "Test Author" in finding["message"] and again[:12] in finding["message"]
    assert fake_aws_key() not in proc.stdout


def test_scan_diff_and_github_annotations(repo: Path) -> None:
    commit(repo, {"old.py": f"k = '{other_fake_aws_key()}'\n"})
    git(repo, "checkout", "-q", "-b", "topic")
    commit(repo, {"new.py": f"\n\nk = '{fake_aws_key()}'\n"})
    proc = run_cli("scan", "--diff", "main...topic", "--github-annotations", "--format",
                   "sarif", "--output", "out.sarif", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    [line] = [ln for ln in proc.stdout.splitlines() if ln.startswith("::")]
    assert line.startswith("::error file=new.py,line=3,")
    assert fake_aws_key() not in line and fake_aws_key()[:4] in line
    sarif = json.loads((repo / "out.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("scan", "--staged"), 2, "not a git repository"),
        (("scan", "--history"), 2, "not a git repository"),
        (("scan", "--diff", "main...HEAD"), 2, "not a git repository"),
    ],
)
def test_bad_input_is_never_clean(tmp_path: Path, args: tuple[str, ...], code: int,
                                  message: str) -> None:
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == code and message in proc.stderr


def test_unknown_revision_and_corrupt_object(repo: Path) -> None:
    commit(repo, {"a.txt": "hello\n"})
    proc = run_cli("scan", "--diff", "nope...HEAD", cwd=repo)
    assert proc.returncode == 2 and "unknown revision" in proc.stderr
    blob = git(repo, "rev-parse", "HEAD:a.txt")
    obj = repo / ".git" / "objects" / blob[:2] / blob[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"garbage")
    proc = run_cli("scan", "--history", cwd=repo)
    assert proc.returncode == 3 and "corrupt" in proc.stderr


def test_repo_config_cannot_run_commands_through_the_cli(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\necho ran >> '{marker}'\ncat \"$1\" 2>/dev/null\n")
    script.chmod(0o755)
    commit(repo, {".gitattributes": "* diff=evil\n", "a.txt": "a\n"})
    git(repo, "config", "core.fsmonitor", str(script))
    git(repo, "config", "diff.evil.textconv", str(script))
    write(repo, "a.txt", "a\nb\n")
    git(repo, "add", "a.txt")
    marker.unlink(missing_ok=True)
    for args in (("scan", "--staged"), ("scan", "--history"), ("scan", "--diff", "HEAD")):
        proc = run_cli(*args, cwd=repo)
        assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    git(repo, "status")  # the trap is live: plain git runs it
    assert marker.exists()


def test_baselines_from_two_branches_merge_without_conflict(repo: Path) -> None:
    commit(repo, {"README": "hi\n"})
    assert run_cli("baseline", "create", cwd=repo).returncode == 0
    git(repo, "add", ".leakguardignore", ".gitattributes")
    git(repo, "commit", "-q", "-m", "baseline")
    git(repo, "checkout", "-q", "-b", "one")
    write(repo, "one.py", f"k = '{fake_aws_key()}'\n")
    assert run_cli("baseline", "create", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "two")
    write(repo, "two.py", f"k = '{other_fake_aws_key()}'\n")
    assert run_cli("baseline", "create", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two")
    git(repo, "merge", "-q", "--no-edit", "one")  # raises on a conflict
    merged = (repo / ".leakguardignore").read_text()
    assert "<<<<<<<" not in merged and merged.count("sha256:") == 2
    proc = run_cli("scan", ".", "--format", "json", cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["summary"]["stale_suppressions"] == []


def test_stale_entries_are_reported_by_full_scans(repo: Path) -> None:
    write(repo, "a.py", f"k = '{fake_aws_key()}'\n")
    assert run_cli("baseline", "create", cwd=repo).returncode == 0
    write(repo, "a.py", "k = 'gone'\n")
    proc = run_cli("scan", ".", "--format", "json", cwd=repo)
    assert proc.returncode == 0
    [stale] = json.loads(proc.stdout)["summary"]["stale_suppressions"]
    assert stale.startswith(".leakguardignore:4: sha256:")


def test_pre_push_scans_only_the_commits_being_pushed(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    commit(repo, {"old.py": f"k = '{other_fake_aws_key()}'\n"}, "already public")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")  # before the hook: the old secret is out
    assert run_cli("install", "git-hook", "-t", "pre-push", cwd=repo).returncode == 0
    commit(repo, {"clean.txt": "fine\n"})
    import subprocess

    def push() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "push", "-q", "origin", "HEAD:refs/heads/main"],
                              cwd=repo, capture_output=True, text=True,
                              env={**os.environ, **hook_env()}, check=False)

    ok = push()
    assert ok.returncode == 0, ok.stderr
    commit(repo, {"leak.py": f"k = '{fake_aws_key()}'\n"}, "leak")
    commit(repo, remove=("leak.py",), message="hide it")
    blocked = push()
    assert blocked.returncode != 0 and "push blocked" in blocked.stderr
    assert fake_aws_key() not in blocked.stderr


@pytest.mark.parametrize("how", ["-a", "only"])
def test_hook_scans_what_commit_a_and_partial_commits_record(repo: Path, how: str) -> None:
    """`git commit -a` / `git commit <path>` build a temporary index (GIT_INDEX_FILE):
    the hook must scan that, not the untouched .git/index."""
    commit(repo, {"a.py": "a = 1\n", "b.py": "b = 1\n"})
    assert run_cli("install", "git-hook", cwd=repo).returncode == 0
    write(repo, "a.py", f"a = 1\nkey = '{fake_aws_key()}'\n")  # modified, never `git add`ed
    extra = ("-a",) if how == "-a" else ("--", "a.py")
    code, out = try_commit(repo, "c", *extra, env=hook_env())
    assert code != 0 and "blocked" in out, out
    write(repo, "a.py", "a = 2\n")
    code, out = try_commit(repo, "c", *extra, env=hook_env())
    assert code == 0, out


def test_install_pre_commit_writes_a_local_hook_once(repo: Path) -> None:
    import yaml

    proc = run_cli("install", "pre-commit", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    [hook] = config["repos"][0]["hooks"]
    assert hook["entry"] == "leakguard scan --staged" and hook["pass_filenames"] is False
    again = run_cli("install", "pre-commit", cwd=repo)
    assert "already uses leakguard" in again.stdout


def test_pre_commit_hooks_manifest() -> None:
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["leakguard"]["entry"] == "leakguard scan --staged"
    assert hooks["leakguard"]["stages"] == ["pre-commit"]
    assert hooks["leakguard-push"]["stages"] == ["pre-push"]
    assert all(h["language"] == "python" and h["pass_filenames"] is False
               for h in hooks.values())
