"""What a key name says about the value assigned to it.

Generic rules match ``<key> = <value>``; whether the value is a credential depends
as much on the key (``password`` versus ``password_field``) as on the value. This
module splits a key into words and answers: is it a secret key, of which kind?
"""

from __future__ import annotations

import enum
import re

from leakguard.lazyre import lazy_compile


class KeyKind(enum.Enum):
    PASSWORD = "password"  # low-entropy human secrets are plausible
    TOKEN = "token"  # machine secrets: expect length and randomness


# Terms found inside a word ("dbpassword", "apikey"), and terms that must be a
# whole word ("pass" in db_pass, but not in compass or passenger).
_PASSWORD_INFIXES = ("password", "passwd", "passwrd", "passphrase", "passcode", "passwort")
_PASSWORD_WORDS = frozenset({"pass", "pwd", "pw", "pword", "pswd", "passw", "pwd1", "pw1"})
_TOKEN_INFIXES = (
    "secret", "token", "apikey", "accesskey", "privatekey", "secretkey", "credential",
    "authkey", "signingkey", "encryptionkey", "masterkey", "clientkey",
)
_TOKEN_WORDS = frozenset({"auth", "authorization", "creds", "cred", "bearer", "apitoken"})
# "key" is a secret word only after one of these ("api_key", "signingKey").
_KEY_MODIFIERS = frozenset({
    "api", "access", "private", "secret", "client", "consumer", "signing", "encryption",
    "master", "app", "session", "hmac", "jwt", "shared", "license", "licence", "crypt",
    "encrypt", "decrypt", "auth", "account", "storage", "subscription", "service", "aes",
    "cipher", "crypto", "webhook", "admin", "root", "deploy", "recovery", "security", "sas",
    "sig", "enc", "mac",
})
# Words that contain a term but name something else.
_FALSE_INFIXES = ("tokeniz", "tokenis", "secretar", "detokeniz", "secretsmanager",
                  "secretmanager", "passport", "passthrough", "passenger")

# A word after the secret word that turns the key into metadata about a secret.
_META_WORDS = frozenset({
    "hash", "hashed", "hashes", "digest", "checksum", "sha", "sha1", "sha256", "sha512",
    "md5", "crc", "field", "fields", "url", "uri", "urls", "endpoint", "endpoints", "type",
    "types", "name", "names", "header", "headers", "method", "methods", "env", "var", "vars",
    "variable", "file", "files", "filename", "path", "paths", "dir", "directory", "length",
    "len", "size", "min", "max", "minlength", "maxlength", "regex", "regexp", "re",
    "pattern", "patterns", "prompt", "label", "labels", "placeholder", "hint", "help",
    "title", "text", "message", "msg", "error", "errors", "policy", "policies", "rule",
    "rules", "validator", "validators", "validation", "expiry", "expires", "expiration",
    "expire", "expired", "exp", "ttl", "timeout", "lifetime", "age", "count", "limit",
    "id", "ids", "uuid", "enabled", "enable", "disabled", "required", "format", "mode",
    "scheme", "provider", "providers", "strategy", "version", "prefix", "suffix",
    "template", "input", "widget", "column", "col", "attr", "attribute", "param",
    "location", "store", "storage", "manager", "class", "module", "ref", "reference",
    "arn", "kind", "source", "backend", "service", "handler", "callback", "index", "idx",
    "color", "colour", "icon", "style", "width", "height", "visible", "visibility",
    "display", "toggle", "button", "btn", "link", "form", "page", "view", "route",
    "component", "dialog", "modal", "status", "state", "flag", "spec", "schema",
    "description", "desc", "doc", "docs", "comment", "example", "sample", "mock", "stub",
    "fixture", "changed", "updated", "created", "date", "time", "timestamp", "used",
    "last", "chars", "charset", "alphabet", "complexity", "strength", "encoding",
    "algorithm", "alg", "algo", "bits", "rounds", "iterations", "cost", "lookup", "cache",
    "key_name", "keyname", "mask", "masked", "show", "hidden", "hide",
    "generator", "factory", "cls", "utils", "util", "helper", "helpers", "lib",
    "repository", "repo", "dto", "model", "entity", "request", "response",
    "req", "res", "resp", "config", "conf", "cfg", "settings", "options", "opts", "command",
    "cmd", "script", "usage", "audience", "aud", "issuer", "iss", "scope",
    "scopes", "claim", "claims", "host", "port", "user", "username", "login",
    "email", "account", "owner", "region", "zone", "namespace", "ns", "group",
    "role", "table", "db", "database", "bucket", "queue", "topic", "channel", "data",
    "mgr", "adapter", "auth", "authenticator", "plugin", "extension", "configuration",
    "configurations", "mfa", "params", "parameters", "attributes", "properties", "restype",
    "argtypes",
})
# Words before "token" naming a token that grants nothing: paging, idempotency, CSRF.
_PLAIN_TOKEN_PREFIXES = frozenset({
    "next", "starting", "start", "page", "pagination", "continuation", "continue", "client",
    "request", "change", "purchase", "idempotency", "idempotent", "sync", "resume", "marker",
    "cursor", "csrf", "xsrf", "form", "work", "unit", "cancel", "cancellation", "notification",
    "push", "device", "share", "sharing", "upload", "batch", "job", "task", "query", "search",
    "previous", "prev", "last", "first", "end", "stop", "lexer", "parser", "action", "lock",
    "update", "export", "import", "participant", "heartbeat", "lifecycle", "invalidation",
    "connection", "stream", "shard", "iterator", "waiter", "receipt", "transaction",
})
# A word before the secret word that makes the key a flag or an action.
_ACTION_WORDS = frozenset({
    "is", "has", "use", "uses", "enable", "enabled", "require", "requires", "required",
    "show", "hide", "no", "skip", "allow", "disable", "toggle", "validate", "check",
    "verify", "generate", "get", "fetch", "load", "read", "parse", "forgot", "forget",
    "on", "handle", "should", "can", "with", "without", "need", "needs", "must", "invalid",
    "valid", "missing", "wrong", "bad", "empty", "num", "number", "total", "count", "min",
    "max", "len", "length", "hash", "hashed", "encode", "decode", "encoded", "by",
})

