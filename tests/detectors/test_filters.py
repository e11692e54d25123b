"""Tables for the look-alike filters: key names, value shapes, placeholders, validators."""

from __future__ import annotations

import base64
import random
import string

import pytest

from leakguard.detectors.filters import (
    FILTER_VALIDATORS,
    basic_auth_b64,
    generic_value,
    is_placeholder,
    password_value,
    token_value,
)
from leakguard.detectors.keynames import KeyKind, key_before, key_kind
from leakguard.detectors.valueshape import is_b64_of_prose
from leakguard.detectors.wordshape import is_identifier, is_sequential


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Fake secrets, joined at test time.
PASSWORD = "Qz8#" + "vLm2!pK"
TOKEN = "a8Fk29dL" + "q0PzR7xWm3"
HEX40 = "3f2a9c4e1b7d" + "8a6f5e4c3b2a1d0e9f8a7b6c"


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("password", KeyKind.PASSWORD),
        ("DB_PASSWORD", KeyKind.PASSWORD),
        ("dbPassword", KeyKind.PASSWORD),
        ("spring.datasource.password", KeyKind.PASSWORD),
        ("smtp_pass", KeyKind.PASSWORD),
        ("PWD", KeyKind.PASSWORD),
        ("passphrase", KeyKind.PASSWORD),
        ("api_key", KeyKind.TOKEN),
        ("apiKey", KeyKind.TOKEN),
        ("X-API-Key", KeyKind.TOKEN),
        ("APIKEY", KeyKind.TOKEN),
        ("client_secret", KeyKind.TOKEN),
        ("SECRET_KEY", KeyKind.TOKEN),
        ("_authToken", KeyKind.TOKEN),
        ("auth", KeyKind.TOKEN),
        ("AccountKey", KeyKind.TOKEN),
        ("signing_key", KeyKind.TOKEN),
        ("password_reset_token", KeyKind.TOKEN),
        ("secret_key_base", KeyKind.TOKEN),
        # metadata about a secret, not a secret
        ("password_field", None),
        ("password_hash", None),
        ("hashed_password", None),
        ("token_url", None),
        ("token_type", None),
        ("secret_name", None),
        ("api_key_header", None),
        ("auth_method", None),
        ("TOKEN_ENV", None),
        ("key_file", None),
        ("private_key_path", None),
        ("MIN_PASSWORD_LENGTH", None),
        ("password_regex", None),
        ("passwordPattern", None),
        ("password_prompt", None),
        ("passwordLabel", None),
        ("password_placeholder", None),
        ("credential_id", None),
        ("private_key_id", None),
        ("is_authenticated", None),
        ("has_token", None),
        ("max_tokens", None),
        ("tokenizer", None),
        ("author", None),
        ("authority", None),
        ("compass", None),
        ("bypass", None),
        ("passenger", None),
        ("primary_key", None),
        ("public_key", None),
        ("key", None),
        ("client-key-data", None),
    ],
)
def test_key_kind(key: str, kind: KeyKind | None) -> None:
    assert key_kind(key) is kind


@pytest.mark.parametrize(
    ("match", "secret", "key"),
    [
        ('password = "x1y2z3w4"', "x1y2z3w4", "password"),
        ('<add key="DbPassword" value="x1y2z3w4"/>', "x1y2z3w4", "DbPassword"),
        ("- name: API_TOKEN\n  value: x1y2z3w4", "x1y2z3w4", "API_TOKEN"),
        ("curl -u deploy:x1y2z3w4", "x1y2z3w4", None),
        ("Authorization: Bearer x1y2z3w4", "x1y2z3w4", "Bearer"),
    ],
)
def test_key_before(match: str, secret: str, key: str | None) -> None:
    assert key_before(secret, match) == key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("changeme", True),
        ("xxxxxxxxxxxxxxxx", True),
        ("********", True),
        ("<your-api-key>", True),
        ("${API_KEY}", True),
        ("{{ api_key }}", True),
        ("your_api_key_here", True),
        ("YOUR-TOKEN", True),
        ("yourapikey", True),
        ("AKIAIOSFODNN7" + "EXAMPLE", True),
        ("placeholder-token", True),
        ("[REDACTED]", True),
        ("dummy-secret", True),
        ("insert-key-here", True),
        ("aaaaaaaaaaaa", True),
        ("ghp_" + "0" * 36, True),
        ("sk-" + "1234567890" + "abcdefghij", True),
        ("", True),
        # real-looking values must pass: this check runs on every rule's secret
        ("A1b2" * 9, False),
        ("ghp_" + "A1b2" * 9, False),
        (TOKEN, False),
        (PASSWORD, False),
        (HEX40, False),
        ("hunter2!x", False),
        ("test", False),  # generic-value rejects it; provider rules may accept test keys
        ("sk_test_" + "r8Kq2Lm5Np9X" + "w3Vb7Tc1Hd6G", False),
        # values copied from public docs
        ("sk_test_" + "4eC39HqLyjWD" + "arjtT1zdp7dc", True),
        ("d41d8cd98f00b204" + "e9800998ecf8427e", True),
    ],
)
def test_is_placeholder(value: str, expected: bool) -> None:
    assert is_placeholder(value) is expected


