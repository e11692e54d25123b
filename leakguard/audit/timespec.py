"""`--since 7d`, `--since 2026-11-01`, `--until 2026-11-02T12:00`: to UTC ISO text."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from leakguard.errors import ConfigError

_RELATIVE = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_time(text: str, now: datetime) -> str:
    """An ISO timestamp comparable with events' ``ts`` (UTC, microseconds, Z)."""
    match = _RELATIVE.match(text.strip())
    if match:
        moment = now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    else:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError(
                f"cannot read time {text!r}: use 2026-11-01, 2026-11-01T12:00 or 7d/24h/30m"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
