"""Which files a shell command line reads: `cat .env`, `head -n 5 a b`, `sed -n 1,9p f`,
`grep -r key src`, `tail < log`... so a hook can scan them before the command runs.

Best effort by design: a command it does not know reads nothing here, and the tool's
output is scanned again after it runs (PostToolUse), which catches what this misses.
Operands that name folders are returned too (`grep -r`); the caller decides.
"""

from __future__ import annotations

import glob
import os
import shlex
from collections.abc import Iterator

from leakguard.record import Record, record

# Programs whose file operands end up in the output; the value says how many leading
# operands are not files (a sed script, a grep pattern, a jq filter).
READERS: dict[str, int] = {
    "cat": 0, "tac": 0, "nl": 0, "head": 0, "tail": 0, "less": 0, "more": 0, "most": 0,
    "bat": 0, "batcat": 0, "view": 0, "strings": 0, "xxd": 0, "hexdump": 0, "od": 0,
    "base64": 0, "base32": 0, "cut": 0, "sort": 0, "uniq": 0, "column": 0, "fold": 0,
    "fmt": 0, "paste": 0, "rev": 0, "expand": 0, "diff": 0, "comm": 0, "iconv": 0,
    "dos2unix": 0, "yq": 0, "sed": 1, "awk": 1, "gawk": 1, "mawk": 1, "jq": 1,
    "grep": 1, "egrep": 1, "fgrep": 1, "rg": 1, "ag": 1, "ack": 1, "zcat": 0, "zless": 0,
}
# Options that take a value, per program family (the value is not a file).
_VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "head": frozenset({"-n", "-c", "--lines", "--bytes"}),
    "tail": frozenset({"-n", "-c", "--lines", "--bytes", "-s", "--sleep-interval", "--pid"}),
    "cut": frozenset({"-d", "-f", "-b", "-c", "--delimiter", "--fields"}),
    "sort": frozenset({"-k", "-t", "-o", "-S", "-T", "--key", "--output"}),
    "grep": frozenset({"-m", "-A", "-B", "-C", "--max-count", "--context", "--include",
                       "--exclude", "--exclude-dir", "--color", "--label", "-d", "-D"}),
    "rg": frozenset({"-m", "-A", "-B", "-C", "-g", "--glob", "-t", "--type", "-T",
                     "--max-count", "--context", "-M", "--max-columns"}),
    "jq": frozenset({"--arg", "--argjson", "--indent", "--tab"}),
    "awk": frozenset({"-F", "-v"}),
    "sed": frozenset({"-l", "--line-length"}),
    "od": frozenset({"-t", "-N", "-j", "-A", "-w"}),
    "xxd": frozenset({"-l", "-s", "-c", "-g"}),
    "nl": frozenset({"-b", "-s", "-w", "-v", "-i"}),
    "fold": frozenset({"-w"}),
}
_SAME_AS = {"egrep": "grep", "fgrep": "grep", "ag": "grep", "ack": "grep", "gawk": "awk",
            "mawk": "awk", "zcat": "cat", "batcat": "bat"}
# Options that give the script/pattern/filter themselves, so every operand is a file.
_PROGRAM_OPTIONS = frozenset({"-e", "-f", "--expression", "--file", "--regexp",
                              "--from-file"})
# Options whose value is itself a file that is read (grep -f patterns, awk -f script).
_FILE_OPTIONS = frozenset({"-f", "--file", "--from-file"})
_WRAPPERS = frozenset({"sudo", "command", "exec", "time", "nice", "nohup", "env", "xargs",
                       "timeout", "stdbuf", "builtin"})
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh"})
_SEPARATORS = frozenset({"|", "||", "&&", ";", "&", "\n", "(", ")", "|&", ";;"})


@record
class Read(Record):
    """A path a command reads; ``recursive`` when a folder is searched (grep -r)."""

    path: str
    recursive: bool = False