def _assign(key: str, value: str) -> tuple[str, str]:
    return value, f'{key} = "{value}"'


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        # passwords: human-chosen, may be low-entropy but mixed
        ("password", "Tr0ub" + "4dor&3", True),
        ("password", "hunter" + "2!x", True),
        ("password", "hunter" + "2", True),
        ("password", PASSWORD, True),
        ("db_pass", "k9Lm#" + "Pq2xV", True),
        ("password", "xKqPzrTmWvBnLsJd", True),  # random letters only, long
        ("password", "MjAdTdlz", True),  # random letters only, short
        ("password", "$fhln+mIS" + "up", True),  # starts with $ but is no variable
        ("password", "!nO69ot$" + "hB_9", True),  # starts with ! but is no YAML tag
        ("password", "IAmSensitive", False),
        ("password", "strength", False),
        ("password", "changeme", False),
        ("password", "password", False),
        ("password", "P@ssw0rd", False),
        ("password", "Password123!", False),
        ("password", "mysecretpassword", False),
        ("password", "s3cr3t", False),
        ("password", "admin123", False),
        ("password", "test1234", False),
        ("password", "12345678", False),
        ("password", "abcdefgh", False),
        ("password", "abc123", False),
        ("password", "qwerty123", False),
        ("password", "aaaaaaaa", False),
        ("password", "sunshine", False),
        ("password", "Passwort", False),
        ("password", "user_password", False),
        ("password", "PASSWORD_FIELD", False),
        ("password", "userPassword", False),
        ("password", "self.password", False),
        ("password", "process.env.DB_PASSWORD", False),
        ("password", "os.environ['DB_PASSWORD']", False),
        ("password", "getenv(DB_PASSWORD)", False),
        ("password", "config.get('db.password')", False),
        ("password", "$DB_PASSWORD", False),
        ("password", "${DB_PASSWORD:-x}", False),
        ("password", "%(db_password)s", False),
        ("password", "%s", False),
        ("password", "{}", False),
        ("password", "{password}", False),
        ("password", "#{db_password}", False),
        ("password", "<%= password %>", False),
        ("password", "__DB_PASSWORD__", False),
        ("password", ":password", False),
        ("password", "@password", False),
        ("password", "!vault", False),
        ("password", "ENC(Zm9vYmFy)", False),
        ("password", "vault:secret/data/db#password", False),
        ("password", "$2b$12$" + "KIXQ4z0w3k1hJd8sPqLrUe", False),
        ("password", "pbkdf2_sha256$" + "260000$abc$def", False),
        ("password", "Enter your password", False),
        ("password", "/run/secrets/db_password", False),
        ("password", "key.pem", False),
        ("password", "https://vault.corp.io/v1/db", False),
        ("password", "none", False),
        ("password", "undefined", False),
        ("password", "true", False),
        ("password", "TODO", False),
        ("password", "1.2.3", False),
        ("password", "2024-01-31", False),
        ("password", "^(?=.*[A-Z]).{8,}$", False),
        # tokens: machine secrets, long and random
        ("api_key", TOKEN, True),
        ("client_secret", HEX40, True),
        ("secret", "5f4dcc3b5aa765d6" + "1d8327deb882cf99", True),
        ("api_key", "7d9f2c1e-3b4a-4e5f-8a6b-" + "1c2d3e4f5a6b", True),
        ("api_key", "550e8400-e29b-41d4-a716-" + "446655440000", False),  # the RFC example
        ("SECRET_KEY", "django-insecure-" + "k2#x9@zq!1m", True),
        ("auth", b64("bob:" + PASSWORD), True),
        ("api_key", "YOUR_API_KEY", False),
        ("api_key", "test_api_key_123", False),
        ("token", "abcdefgh", False),
        ("token", "token123", False),
        ("token", "string", False),
        ("api_key", "sha512-" + "Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f==", False),
        ("token", "h1:" + "Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f=", False),
        ("secret", b64("hello there, this is ordinary text"), False),
        ("auth", b64("user:password"), False),
        ("auth", b64("admin:admin"), False),
        ("password", b64("password"), False),  # Kubernetes Secret data
        ("password", b64(PASSWORD), True),
        ("token", "prod-db-01", False),
        ("api_key", "com.acme.ApiKeyProvider", False),
        ("token", "^4.0.0", False),
        ("token", "3600", False),
        ("ApiKey", "48205d4f" + "fd7feba3", False),  # 16 hex digits: an id, not a key
        ("next_token", "abCDeFGhiJKlmn" + "OPqrSTuvwxYZ1aBC", False),
        ("lock_token", "46851772-db6f-459d-" + "9385-49428812e357", False),
        ("publicKeyToken", "1fc8b3b9a1e18e3b" + "77aa", False),
        # keys that describe a secret rather than hold one
        ("password_hash", "5f4dcc3b5aa765d6" + "1d8327deb882cf99", False),
        ("token_sha", HEX40, False),
        ("credential_id", "550e8400-e29b-41d4-a716-" + "446655440000", False),
        ("token_url", "https://auth.corp.io/oauth/token", False),
        ("password_field", PASSWORD, False),
        ("author", TOKEN, False),
    ],
)
def test_generic_value(key: str, value: str, expected: bool) -> None:
    assert generic_value(*_assign(key, value)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b64("deploy:" + PASSWORD), True),
        (b64("user:password"), False),
        (b64("username:changeme"), False),
        (b64("no colon here at all"), False),
        ("Zm9v", False),
        ("not base64 !", False),
    ],
)
def test_basic_auth_b64(value: str, expected: bool) -> None:
    assert basic_auth_b64(value, "Authorization: Basic " + value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(TOKEN, True), ("YOUR_ACCESS_TOKEN", False), ("authentication", False), (HEX40, True)],
)
def test_token_value(value: str, expected: bool) -> None:
    assert token_value(value, "Bearer " + value) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [(PASSWORD, True), ("admin", False), ("$PASSWORD", False)]
)
def test_password_value(value: str, expected: bool) -> None:
    assert password_value(value, "curl -u deploy:" + value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("user_password", True),
        ("PASSWORD_FIELD", True),
        ("userPassword", True),
        ("self.password", True),
        ("my-secret-name", True),
        ("hunter2", False),
        (TOKEN, False),
        ("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", False),
        ("Xk9_Pq2_Zr8", False),
        ("SSHPrivateKeyTypes", True),
        ("v4auth_header", True),
        ("com.acme.ApiKeyProvider", True),
        ("JZDE8GXD6NCF" + "10EPF91DHODZDO", False),  # random upper-case token
        ("dmmex6l2qagw" + "ncxvjcn", False),  # random lower-case token
        ("WqMB.Q8k9R", False),  # a password with a dot is not member access
        ("DogFoodBlueSky42", False),
        ("httpx2.Auth", True),  # module.Type, the module named with a version
        ("x25519.X25519PrivateKey", True),
        ("s3cr3t.Password", False),  # digits inside a word: leetspeak, not a module
        ("k9x2m.Auth", False),
        ("mod.Lm2pQxR8", False),
        ("GxguciIcCQi5", False),  # random: short pieces, a capital run, a digit
        ("JyspwIIZ4TTH", False),
        ("getHTTPClient", True),
        ("x25519PrivateKey", True),
        ("rust_openssl.hpke.MLKEM768X25519PrivateKey", True),  # a module path says code
    ],
)
def test_is_identifier(value: str, expected: bool) -> None:
    assert is_identifier(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12345678", True),
        ("87654321", True),
        ("abcdefgh", True),
        ("abcabcabc", True),
        ("abc123", True),
        ("qwerty", True),
        ("aaaaaaaa", True),
        (PASSWORD, False),
        (TOKEN, False),
    ],
)
def test_is_sequential(value: str, expected: bool) -> None:
    assert is_sequential(value) is expected


