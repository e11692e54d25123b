"""Typed placeholders: ``EMAIL_3_a3f9`` stands for one value within one vault.

A placeholder is ``TYPE_N_TAG``: an upper-case type named after the entity, a counter
per type, and the vault's own short hex tag. Only letters, digits and underscores, so
it stays valid inside string literals, comments and identifiers, and models copy it
back unchanged.
"""

from __future__ import annotations

import re

from leakguard.models import Category, Finding

# Short, readable types for the common entities; others use their own name.
TYPE_NAMES = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CARD",
    "IBAN_CODE": "IBAN",
    "US_SSN": "SSN",
    "IP_ADDRESS": "IP",
    "PERSON": "PERSON",
    "ORGANIZATION": "ORG",
    "LOCATION": "LOCATION",
}
CATEGORY_TYPES = {Category.SECRET: "SECRET", Category.PROPRIETARY: "CODE", Category.PII: "PII"}
# Stands for text that already looked like one of this vault's placeholders.
LITERAL = "LITERAL"
TAG_LENGTH = 4
_TAG = re.compile(f"[0-9a-f]{{{TAG_LENGTH}}}")
_CLEAN = re.compile(r"[^A-Z0-9]+")


def placeholder_type(finding: Finding) -> str:
    """The TYPE part for a finding: its entity's short name, else its category's."""
    if finding.category is Category.PII and finding.entity:
        return type_for_entity(finding.entity)
    return CATEGORY_TYPES[finding.category]


def type_for_entity(entity: str) -> str:
    named = TYPE_NAMES.get(entity)
    if named is not None:
        return named
    cleaned = _CLEAN.sub("_", entity.upper()).strip("_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "PII_" + cleaned
    return cleaned


def make(type_name: str, number: int, tag: str) -> str:
    return f"{type_name}_{number}_{tag}"


def valid_tag(tag: str) -> bool:
    return bool(_TAG.fullmatch(tag))


def shape(tag: str) -> re.Pattern[str]:
    """Anything shaped like a placeholder of this vault (known or not)."""
    return re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*_\d+_" + re.escape(tag))