def _tokens(command: str) -> list[str]:
    lexer = shlex.shlex(command.replace("\n", " ; "), posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def _simple_commands(tokens: list[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for token in tokens:
        if token in _SEPARATORS:
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def _strip_wrappers(words: list[str]) -> list[str]:
    while words:
        head = words[0]
        if "=" in head and not head.startswith(("-", "=")) and head.split("=")[0].isidentifier():
            words = words[1:]  # VAR=value prefix
        elif os.path.basename(head) in _WRAPPERS:
            words = words[1:]
            while words and (words[0].startswith("-") or words[0].replace(".", "").isdigit()):
                words = words[1:]  # the wrapper's own options (nice -n 5, timeout 10)
        else:
            return words
    return words


def _redirect_reads(words: list[str]) -> tuple[list[str], list[str]]:
    """(words without redirections, files read through `<`)."""
    kept: list[str] = []
    reads: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("<", ">", ">>", "<<", "<<<", ">&", "<&") and index + 1 < len(words):
            if word == "<":
                reads.append(words[index + 1])
            index += 2
            continue
        if word.isdigit() and index + 1 < len(words) and words[index + 1] in (">", ">>", "<"):
            index += 1  # 2> err: the descriptor number
            continue
        kept.append(word)
        index += 1
    return kept, reads


def _operands(program: str, args: list[str]) -> tuple[list[str], bool]:
    """(file operands of one reader invocation, whether it searches recursively)."""
    family = _SAME_AS.get(program, program)
    takes_value = _VALUE_OPTIONS.get(family, frozenset())
    operands: list[str] = []
    files: list[str] = []
    given_program = False
    recursive = False
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            operands.extend(args[index:])
            break
        if not arg.startswith("-") or arg == "-":
            operands.append(arg)
            continue
        name = arg.split("=", 1)[0]
        if family in ("grep", "rg") and (name in ("-r", "-R", "--recursive")
                                         or (name[1:2] != "-" and set(name[1:]) & {"r", "R"})):
            recursive = True
        if name in _PROGRAM_OPTIONS or (family == "sed" and name == "-e"):
            given_program = True
            if "=" not in arg and index < len(args):
                if name in _FILE_OPTIONS:
                    files.append(args[index])
                index += 1
            continue
        if name in takes_value and "=" not in arg:
            index += 1
    if family == "rg":
        recursive = True
    skip = 0 if given_program else READERS.get(program, READERS.get(family, 0))
    return files + [o for o in operands[skip:] if o != "-"], recursive


def _expand(word: str, cwd: str) -> list[str]:
    word = os.path.expanduser(os.path.expandvars(word))
    if any(c in word for c in "*?["):
        base = word if os.path.isabs(word) else os.path.join(cwd, word)
        found = sorted(glob.glob(base))
        return found or [word]
    return [word]


def _inline_script(words: list[str]) -> str | None:
    """The script of ``bash -c SCRIPT`` / ``sh -lc SCRIPT`` (how Codex runs commands)."""
    if not words or os.path.basename(words[0]) not in _SHELLS:
        return None
    for index, word in enumerate(words[1:-1], start=1):
        if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
            return words[index + 1]
    return None


def files_read(command: str, cwd: str, depth: int = 0) -> list[Read]:
    """Paths (absolute) that ``command`` reads with a known reader, in order, once each.
    Raises ValueError when the command line cannot be parsed (unbalanced quotes)."""
    seen: dict[str, Read] = {}
    for words in _simple_commands(_tokens(command)):
        words, redirected = _redirect_reads(_strip_wrappers(words))
        paths = [(p, False) for p in redirected]
        script = _inline_script(words)
        if script is not None and depth < 3:
            for read in files_read(script, cwd, depth + 1):
                seen.setdefault(read.path, read)
        elif words:
            program = os.path.basename(words[0])
            if program in READERS:
                operands, recursive = _operands(program, words[1:])
                if not operands and recursive:
                    operands = ["."]
                paths.extend((o, recursive) for o in operands)
        for path, recursive in paths:
            for expanded in _expand(path, cwd):
                full = os.path.normpath(os.path.join(cwd, expanded))
                seen.setdefault(full, Read(full, recursive))
    return list(seen.values())
