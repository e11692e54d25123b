"""The real Gemini CLI with leakguard's hooks: BeforeModel sends placeholders, and
AfterModel puts the values back in what the CLI shows, with no proxy in between."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leakguard.integrations.install import install, leakguard_command
from tests.clients import require_client, run_client
from tests.fakeupstream import FakeUpstream
from tests.helpers import fake_aws_key_id

KEY = fake_aws_key_id()
# A concrete model: with the default "auto" model Gemini CLI first sends the prompt to a
# routing request that BeforeModel hooks do not see (docs/ai-hooks.md).
MODEL = ["--model", "gemini-2.5-pro"]


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    # Echo the prompt back; large chunks, since every chunk is one AfterModel hook call.
    with FakeUpstream(echo=True, chunk_size=400) as up:
        yield up


@pytest.mark.timeout(300)
def test_before_model_rewrites_and_after_model_restores(upstream: FakeUpstream,
                                                       tmp_path: Path) -> None:
    require_client("gemini")
    work = tmp_path / "work"
    (work / ".git").mkdir(parents=True)
    (work / ".leakguard.yaml").write_text(
        "version: 1\nrule_actions:\n  aws-access-key-id: anonymize\n")
    install("gemini", work / ".gemini" / "settings.json", command=leakguard_command("gemini"))
    started = time.monotonic()
    done = run_client("gemini", f"remember the key {KEY} for later", base_url=upstream.url,
                      home=tmp_path / "home", cwd=work, extra=MODEL, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:].replace(KEY, "<key>")
    (request,) = upstream.posts
    sent = request.body.decode()
    if KEY in sent:  # raised here, so the report never shows the value
        raise AssertionError("the fake secret reached the upstream")
    assert "SECRET_1_" in sent
    restored = KEY in done.stdout  # the echo came back with the value put back
    assert restored, "AfterModel did not restore the placeholder"
    assert time.monotonic() - started < 200
