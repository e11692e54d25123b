"""Which files a shell command reads, as the Bash pre-check sees it."""

from __future__ import annotations

import pytest

from leakguard.integrations.shellread import files_read

CASES = [
    ("cat secrets.env", ["/w/secrets.env"]),
    ("head -n 5 a.txt b.txt", ["/w/a.txt", "/w/b.txt"]),
    ("tail -c 100 log", ["/w/log"]),
    ("sed -n 1,9p f.py", ["/w/f.py"]),
    ("sed -e s/a/b/ -n f.py", ["/w/f.py"]),
    ("grep -n key .env", ["/w/.env"]),
    ("grep -e one -f pats.txt file1", ["/w/pats.txt", "/w/file1"]),
    ("grep -rn key src", ["/w/src"]),
    ("awk -F: '{print $1}' /etc/passwd", ["/etc/passwd"]),
    ("jq .token creds.json", ["/w/creds.json"]),
    ("tail < log.txt | grep x", ["/w/log.txt"]),
    ("FOO=1 sudo cat /etc/shadow && echo done", ["/etc/shadow"]),
    ("timeout 5 cat a; nice -n 5 less b", ["/w/a", "/w/b"]),
    ("python x.py; cat 'my file.txt' 2>/dev/null", ["/w/my file.txt"]),
    ("cat a\ncat b", ["/w/a", "/w/b"]),
    ("bash -lc 'cat a.env | head'", ["/w/a.env"]),
    ("echo hi > out.txt", []),
    ("git log | head -5", []),
    ("ls -la", []),
]


@pytest.mark.parametrize(("command", "expected"), CASES)
def test_files_read(command: str, expected: list[str]) -> None:
    assert [r.path for r in files_read(command, "/w")] == expected


def test_recursive_search_is_marked() -> None:
    (found,) = files_read("rg token", "/w")
    assert found.path == "/w" and found.recursive


def test_unbalanced_quotes_raise() -> None:
    with pytest.raises(ValueError):
        files_read("cat 'unterminated", "/w")
