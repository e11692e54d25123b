"""Shapes of words and names: is a value a variable name, stand-in words, a sequence,
a phrase, or random characters? valueshape.py covers data, paths and encodings.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from leakguard.lazyre import lazy_compile

# Words that make up stand-in values: "mysecretpassword", "test_token_123", "admin".
_FILLER = frozenset({
    "my", "your", "the", "our", "test", "testing", "tests", "dummy", "fake", "sample",
    "example", "demo", "secret", "secrets", "password", "passwd", "pass", "pwd", "token",
    "key", "api", "apikey", "access", "private", "public", "auth", "admin", "administrator",
    "user", "username", "root", "changeme", "change", "default", "value", "string",
    "foo", "bar", "baz", "qux", "abc", "xyz", "hello", "world", "dev", "development",
    "local", "localhost", "prod", "production", "staging", "super", "secure", "insecure",
    "new", "old", "here", "goes", "this", "is", "not", "real", "placeholder", "temp",
    "tmp", "db", "app", "client", "server", "service", "none", "null", "nil", "true",
    "false", "undefined", "empty", "blank", "todo", "fixme", "tbd", "redacted", "hidden",
    "masked", "omitted", "removed", "replace", "me", "insert", "put", "enter", "set",
    "some", "any", "guest", "qwerty", "mock", "stub", "fixture",
    "credential", "credentials", "bearer", "basic", "digest", "oauth", "jwt", "hash",
    "required", "optional", "ignore", "ignored", "unknown", "unused", "invalid", "valid",
    "confirm", "current", "random", "anonymous", "anon",
    "generated", "generate", "sekret", "word", "data", "info", "config",
    "one", "two", "for", "and", "with", "text", "number",
    "xxx", "yyy", "zzz", "aaa", "asdf", "asdfgh", "zxcv", "qwertyuiop", "mypass", "pw",
})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})
_VOWELS = frozenset("aeiouy")

IDENT_PART = lazy_compile(r"[A-Za-z]+\d*")
_NAME_PART = lazy_compile(r"[A-Za-z][A-Za-z0-9]*")
CAMEL_WORDS = lazy_compile(r"(?:[A-Z]?[a-z]+|[A-Z]+(?![a-z]))\d*")
_DOTTED = lazy_compile(r"[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+")
_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc", "qazwsxedc", "poiuytrewq")


def char_classes(value: str) -> int:
    """How many of lower, upper, digit, symbol occur in ``value``."""
    return (any(c.islower() for c in value) + any(c.isupper() for c in value)
            + any(c.isdigit() for c in value) + any(not c.isalnum() for c in value))


def is_wordy(part: str, abbreviation: bool) -> bool:
    """A name-like word: letters with a vowel, optionally trailed by digits; a short
    abbreviation (smtp, db, cfg) when it stands alone between separators."""
    letters = part.rstrip("0123456789").lower()
    if not letters.isalpha():
        return False
    if letters in _FILLER or (abbreviation and len(letters) <= 4):
        return True
    return 2 <= len(letters) <= 16 and bool(_VOWELS & set(letters))


def _name_words(value: str) -> list[tuple[str, bool]] | None:
    """Split a would-be name into (word, stands-alone) pairs, or None if it is no name."""
    parts = [p for p in re.split(r"[_\-]+", value) if p]
    if not parts or not all(_NAME_PART.fullmatch(p) and not re.search(r"\d[a-z]", p)
                            for p in parts):
        return None
    words: list[tuple[str, bool]] = []
    for part in parts:
        found = CAMEL_WORDS.findall(part)
        if "".join(found) != part:
            return None
        words.extend((w, len(found) == 1) for w in found)
    return words


def _name_word(word: str, alone: bool) -> bool:
    letters = word.rstrip("0123456789")
    acronym = letters.isupper() and len(letters) <= 5  # SSH, PKCS7, HTTP
    return is_wordy(word, alone or acronym)


def _plain_name(segment: str) -> bool:
    """One segment of ``a.b.c``: a word, CONSTANT, snake_case or camelCase name."""
    seg = segment.strip("$_")
    if not seg:
        return True
    if re.fullmatch(r"[a-z][a-z0-9_]*|[A-Z][a-z0-9_]*|[A-Z][A-Z0-9_]*", seg):
        return any(len(p) >= 2 and _VOWELS & set(p.lower()) for p in re.split(r"[_\d]+", seg)) \
            or len(seg) <= 4
    return _name(seg, among_segments=True)


def _qualified_type(segments: list[str]) -> bool:
    """``httpx2.Auth``, ``x25519.X25519PrivateKey``: a type (a capitalised name with a
    word in it) behind module names that end in a version or a number, which
    ``_plain_name`` alone takes for random (no vowel: httpx, x). A type annotation."""
    *modules, name = segments
    return (
        all(re.fullmatch(r"[a-z]+\d*", m) for m in modules)
        and re.fullmatch(r"[A-Z]\w*", name) is not None
        and _plain_name(name)
        and any(len(w) >= 3 and is_wordy(w, False) for w in CAMEL_WORDS.findall(name))
    )


def _scattered(value: str, words: list[tuple[str, bool]]) -> bool:
    """Random mixed case read as camelCase (``XIpeUcfikk6Inr``, ``Ah04Ycmp``): words of
    under three letters on average, or digits inside it twice, or two runs of three
    capitals. Names switch case at word starts (``x25519PrivateKey``, ``getHTTPClient``).
    On names from the JDK and botocore this rejects 0.4%; on random letters and digits
    of 8-16 characters it takes the share read as names from 4.5% to 1.6%."""
    if len(re.findall(r"\d+(?=[A-Za-z])", value)) >= 2 or len(re.findall(r"[A-Z]{3,}", value)) >= 2:
        return True
    letters = [len(w.rstrip("0123456789")) for w, _ in words]
    return sum(letters) < 2.8 * len(letters)


def is_identifier(value: str) -> bool:
    """A variable, constant, member or type name: ``user_password``, ``PASSWORD_FIELD``,
    ``userPassword``, ``self.password``, ``process.env.API_KEY``, ``SSHPrivateKeyTypes``."""
    return _name(value, among_segments=False)


def _name(value: str, among_segments: bool) -> bool:
    """``is_identifier``; ``among_segments``: one segment of a dotted path, whose module
    names already say it is code (``rust_openssl.hpke.MLKEM768X25519PrivateKey``)."""
    if _DOTTED.fullmatch(value):
        segments = re.split(r"\.|::|->", value)
        return all(_plain_name(seg) for seg in segments) or _qualified_type(segments)
    if re.search(r"[A-Za-z]\d{2,}$", value) and not re.search(r"[_.\-]", value):
        return False  # PascalWords42: names rarely end in a number, passwords often do
    if re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", value) \
            and sum(c.isdigit() for c in value) <= 2 \
            and any(len(p) >= 3 and _VOWELS & set(p.lower()) for p in value.split("_")):
        return True  # snake_case / UPPER_SNAKE with a word in it: v4auth_header
    words = _name_words(value)
    if words is None or len(words) < 2:
        return False
    if sum(len(w.rstrip("0123456789")) == 1 for w, _ in words) > 1:
        return False  # random mixed case splits into many one-letter "words"
    if not among_segments and "_" not in value and "-" not in value and _scattered(value, words):
        return False
    if not any(len(w) >= 3 and _VOWELS & set(w.lower()) and not w.isupper() for w, _ in words) \
            and not (value.isupper() and "_" in value):
        return False
    return all(len(w.rstrip("0123456789")) == 1 or _name_word(w, alone) for w, alone in words)


@lru_cache(maxsize=4096)
def _segments_into_filler(letters: str) -> bool:
    if not letters:
        return True
    return any(letters[:i] in _FILLER and _segments_into_filler(letters[i:])
               for i in range(min(len(letters), 14), 1, -1))


_STAND_IN_WORDS = ("password", "passwd", "secret", "token", "example", "placeholder")


def is_filler(value: str) -> bool:
    """Made only of stand-in words, maybe leet-spelt, with digits or symbols around:
    ``mysecretpassword``, ``P@ssw0rd123``, ``test_token_1``, ``changeme!``; or a
    camel-case phrase about one: ``SomeKindOfPassword123!``."""
    lowered = value.lower()
    if any(w in lowered or w in lowered.translate(_LEET) for w in _STAND_IN_WORDS):
        return True
    camel = CAMEL_WORDS.findall(re.sub(r"[^A-Za-z]", " ", value))
    if len(camel) >= 4 and all(is_wordy(w, False) for w in camel) and any(
            w.lower() in _FILLER for w in camel):
        return True
    core = lowered.strip("0123456789!?#*.~-_ ")
    for candidate in (core.translate(_LEET), core.translate(_LEET).replace("i", "l"), core):
        letters = re.sub(r"[^a-z]", "", candidate)
        if letters and len(letters) >= 2 and _segments_into_filler(letters):
            return True
    return False


def _runs(value: str, step: int) -> int:
    longest = run = 1
    for a, b in itertools.pairwise(value):
        run = run + 1 if ord(b) - ord(a) == step else 1
        longest = max(longest, run)
    return longest


def is_sequential(value: str) -> bool:
    """Repeats or walks the keyboard/alphabet: ``aaaaaaaa``, ``12345678``, ``abcabcabc``,
    ``abc123``, ``qwerty``."""
    low = value.lower()
    if len(set(low)) <= 2:
        return True
    for period in (2, 3):
        if len(low) >= 2 * period and low == (low[:period] * len(low))[: len(low)]:
            return True
    for alphabet in (re.sub(r"[^a-z]", "", low), re.sub(r"[^0-9]", "", low)):
        steps = sum(ord(b) - ord(a) == 1 for a, b in itertools.pairwise(alphabet))
        if len(alphabet) >= 8 and steps >= 0.6 * (len(alphabet) - 1):
            return True  # AB1C2defGHijk...: an alphabet walk with noise
    if len(low) <= 12 and any(row[i:i + 5] in low for row in _KEYBOARD
                              for i in range(len(row) - 4)):
        return True
    letters = re.sub(r"[^a-z]", "", low)
    digits = re.sub(r"[^0-9]", "", low)
    if len(letters) >= 3 and len(digits) >= 3 and len(letters) + len(digits) == len(low) \
            and _runs(letters, 1) == len(letters) and _runs(digits, 1) == len(digits):
        return True  # a1b2c3d4
    covered = 0
    chunks = re.findall(r"[a-z]+|\d+|[^a-z\d]+", low)
    for chunk in chunks:
        if len(chunk) >= 3 and (_runs(chunk, 1) == len(chunk) or _runs(chunk, -1) == len(chunk)):
            covered += len(chunk)
    return covered >= 0.8 * len(low)


def is_word_list(value: str) -> bool:
    """Names joined by | , ; or : (``required|string|min:8``, ``read,write``)."""
    parts = [p for p in re.split(r"[|,;:]", value) if p]
    return len(parts) >= 2 and all(
        p.isdigit() or is_identifier(p) or is_wordy(p, True) for p in parts)


def is_prose(value: str) -> bool:
    """Several words separated by spaces: a label, sentence or message."""
    words = value.split()
    return len(words) >= 2 and sum(w.strip(".,:;!?'\"()").isalpha() for w in words) >= 2


def looks_random(value: str) -> bool:
    """Letters without the rhythm of words: too few vowels, or case switching that does
    not split into words (``xKqPzrTm`` but not ``IAmSensitive``)."""
    letters = [c for c in value if c.isalpha()]
    if not letters:
        return False
    vowel_ratio = sum(c.lower() in _VOWELS for c in letters) / len(letters)
    mixed = any(c.isupper() for c in letters) and any(c.islower() for c in letters)
    if vowel_ratio < (0.2 if mixed else 0.1):  # "strength" has few vowels but is a word
        return True
    switches = sum(a.islower() != b.islower() for a, b in itertools.pairwise(letters))
    if switches < max(3, len(letters) // 4):
        return False
    words = CAMEL_WORDS.findall("".join(letters))
    return not all(len(w) == 1 or is_wordy(w, False) for w in words)
