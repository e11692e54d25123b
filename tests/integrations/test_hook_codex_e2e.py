"""The real Codex CLI (exec) with leakguard's hooks in $CODEX_HOME/hooks.json.

Codex runs a hook only once it is trusted; `--dangerously-bypass-hook-trust` stands in
for that review here. (Untrusted, Codex 0.171.0 exec runs no hook at all and says
nothing: docs/ai-hooks.md.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.integrations.install import install, leakguard_command, settings_path
from tests.clients import require_client, run_client
from tests.fakeupstream import FakeUpstream
from tests.helpers import fake_aws_key_id

KEY = fake_aws_key_id()


@pytest.mark.timeout(300)
def test_a_prompt_with_a_secret_never_reaches_the_upstream(tmp_path: Path) -> None:
    require_client("codex")
    home, work = tmp_path / "home", tmp_path / "work"
    (work / ".git").mkdir(parents=True)
    env = {"HOME": str(home), "CODEX_HOME": str(home / ".codex")}
    install("codex", settings_path("codex", "user", work, env), command=leakguard_command("codex"))
    with FakeUpstream() as up:
        done = run_client("codex", f"deploy with {KEY}", base_url=up.url, home=home, cwd=work,
                          extra=["--dangerously-bypass-hook-trust"], timeout=240)
        assert done.returncode == 0, done.stderr[-2000:].replace(KEY, "<key>")
        assert "UserPromptSubmit Blocked" in done.stdout + done.stderr
        assert up.posts == []
        if KEY in up.received_text():  # raised here: the report must not show the value
            raise AssertionError("the fake secret reached the upstream")