_CAMEL = lazy_compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_KEY_TOKEN = lazy_compile(r"[A-Za-z0-9_.\-]+")


def key_words(key: str) -> list[str]:
    """``dbPassword_HASH`` -> ``['db', 'password', 'hash']``."""
    words: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", key):
        words.extend(w.lower() for w in _CAMEL.findall(part))
    return words


def _secret_word(words: list[str], i: int) -> KeyKind | None:
    word = words[i]
    if any(f in word for f in _FALSE_INFIXES):
        return None
    if word in _PASSWORD_WORDS or any(t in word for t in _PASSWORD_INFIXES):
        return KeyKind.PASSWORD
    if word in _TOKEN_WORDS or any(t in word for t in _TOKEN_INFIXES):
        return KeyKind.TOKEN
    if word == "key" and i > 0 and words[i - 1] in _KEY_MODIFIERS:
        return KeyKind.TOKEN
    return None


def key_kind(key: str) -> KeyKind | None:
    """The kind of secret ``key`` names, or None when it names no secret value.

    ``password`` / ``DB_PASS`` -> PASSWORD; ``api_key`` / ``clientSecret`` -> TOKEN;
    ``password_field`` / ``token_url`` / ``is_auth`` / ``author`` -> None.
    """
    words = key_words(key)
    kinds = [(_secret_word(words, i), i) for i in range(len(words))]
    found = [(kind, i) for kind, i in kinds if kind is not None]
    if not found:
        return None
    last_kind, last = found[-1]
    if any(w in _META_WORDS for w in words[last + 1:]):
        return None
    if words[last] in ("token", "tokens") and last > 0 \
            and words[last - 1] in _PLAIN_TOKEN_PREFIXES:
        return None
    if "public" in words or "publishable" in words:
        return None
    first = found[0][1]
    if first > 0 and words[first - 1] in _ACTION_WORDS:
        return None
    return last_kind


def key_before(secret: str, whole_match: str) -> str | None:
    """The key a generic rule matched: the last name before the value that names a secret.

    ``<add key="DbPassword" value="…"/>`` -> ``DbPassword``; None when no word before
    the value mentions a secret (``curl -u user:…``).
    """
    idx = whole_match.rfind(secret) if secret else -1
    prefix = whole_match[:idx] if idx >= 0 else whole_match
    tokens: list[str] = _KEY_TOKEN.findall(prefix)
    for token in reversed(tokens):
        words = key_words(token)
        if any(_secret_word(words, i) is not None for i in range(len(words))):
            return token
    return None
