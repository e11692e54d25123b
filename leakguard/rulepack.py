"""Rule packs: load rules from YAML data, validate them, and hash them for caches.

Built-in packs live in the top-level ``rules/`` folder, shipped in the wheel as the
``leakguard.rules`` package data. A cache of the parsed packs (``rulecache``: plain
rows, trusted while the pack files keep their stat stamps, else checked by SHA-256)
keeps PyYAML off the start-up path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from leakguard.errors import ConfigError
from leakguard.models import Category, Severity
from leakguard.record import Record, record, replace
from leakguard.rulereq import crosses_lines, keyword_on_first_line, required_strings
from leakguard.sre import sre_parse

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "description", "pattern", "examples", "counterexamples"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "description": {"type": "string", "minLength": 1},
        "category": {"enum": [c.value for c in Category]},
        "severity": {"enum": [s.value for s in Severity]},
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "pattern": {"type": "string", "minLength": 1},
        "secret_group": {"type": ["integer", "string"]},
        "ignore_case": {"type": "boolean"},
        "max_length": {"type": "integer", "minimum": 1, "maximum": 1048576},
        "entropy": {"type": "number", "minimum": 0, "maximum": 8},
        "validators": {"type": "array", "items": {"type": "string"}},
        "allow": {"type": "array", "items": {"type": "string"}},
        "action": {"enum": ["allow", "warn", "anonymize", "block"]},
        "examples": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/sample"}},
        "counterexamples": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/sample"}},
    },
}
SAMPLE_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1},
    ]
}


@record
class Rule(Record):
    """One detection rule, as data. ``pattern`` is Python ``re`` syntax (ASCII mode)."""

    id: str
    description: str
    category: Category
    severity: Severity
    keywords: tuple[str, ...]
    pattern: str
    secret_group: int | str
    ignore_case: bool
    max_length: int
    entropy: float | None
    validators: tuple[str, ...]
    allow: tuple[str, ...]
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]
    source: str = ""
    multiline: bool = True  # whether a match can span lines (derived from the pattern)
    # Every match holds a keyword before any line break (derived): a match starts on the
    # line of a keyword hit, so the engine's window need not reach back from it.
    keyword_leads: bool = False
    # Strings every match must contain, one of each tuple (derived from the pattern by
    # rulereq): a window lacking one cannot match, so its regex is not run there.
    required: tuple[tuple[str, ...], ...] = ()
    required_folded: bool = False  # the strings are lower-cased: test lower-cased text

    @property
    def flags(self) -> int:
        return re.ASCII | (re.IGNORECASE if self.ignore_case else 0)


def _sample(value: str | Sequence[str]) -> str:
    # Examples may be stored split so the repository never holds a whole fake token.
    return value if isinstance(value, str) else "".join(value)


def _default_group(pattern: str) -> int | str:
    compiled = re.compile(pattern, re.ASCII)
    if "secret" in compiled.groupindex:
        return "secret"
    return 1 if compiled.groups else 0


def rule_from_mapping(raw: Mapping[str, Any], source: str = "") -> Rule:
    """Build a Rule from one YAML mapping; raises ConfigError naming the rule on errors."""
    rule_id = str(raw.get("id", "?"))
    where = f"{source}: rule {rule_id}" if source else f"rule {rule_id}"
    missing = [k for k in RULE_SCHEMA["required"] if k not in raw]
    unknown = sorted(set(raw) - set(RULE_SCHEMA["properties"]))
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    if unknown:
        raise ConfigError(f"{where}: unknown key {', '.join(unknown)}")
    pattern = str(raw["pattern"])
    try:
        group = raw.get("secret_group", None)
        secret_group = group if group is not None else _default_group(pattern)
        compiled = re.compile(pattern, re.ASCII)
        if isinstance(secret_group, int) and secret_group > compiled.groups:
            raise ConfigError(f"{where}: secret_group {secret_group} does not exist")
        if isinstance(secret_group, str) and secret_group not in compiled.groupindex:
            raise ConfigError(f"{where}: secret_group {secret_group!r} does not exist")
        for allowed in raw.get("allow", ()):
            re.compile(allowed)
        flags = re.ASCII | (re.IGNORECASE if raw.get("ignore_case") else 0)
        max_length = _max_length(pattern, flags, int(raw.get("max_length", 512)))
        multiline = crosses_lines(pattern, flags)
        keywords = tuple(str(k).lower() for k in raw.get("keywords", ()))
        keyword_leads = multiline and keyword_on_first_line(pattern, flags, keywords)
        required, required_folded = required_strings(pattern, flags)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regex: {exc}") from None
    return Rule(
        id=rule_id,
        description=str(raw["description"]),
        category=Category(raw.get("category", "secret")),
        severity=Severity(raw.get("severity", "high")),
        keywords=keywords,
        pattern=pattern,
        secret_group=secret_group,
        ignore_case=bool(raw.get("ignore_case", False)),
        max_length=max_length,
        multiline=multiline,
        keyword_leads=keyword_leads,
        required=required,
        required_folded=required_folded,
        entropy=float(raw["entropy"]) if raw.get("entropy") is not None else None,
        validators=tuple(raw.get("validators", ())),
        allow=tuple(raw.get("allow", ())),
        examples=tuple(_sample(s) for s in raw["examples"]),
        counterexamples=tuple(_sample(s) for s in raw["counterexamples"]),
        source=source,
    )


def _max_length(pattern: str, flags: int, declared: int) -> int:
    """The longest possible match: the pattern's own bound when it has one.

    The Hyperscan engine searches that far around each hit, so a bound smaller than
    the pattern allows would lose matches; unbounded patterns rely on ``max_length``.
    """
    widest = sre_parse.parse(pattern, flags).getwidth()[1]
    return int(widest) if widest < _UNBOUNDED else declared


_UNBOUNDED = 1 << 28
def builtin_rules_dir() -> Path:
    """The packaged ``rules/`` folder (installed as ``leakguard/rules``)."""
    packaged = Path(__file__).resolve().parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def _parse_pack_bytes(data: bytes, source: str) -> list[dict[str, Any]]:
    import yaml

    try:
        loaded = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{source}{line}: YAML error: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("rules"), list):
        raise ConfigError(f"{source}: a rule pack is a mapping with a 'rules' list")
    rules: list[dict[str, Any]] = loaded["rules"]
    for raw in rules:
        if not isinstance(raw, dict):
            raise ConfigError(f"{source}: every entry of 'rules' must be a mapping")
    return rules


# Field order of a cached row: Rule's own, with category and severity as their values.
_ROW_FIELDS = (
    "id", "description", "category", "severity", "keywords", "pattern", "secret_group",
    "ignore_case", "max_length", "entropy", "validators", "allow", "examples",
    "counterexamples", "source", "multiline", "keyword_leads", "required", "required_folded",
)
_CATEGORIES = {c.value: c for c in Category}
_SEVERITIES = {s.value: s for s in Severity}


def _row(rule: Rule) -> tuple[Any, ...]:
    values = [getattr(rule, name) for name in _ROW_FIELDS]
    values[2], values[3] = rule.category.value, rule.severity.value
    return tuple(values)


def _from_row(row: tuple[Any, ...]) -> Rule:
    # Trusted cache entry: validated when it was written, so no regex compile here.
    if len(row) != len(_ROW_FIELDS):
        raise ValueError("cached rule row of another shape")
    values = dict(zip(_ROW_FIELDS, row, strict=True))
    values["category"] = _CATEGORIES[row[2]]
    values["severity"] = _SEVERITIES[row[3]]
    # Filled as pickle and copy fill a frozen dataclass: a third of the time of its
    # __init__ (one guarded setattr per field), which 300 rules pay at every start.
    rule = object.__new__(Rule)
    rule.__dict__.update(values)
    return rule


def rules_from_mappings(raws: Iterable[Mapping[str, Any]], source: str) -> tuple[Rule, ...]:
    return tuple(rule_from_mapping(raw, source) for raw in raws)


def _check_unique(rules: Iterable[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(f"{rule.source}: rule {rule.id} is also defined in {seen[rule.id]}")
        seen[rule.id] = rule.source


def load_pack_files(paths: Iterable[Path], examples: bool = True) -> tuple[Rule, ...]:
    """Load and validate rule packs; duplicate ids across packs are an error.

    ``examples=False`` leaves out the examples and counterexamples, which scans never
    use, so the cached entry a scan reads at start-up stays small.
    """
    from leakguard import rulecache

    files = sorted(paths)
    mode = "full" if examples else "scan"

    def parse(blobs: list[tuple[Path, bytes]]) -> tuple[tuple[Any, ...], ...]:
        return tuple(_row(r) for r in _parse_packs(blobs, examples))

    try:
        return tuple(_from_row(row) for row in rulecache.load_rows(files, mode, parse))
    except (KeyError, TypeError, ValueError):
        # a foreign or damaged entry that still looked like one: parse afresh
        return tuple(_from_row(row) for row in rulecache.load_rows(files, mode, parse, fresh=True))


def _parse_packs(blobs: list[tuple[Path, bytes]], examples: bool) -> list[Rule]:
    rules: list[Rule] = []
    for path, data in blobs:
        rules.extend(rules_from_mappings(_parse_pack_bytes(data, str(path)), path.name))
    _check_unique(rules)
    if not examples:
        rules = [replace(r, examples=(), counterexamples=()) for r in rules]
    return rules


def builtin_rules(examples: bool = True) -> tuple[Rule, ...]:
    return load_pack_files(builtin_rules_dir().glob("*.yaml"), examples)
