"""`leakguard index build|update|stats`: the fingerprint index of proprietary code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

_INDEX_OPTION = click.option(
    "--index",
    "index_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Index file (default .leakguard/index).",
)


def _index_path(index_file: str | None) -> Path:
    from leakguard.fingerprint.index import DEFAULT_PATH

    return Path(index_file or DEFAULT_PATH)


@click.group("index")
def index_group() -> None:
    """Fingerprint proprietary code so scans recognise it, even renamed or reformatted.

    The index holds keyed hashes and file/line references only, never code.
    """


@index_group.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@_INDEX_OPTION
@click.option("-k", "k", type=click.IntRange(5, 64), default=None, help="Tokens per k-gram.")
@click.option("-w", "w", type=click.IntRange(1, 64), default=None, help="Winnowing window.")
@click.option(
    "--common",
    multiple=True,
    type=click.Path(exists=True),
    help="Public code in the languages you index (a virtualenv's site-packages, "
    "node_modules, a JDK's sources): its idioms are left out. Repeatable.",
)
@click.option(
    "--key-env",
    default=None,
    metavar="NAME",
    help="Keep the hashing key in environment variable NAME (hex) instead of the index.",
)
def build_command(
    paths: tuple[str, ...],
    index_file: str | None,
    k: int | None,
    w: int | None,
    common: tuple[str, ...],
    key_env: str | None,
) -> int:
    """Index the code files under PATHS (replacing any index at --index)."""
    from dataclasses import replace

    from leakguard.fingerprint.build import build
    from leakguard.fingerprint.index import save
    from leakguard.fingerprint.winnow import Params

    defaults = Params()
    params = Params(k=k or defaults.k, w=w or defaults.w)
    key = _env_key(key_env) if key_env else None
    index, report = build(paths, params=params, key=key, common=common)
    if key_env:
        index = replace(index, key_env=key_env)
    size = save(index, _index_path(index_file))
    _print_report(report, size, _index_path(index_file))
    return 0


@index_group.command("update")
@_INDEX_OPTION
def update_command(index_file: str | None) -> int:
    """Re-fingerprint changed files under the index's roots; drop deleted ones."""
    from leakguard.fingerprint.build import build
    from leakguard.fingerprint.index import load, save

    path = _index_path(index_file)
    previous = load(path)
    index, report = build(previous.roots, previous=previous)
    size = save(index, path)
    _print_report(report, size, path)
    return 0


@index_group.command("stats")
@_INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats_command(index_file: str | None, as_json: bool) -> int:
    """Files, fingerprints, parameters and size of the index."""
    from leakguard.fingerprint.index import load, stats

    path = _index_path(index_file)
    figures = stats(load(path), path.stat().st_size)
    if as_json:
        click.echo(json.dumps(figures, sort_keys=True))
    else:
        for name, value in figures.items():
            click.echo(f"{name}: {value}")
    return 0


def _env_key(name: str) -> bytes:
    from leakguard.errors import ConfigError

    value = os.environ.get(name, "")
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise ConfigError(f"${name} must hold a key of at least 16 bytes, hex-encoded")
    return key


def _print_report(report: object, size: int, path: Path) -> None:
    from leakguard.fingerprint.build import BuildReport

    assert isinstance(report, BuildReport)
    rate = report.bytes_read / report.seconds / 1e6 if report.seconds else 0.0
    click.echo(
        f"{path}: {report.indexed} files fingerprinted, {report.reused} unchanged, "
        f"{report.removed} removed; {size} bytes; {rate:.1f} MB/s"
    )
    if report.common_dropped:
        click.echo(f"  {report.common_dropped} fingerprints left out as common (public) code")
    for skip in report.skipped:
        click.echo(f"leakguard: skipped {skip.path} ({skip.reason})", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(index_group)
