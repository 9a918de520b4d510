"""Assertions for `dswatch` invocations made through typer's CliRunner."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result

Invoke = Callable[..., Result]


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def user_error(result: Result, *fragments: str) -> str:
    """Exit code 2, a message on stderr containing every fragment, and no traceback."""
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())
    for fragment in fragments:
        assert fragment in message
    assert "Traceback" not in result.output
    return message
