"""The one family of errors the CLI funnels into exit codes."""

from __future__ import annotations


class LeakguardError(Exception):
    """Base of every error leakguard reports to a person. Exit code 3 unless narrowed."""

    exit_code = 3


class ConfigError(LeakguardError):
    """Bad usage, policy or rule file: the person can fix it. Exit code 2."""

    exit_code = 2


class ScanError(LeakguardError):
    """Something could not be scanned; the data is treated as blocked. Exit code 3."""

    exit_code = 3
