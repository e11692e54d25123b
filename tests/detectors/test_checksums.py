"""Provider checksum validators: real-shaped tokens pass, altered ones fail."""

from __future__ import annotations

import random
import string

import pytest

from leakguard.detectors.checksums import (
    CHECKSUM_VALIDATORS,
    base62_encode,
    crc32_base62,
    github_checksum,
)

# Public test vector from a GitHub-style token spec: payload -> checksum.
VECTOR_PAYLOAD = "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ"
VECTOR_CHECKSUM = "0mLq17"


def make_token(prefix: str, rng: random.Random) -> str:
    payload = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(30))
    return prefix + payload + crc32_base62(payload)


def test_known_vector() -> None:
    assert crc32_base62(VECTOR_PAYLOAD) == VECTOR_CHECKSUM
    token = "ghp_" + VECTOR_PAYLOAD + VECTOR_CHECKSUM
    assert github_checksum(token, token)


@pytest.mark.parametrize(
    ("number", "width", "expected"),
    [(0, 6, "000000"), (61, 2, "0z"), (62, 2, "10"), (2**32 - 1, 6, "4gfFC3")],
)
def test_base62_encode(number: int, width: int, expected: str) -> None:
    assert base62_encode(number, width) == expected


@pytest.mark.parametrize("prefix", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_"])
def test_generated_tokens_pass_and_altered_fail(prefix: str) -> None:
    rng = random.Random(prefix)
    for _ in range(50):
        token = make_token(prefix, rng)
        assert github_checksum(token, "x=" + token)
        position = rng.randrange(4, len(token))
        swapped = "A" if token[position] != "A" else "B"
        altered = token[:position] + swapped + token[position + 1 :]
        assert not github_checksum(altered, altered)


@pytest.mark.parametrize(
    "candidate",
    [
        "github_pat_" + "A1b2" * 5 + "_" + "C3d4" * 14,  # no checksum in this format
        "ghr_" + "A1b2" * 19,  # longer refresh tokens: shape not judged
        "glpat-" + "A1b2" * 5,  # other provider
    ],
)
def test_shapes_it_cannot_judge_pass(candidate: str) -> None:
    assert github_checksum(candidate, candidate)


def test_registry_names() -> None:
    assert CHECKSUM_VALIDATORS["github-checksum"] is github_checksum
    assert CHECKSUM_VALIDATORS["npm-checksum"] is github_checksum
