"""Check one parsed policy file against the schema and compile its regexes.

Every problem is reported, each as ``FILE:LINE: key.path: what is wrong``. jsonschema
is imported here only, and only when a file has not been validated before.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from leakguard.masking import mask
from leakguard.policy.schema import policy_schema
from leakguard.policy.yamlsrc import Path_, dotted, line_of

if TYPE_CHECKING:
    from jsonschema import ValidationError

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def problems(value: Any, lines: dict[Path_, int], source: str) -> list[str]:
    """All schema and regex problems of one file, sorted by line."""
    found: list[tuple[int, str]] = []
    if not isinstance(value, dict):
        return [f"{source}:1: (top level): a policy must be a mapping of keys"]
    for path, what in [*_schema_problems(value), *_regex_problems(value)]:
        found.append((line_of(lines, path), f"{dotted(path)}: {what}"))
    return [f"{source}:{line}: {text}" for line, text in sorted(set(found))]


def _schema_problems(value: Mapping[str, Any]) -> Iterator[tuple[Path_, str]]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(policy_schema())
    for error in validator.iter_errors(value):
        yield from _explain(error)


def _explain(error: ValidationError) -> Iterator[tuple[Path_, str]]:
    path: Path_ = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = list(schema.get("properties", {}))
        # Non-string keys are reported by the YAML reader already.
        for key in sorted(k for k in error.instance if isinstance(k, str) and k not in known):
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield (*path, key), f"unknown key{hint}; known keys: {', '.join(known)}"
        return
    if "propertyNames" in error.relative_schema_path:
        # The instance is the offending key itself.
        yield (*path, str(error.instance)), f"invalid name {_show(error.instance)}"
        return
    if "x-error" in schema:
        yield path, str(schema["x-error"])
        return
    if kind == "type":
        wanted = schema.get("type")
        types = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
        yield path, f"must be {names} (got {_type_name(error.instance)})"
    elif kind == "enum":
        options = ", ".join(str(o) for o in schema.get("enum", ()))
        yield path, f"must be one of {options} (got {_show(error.instance)})"
    elif kind == "const":
        yield path, f"must be {schema.get('const')!r} (got {_show(error.instance)})"
    elif kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [k for k in schema.get("required", ()) if k not in present]
        yield path, f"missing key {', '.join(repr(k) for k in missing)}"
    elif kind == "pattern":
        yield path, f"{_show(error.instance)} does not match {schema.get('pattern')}"
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">"}.get(kind, "<")
        yield path, f"must be {sign} {schema.get(kind)} (got {_show(error.instance)})"
    elif kind == "minLength":
        yield path, "must not be empty"
    elif kind == "minItems":
        yield path, f"needs at least {schema.get('minItems')} item(s)"
    elif kind in ("oneOf", "anyOf") and error.context:
        # Report the alternative that came closest, not the whole union.
        from jsonschema.exceptions import best_match

        yield from _explain(best_match(error.context))
    else:
        yield path, error.message


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _show(value: Any) -> str:
    """Short values are shown; long strings (a pasted secret?) only masked."""
    if isinstance(value, str) and len(value) > 24:
        return mask(value)
    return repr(value)


def _regex_problems(value: Mapping[str, Any]) -> Iterator[tuple[Path_, str]]:
    rules = value.get("rules")
    if isinstance(rules, list):
        yield from _rule_problems(rules)
    allow = value.get("allow")
    if isinstance(allow, dict) and isinstance(allow.get("values"), list):
        for index, pattern in enumerate(allow["values"]):
            yield from _compile(("allow", "values", index), pattern, 0)


def _rule_problems(rules: list[Any]) -> Iterator[tuple[Path_, str]]:
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        where: Path_ = ("rules", index)
        rule_id = rule.get("id")
        if isinstance(rule_id, str):
            if rule_id in seen:
                yield (
                    (*where, "id"),
                    f"rule '{rule_id}' is already defined at rules[{seen[rule_id]}]",
                )
            seen.setdefault(rule_id, index)
        flags = re.ASCII | (re.IGNORECASE if rule.get("ignore_case") is True else 0)
        yield from _compile((*where, "pattern"), rule.get("pattern"), flags)
        allow = rule.get("allow")
        if isinstance(allow, list):
            for pos, pattern in enumerate(allow):
                yield from _compile((*where, "allow", pos), pattern, 0)
        yield from _group_problem(where, rule)


def _compile(path: Path_, pattern: Any, flags: int) -> Iterator[tuple[Path_, str]]:
    if not isinstance(pattern, str):
        return
    try:
        re.compile(pattern, flags)
    except re.error as exc:
        yield path, f"invalid regex: {exc}"


def _group_problem(where: Path_, rule: Mapping[str, Any]) -> Iterator[tuple[Path_, str]]:
    pattern, group = rule.get("pattern"), rule.get("secret_group")
    if not isinstance(pattern, str) or group is None:
        return
    try:
        compiled = re.compile(pattern, re.ASCII)
    except re.error:
        return  # already reported
    if isinstance(group, bool):
        return  # a type error the schema reports
    if isinstance(group, int) and not 0 <= group <= compiled.groups:
        yield (*where, "secret_group"), f"group {group} does not exist in the pattern"
    elif isinstance(group, str) and group not in compiled.groupindex:
        yield (*where, "secret_group"), f"group {group!r} does not exist in the pattern"
