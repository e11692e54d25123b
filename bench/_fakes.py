"""Fake secrets in many provider formats, generated from a seeded random generator.

Nothing here is a real credential: every value is drawn at run time from ``random.Random``
with the shape (prefix, alphabet, length, embedded checksum) of a provider's format, and is
wrapped in a few lines of ordinary Python (an assignment, a comment, a settings dict, a call
with keyword arguments) so scanners see it the way they would in a repository.
"""

from __future__ import annotations

import base64
import json
import random
import string
import zlib
from collections.abc import Callable
from dataclasses import dataclass

ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"

Rng = random.Random


def _r(rng: Rng, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _b62(value: int, width: int = 6) -> str:
    digits = ""
    while value:
        value, rem = divmod(value, 62)
        digits = B62[rem] + digits
    return digits.rjust(width, "0")


def _crc_token(prefix: str, rng: Rng) -> str:
    """GitHub/npm style: 30 random base62 characters + base62 CRC32 of them (6 chars)."""
    body = _r(rng, ALNUM, 30)
    return prefix + body + _b62(zlib.crc32(body.encode()))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(rng: Rng) -> str:
    header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
    claims = {
        "sub": str(rng.randrange(10**8, 10**9)),
        "role": "service",
        "iat": rng.randrange(1_600_000_000, 1_800_000_000),
    }
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{payload}.{_b64url(rng.randbytes(32))}"


def _db_url(rng: Rng) -> str:
    scheme = rng.choice(["postgres", "postgresql"])
    user = rng.choice(["app", "orders_rw", "svc_billing", "reporting"])
    # Not example.com/.net: scanners rightly read documentation domains as placeholders.
    host = rng.choice(["db1.prod.ordersvc.io", "10.20.30.40", "pg-primary.corp.acmeinc.net"])
    return f"{scheme}://{user}:{_r(rng, ALNUM, rng.randrange(16, 25))}@{host}:5432/{user}db"


# name -> (variable name used in the injected code, generator)
TOKEN_FORMATS: dict[str, tuple[str, Callable[[Rng], str]]] = {
    "github-pat-classic": ("GITHUB_TOKEN", lambda r: _crc_token("ghp_", r)),
    "github-oauth": ("GH_OAUTH_TOKEN", lambda r: _crc_token("gho_", r)),
    "github-fine-grained": (
        "GH_PAT",
        lambda r: f"github_pat_{_r(r, ALNUM, 22)}_{_r(r, ALNUM, 59)}",
    ),
    "gitlab-pat": ("GITLAB_TOKEN", lambda r: "glpat-" + _r(r, URLSAFE, 20)),
    "slack-bot": (
        "SLACK_BOT_TOKEN",
        lambda r: f"xoxb-{_r(r, string.digits, 12)}-{_r(r, string.digits, 13)}-{_r(r, ALNUM, 24)}",
    ),
    "slack-user": (
        "SLACK_USER_TOKEN",
        lambda r: (
            "xoxp-" + "-".join(_r(r, string.digits, 12) for _ in range(3)) + "-" + _r(r, HEX, 32)
        ),
    ),
    "slack-webhook": (
        "SLACK_WEBHOOK_URL",
        lambda r: (
            "https://hooks.slack.com/services/T"
            + _r(r, string.ascii_uppercase + string.digits, 8)
            + "/B"
            + _r(r, string.ascii_uppercase + string.digits, 10)
            + "/"
            + _r(r, ALNUM, 24)
        ),
    ),
    "stripe-secret": ("STRIPE_SECRET_KEY", lambda r: "sk_live_" + _r(r, ALNUM, r.choice([24, 99]))),
    "stripe-restricted": ("STRIPE_RESTRICTED_KEY", lambda r: "rk_live_" + _r(r, ALNUM, 24)),
    "openai-project": (
        "OPENAI_API_KEY",
        lambda r: "sk-proj-" + _r(r, URLSAFE, 74) + "T3BlbkFJ" + _r(r, URLSAFE, 74),
    ),
    "anthropic": ("ANTHROPIC_API_KEY", lambda r: "sk-ant-api03-" + _r(r, URLSAFE, 93) + "AA"),
    "google-api-key": ("GOOGLE_API_KEY", lambda r: "AIza" + _r(r, URLSAFE, 35)),
    "google-oauth-secret": ("GOOGLE_CLIENT_SECRET", lambda r: "GOCSPX-" + _r(r, URLSAFE, 28)),
    "sendgrid": ("SENDGRID_API_KEY", lambda r: f"SG.{_r(r, URLSAFE, 22)}.{_r(r, URLSAFE, 43)}"),
    "npm": ("NPM_TOKEN", lambda r: _crc_token("npm_", r)),
    "pypi": ("PYPI_API_TOKEN", lambda r: "pypi-AgEIcHlwaS5vcmc" + _r(r, URLSAFE, 150)),
    "postgres-url": ("DATABASE_URL", _db_url),
    "jwt": ("SESSION_JWT", _jwt),
    "twilio-api-key": ("TWILIO_API_KEY", lambda r: "SK" + _r(r, HEX, 32)),
    "huggingface": ("HF_TOKEN", lambda r: "hf_" + _r(r, string.ascii_letters, 34)),
    "shopify": ("SHOPIFY_ACCESS_TOKEN", lambda r: "shpat_" + _r(r, HEX, 32)),
    "digitalocean": ("DIGITALOCEAN_TOKEN", lambda r: "dop_v1_" + _r(r, HEX, 64)),
    "telegram-bot": (
        "TELEGRAM_BOT_TOKEN",
        lambda r: f"{_r(r, '123456789', 1)}{_r(r, string.digits, 9)}:AA{_r(r, URLSAFE, 33)}",
    ),
    "databricks": ("DATABRICKS_TOKEN", lambda r: "dapi" + _r(r, HEX, 32)),
    "age-secret-key": ("AGE_SECRET_KEY", lambda r: "AGE-SECRET-KEY-1" + _r(r, BECH32, 58)),
    "azure-storage": (
        "AZURE_STORAGE_CONNECTION_STRING",
        lambda r: (
            "DefaultEndpointsProtocol=https;AccountName=acme"
            + _r(r, string.ascii_lowercase, 6)
            + ";AccountKey="
            + base64.b64encode(r.randbytes(64)).decode()
            + ";EndpointSuffix=core.windows.net"
        ),
    ),
    "mailgun": ("MAILGUN_API_KEY", lambda r: "key-" + _r(r, HEX, 32)),
    "linear": ("LINEAR_API_KEY", lambda r: "lin_api_" + _r(r, ALNUM, 40)),
    "postman": ("POSTMAN_API_KEY", lambda r: f"PMAK-{_r(r, HEX, 24)}-{_r(r, HEX, 34)}"),
    "grafana-service-account": (
        "GRAFANA_TOKEN",
        lambda r: f"glsa_{_r(r, ALNUM, 32)}_{_r(r, HEX, 8)}",
    ),
    "doppler": ("DOPPLER_TOKEN", lambda r: "dp.pt." + _r(r, ALNUM, 43)),
}
MULTI_FORMATS = ("aws", "private-key")
ALL_FORMATS = list(TOKEN_FORMATS) + list(MULTI_FORMATS)


@dataclass(frozen=True)
class Snippet:
    """Lines of code to insert, and which of them (0-based, inclusive) hold which secret."""

    lines: list[str]
    secrets: list[tuple[str, int, int]]


def _single(fmt: str, rng: Rng, style: str) -> Snippet:
    var, make = TOKEN_FORMATS[fmt]
    value = make(rng)
    key = var.lower()
    if style == "assign":
        return Snippet([f'{var} = "{value}"'], [(fmt, 0, 0)])
    if style == "comment":
        return Snippet(
            [f"# staging override, rotate after the release: {var}={value}"], [(fmt, 0, 0)]
        )
    if style == "dict":
        lines = [
            f"{var.split('_')[0]}_SETTINGS = {{",
            '    "region": "eu-west-1",',
            f'    "{key}": "{value}",',
            '    "timeout": 30,',
            "}",
        ]
        return Snippet(lines, [(fmt, 2, 2)])
    return Snippet(
        [f'_client = _connect(region="eu-west-1", {key}="{value}", retries=3)'], [(fmt, 0, 0)]
    )


def _aws(rng: Rng, style: str) -> Snippet:
    key_id = "AKIA" + _r(rng, string.ascii_uppercase + "234567", 16)
    secret = _r(rng, B64, 40)
    if style == "dict":
        lines = [
            "AWS_CONFIG = {",
            '    "region_name": "us-east-1",',
            f'    "aws_access_key_id": "{key_id}",',
            f'    "aws_secret_access_key": "{secret}",',
            "}",
        ]
        return Snippet(lines, [("aws-access-key-id", 2, 2), ("aws-secret-access-key", 3, 3)])
    if style == "kwargs":
        lines = [
            "_session = _aws_session(",
            f'    aws_access_key_id="{key_id}",',
            f'    aws_secret_access_key="{secret}",',
            ")",
        ]
        return Snippet(lines, [("aws-access-key-id", 1, 1), ("aws-secret-access-key", 2, 2)])
    prefix = "# " if style == "comment" else ""
    lines = [
        f'{prefix}AWS_ACCESS_KEY_ID = "{key_id}"',
        f'{prefix}AWS_SECRET_ACCESS_KEY = "{secret}"',
    ]
    return Snippet(lines, [("aws-access-key-id", 0, 0), ("aws-secret-access-key", 1, 1)])


_PEM_KINDS = {  # label -> DER-looking prefix, so the base64 body starts the way real ones do
    "RSA PRIVATE KEY": bytes.fromhex("308204a40201000282010100"),
    "OPENSSH PRIVATE KEY": b"openssh-key-v1\x00\x00\x00\x00\x04none",
    "EC PRIVATE KEY": bytes.fromhex("30770201010420"),
    "PRIVATE KEY": bytes.fromhex("308204be020100300d06092a864886f70d0101010500"),
}


def _private_key(rng: Rng) -> Snippet:
    label = rng.choice(sorted(_PEM_KINDS))
    size = 100 if label == "EC PRIVATE KEY" else 1180
    body = base64.b64encode(_PEM_KINDS[label] + rng.randbytes(size)).decode()
    chunks = [body[i : i + 64] for i in range(0, len(body), 64)]
    lines = [f'DEPLOY_KEY = """-----BEGIN {label}-----', *chunks, f'-----END {label}-----"""']
    return Snippet(lines, [(f"private-key ({label})", 0, len(lines) - 1)])


STYLES = ("assign", "comment", "dict", "kwargs")


def make_snippet(fmt: str, rng: Rng) -> Snippet:
    style = rng.choice(STYLES)
    if fmt == "aws":
        return _aws(rng, style)
    if fmt == "private-key":
        return _private_key(rng)
    return _single(fmt, rng, style)
