"""Register a canary token in a policy file, as a keyed hash, without touching the rest.

The entry is inserted as text (comments and layout stay as they are); the file is then
loaded and validated, and restored as it was if anything is wrong.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from leakguard.detectors.markers import new_canary
from leakguard.errors import ConfigError
from leakguard.masking import value_hash
from leakguard.policy import load_policy_file


def _entry(label: str, digest: str, indent: str) -> str:
    created = datetime.date.today().isoformat()
    safe = label.replace("\\", "\\\\").replace('"', '\\"')
    return f'{indent}- {{label: "{safe}", hash: "{digest}", created: "{created}"}}\n'


def _insert(text: str, label: str, digest: str) -> str:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    section = re.compile(r"proprietary:\s*(#.*)?$")
    top = next((i for i, line in enumerate(lines) if section.match(line)), None)
    if top is None:
        return "".join(lines) + "proprietary:\n  canaries:\n" + _entry(label, digest, "    ")
    section_end = next(
        (i for i in range(top + 1, len(lines)) if re.match(r"\S", lines[i])), len(lines)
    )
    for i in range(top + 1, section_end):
        found = re.match(r"(\s+)canaries:\s*(#.*)?$", lines[i])
        if found:
            lines.insert(i + 1, _entry(label, digest, found.group(1) + "  "))
            return "".join(lines)
        if re.match(r"\s+canaries:", lines[i]):
            raise ConfigError("proprietary.canaries is written inline: add the entry by hand")
    indent = next(
        (re.match(r"(\s+)", lines[i]).group(1)  # type: ignore[union-attr]
         for i in range(top + 1, section_end) if lines[i].strip()),
        "  ",
    )
    lines.insert(top + 1, f"{indent}canaries:\n" + _entry(label, digest, indent + "  "))
    return "".join(lines)


def register_canary(policy_file: Path, label: str) -> str:
    """A new canary token, registered by its keyed hash in ``policy_file``."""
    token = new_canary()
    existed = policy_file.exists()
    original = policy_file.read_text(encoding="utf-8") if existed else "version: 1\n"
    updated = _insert(original, label, value_hash(token))
    policy_file.write_text(updated, encoding="utf-8")
    try:
        load_policy_file(policy_file)
    except ConfigError:
        if existed:
            policy_file.write_text(original, encoding="utf-8")
        else:
            policy_file.unlink(missing_ok=True)
        raise
    return token
