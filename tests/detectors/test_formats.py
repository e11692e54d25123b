"""Format validators, each on tables of real-shaped and look-alike values (built at test time)."""

from __future__ import annotations

import base64
import json
import random
import string

import pytest

from leakguard.detectors.formats import FORMAT_VALIDATORS


def b64url(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def rand(alphabet: str, n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(n))


SIG = rand(string.ascii_letters + string.digits + "_-", 43)
HS256 = b64url({"alg": "HS256", "typ": "JWT"})


def check(name: str, secret: str, match: str | None = None) -> bool:
    return FORMAT_VALIDATORS[name](secret, secret if match is None else match)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (f"{HS256}.{b64url({'sub': 'u-42', 'iat': 1700000000})}.{SIG}", True),
        (f"{b64url({'alg': 'none'})}.{b64url({'sub': 'u-42'})}.{SIG}", False),
        (f"{b64url({'typ': 'JWT'})}.{b64url({'sub': 'u-42'})}.{SIG}", False),
        (f"{HS256}.{b64url({'sub': '1234567890', 'name': 'John Doe'})}.{SIG}", False),
        (f"{HS256}.bm90IGpzb24.{SIG}", False),
        (f"{HS256}.{SIG}", False),
    ],
)
def test_jwt_header(token: str, expected: bool) -> None:
    assert check("jwt-header", token) is expected


@pytest.mark.parametrize(("role", "expected"), [("service_role", True), ("anon", False)])
def test_supabase_service_role(role: str, expected: bool) -> None:
    token = f"{HS256}.{b64url({'iss': 'supabase', 'role': role})}.{SIG}"
    assert check("supabase-service-role", token) is expected


def pem_body(raw: bytes, width: int = 64, newline: str = "\n") -> str:
    text = base64.b64encode(raw).decode()
    return newline.join(text[i : i + width] for i in range(0, len(text), width))


def random_bytes(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


DER = b"\x30\x82\x04\xa4" + random_bytes(300, 2)
NOT_DER = b"\x04\x82" + random_bytes(300, 3)


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("pem-der", pem_body(DER), True),
        ("pem-der", pem_body(DER, newline="\\n"), True),  # escaped inside a JSON string
        ("pem-der", pem_body(NOT_DER), False),
        ("pem-body", pem_body(NOT_DER), True),
        ("pem-body", "A" * 64 + "\n" + "A" * 64, False),
        ("pem-body", "MIIEpAIBAAKCAQEA", False),
        ("pem-body", "Version: 1\n\n" + pem_body(DER) + "\n=Ab3Z", True),  # PGP armor
    ],
)
def test_pem_bodies(name: str, body: str, expected: bool) -> None:
    assert check(name, body) is expected


def test_b64_private_key() -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\n" + pem_body(DER) + "\n-----END RSA PRIVATE KEY-----\n"
    cert = pem.replace("RSA PRIVATE KEY", "CERTIFICATE")
    assert check("b64-private-key", base64.b64encode(pem.encode()).decode())
    assert not check("b64-private-key", base64.b64encode(cert.encode()).decode())
    assert not check("b64-private-key", "LS0tLS1CRUdJTi")


PASSWORD = "Qx7" + "vP2mK9s"


@pytest.mark.parametrize(
    ("secret", "match", "expected"),
    [
        (PASSWORD, f"postgres://app:{PASSWORD}@db.internal", True),
        ("Tr0ub" + "4dor&3", "Password=Tr0ub4dor&3", True),
        ("password", "postgres://u:password@db", False),
        ("changeme", "postgres://u:changeme@db", False),
        ("${DB_PASS}", "postgres://u:${DB_PASS}@db", False),
        ("$PASSWORD", "postgres://u:$PASSWORD@db", False),
        ("%s", "postgres://u:%s@db", False),
        ("%(pw)s", "postgres://u:%(pw)s@db", False),
        ("{password}", "postgres://u:{password}@db", False),
        ("{{ pw }}", "Password={{ pw }}", False),
        ("****", "postgres://u:****@db", False),
        ("guest", "amqp://guest:guest@rabbit", False),
        (PASSWORD, f"https://u:{PASSWORD}@api.example.com", False),
        (PASSWORD, f"https://u:{PASSWORD}@build.test", False),
        ("your_password", "mysql://root:your_password@db", False),
        ("admin123", "mongodb://admin:admin123@db", False),
        ("abcdefgh", "redis://:abcdefgh@cache", False),
    ],
)
def test_password_not_placeholder(secret: str, match: str, expected: bool) -> None:
    assert check("password-not-placeholder", secret, match) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hf_" + rand(string.ascii_letters, 34), True),
        ("fw_" + rand(string.ascii_letters + string.digits, 24), True),
        (rand("0123456789abcdef", 32), True),
        ("hf_modelConfigurationLoaderFactory", False),
        ("fw_updateFirmwareVersionHandler", False),
        ("nvapi-GetValueHandlerConfigFactoryUserSession", False),
        ("my-secret-value-here", False),
        ("YOURAPIKEYHERE", False),
    ],
)
def test_not_identifier(value: str, expected: bool) -> None:
    assert check("not-identifier", value) is expected


def test_not_identifier_keeps_random_tokens() -> None:
    rng = random.Random(5)
    alphabet = string.ascii_letters + string.digits
    tokens = ["".join(rng.choice(alphabet) for _ in range(24)) for _ in range(2000)]
    rejected = [t for t in tokens if not check("not-identifier", t)]
    assert len(rejected) <= 4, rejected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("random-case", rand(string.ascii_letters + string.digits, 32), True),
        ("random-case", "abcdefghijklmnopqrstuvwxyzabcdef", False),
        ("random-case", "ABCDEFGHIJKLMNOPQRSTUV", False),
        ("has-digit", "csk-" + "ab1" * 16, True),
        ("has-digit", "csk-" + "abc" * 16, False),
    ],
)
def test_shape_checks(name: str, value: str, expected: bool) -> None:
    assert check(name, value) is expected