def test_b64_of_prose_versus_key_material() -> None:
    assert is_b64_of_prose(b64("The quick brown fox jumps over the lazy dog"))
    assert not is_b64_of_prose(base64.b64encode(bytes(range(7, 250, 7))).decode())


def test_registry_names() -> None:
    assert {"generic-value", "password-value", "token-value", "basic-auth-b64"} <= set(
        FILTER_VALIDATORS
    )


def _random_values(alphabet: str, lengths: tuple[int, int], count: int = 400) -> list[str]:
    rng = random.Random(len(alphabet) * 1000 + lengths[0])
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(*lengths)))
            for _ in range(count)]


SYMBOLS = "!@#$%^&*-_+=.~?"


@pytest.mark.parametrize(
    ("key", "alphabet", "lengths"),
    [
        ("api_key", string.ascii_letters + string.digits, (16, 40)),
        ("api_key", string.ascii_lowercase + string.digits, (16, 40)),
        ("api_key", string.ascii_uppercase + string.digits, (16, 32)),
        ("client_secret", "0123456789abcdef", (32, 64)),
        ("token", string.ascii_letters + string.digits + "-_", (20, 48)),
        ("password", string.ascii_letters + string.digits + SYMBOLS, (10, 18)),
        ("password", string.ascii_letters + string.digits, (12, 18)),
    ],
)
def test_random_secrets_mostly_accepted(key: str, alphabet: str, lengths: tuple[int, int]) -> None:
    """Shape filters must not eat random values: at most 3 % rejected per family."""
    values = _random_values(alphabet, lengths)
    rejected = [v for v in values if not generic_value(*_assign(key, v))]
    assert len(rejected) <= 0.03 * len(values), rejected[:10]
