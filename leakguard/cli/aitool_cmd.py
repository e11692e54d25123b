"""`leakguard install|uninstall claude-code|codex|gemini|cursor`: hook entries in an AI
tool's settings file (logic in ``leakguard.integrations.install``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from leakguard.cli.group import subgroup
from leakguard.integrations.install import (
    TOOLS,
    hooks_block,
    install,
    settings_path,
    uninstall,
)

SCOPE = click.Choice(["user", "project"])
NOTES = {
    "codex": "Codex runs these hooks only once trusted: open /hooks in Codex to review "
             "and trust them (or pass --dangerously-bypass-hook-trust for one-off runs).",
    "gemini": "Gemini CLI runs project hooks only in a trusted folder. Pin a model "
              "(`--model`, or model.name in settings.json): with the default auto model the "
              "prompt also goes to a routing request that hooks do not see.",
    "cursor": "Restart Cursor (or reload the window) to load the hooks.",
}


def _install_command(tool: str) -> click.Command:
    @click.command(tool)
    @click.option("--scope", type=SCOPE, default="user", show_default=True,
                  help="The user's settings, or this project's (checked in, shared).")
    @click.option("--project-dir", default=".", type=click.Path(file_okay=False),
                  help="The project folder for --scope project.")
    @click.option("--http", "url", metavar="URL",
                  help="Ask a running `leakguard serve` at URL instead of starting Python "
                       "per hook (a curl command that blocks when the server does not answer).")
    @click.option("--native-http", is_flag=True,
                  help="Claude Code only: use its `http` hook type. Claude Code before "
                       "2.1.295 lets the action through when the server is down.")
    @click.option("--print", "print_only", is_flag=True,
                  help="Print the hooks block (e.g. for managed settings); write nothing.")
    def command(scope: str, project_dir: str, url: str | None, native_http: bool,
                print_only: bool) -> int:
        if print_only:
            block = hooks_block(tool, url=url, native=native_http)
            click.echo(json.dumps({"hooks": block}, indent=2))
            return 0
        path = settings_path(tool, scope, Path(project_dir).resolve())
        change = install(tool, path, url=url, native=native_http)
        click.echo(change.describe())
        if native_http:
            click.echo("warning: Claude Code before 2.1.295 treats a failed http hook as "
                       "non-blocking; keep `leakguard serve` running, or install without "
                       "--native-http (the curl command blocks when it fails).", err=True)
        if tool in NOTES:
            click.echo(NOTES[tool])
        return 0

    command.help = (f"Install leakguard's hooks into {tool}'s settings (merged: other "
                    "settings and hooks are kept; running it twice changes nothing).")
    return command


def _uninstall_command(tool: str) -> click.Command:
    @click.command(tool)
    @click.option("--scope", type=SCOPE, default="user", show_default=True)
    @click.option("--project-dir", default=".", type=click.Path(file_okay=False))
    def command(scope: str, project_dir: str) -> int:
        path = settings_path(tool, scope, Path(project_dir).resolve())
        click.echo(uninstall(tool, path).describe())
        return 0

    command.help = f"Remove exactly leakguard's hooks from {tool}'s settings."
    return command


def register(cli: click.Group) -> None:
    install_group = subgroup(cli, "install", "Install leakguard into git or an AI tool.")
    uninstall_group = subgroup(cli, "uninstall", "Remove what `leakguard install` wrote.")
    for tool in TOOLS:
        install_group.add_command(_install_command(tool))
        uninstall_group.add_command(_uninstall_command(tool))
