"""Whole-message keywords: STOP / START / HELP in English and Spanish, and a nurse's ACK."""

from __future__ import annotations

import pytest

from monitor.domain.keywords import AckCommand, Keyword, opt_keyword, parse_ack


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        *[
            pytest.param(word, Keyword.STOP, id=word)
            for word in ("STOP", "stopall", "Unsubscribe", "CANCEL", "end", "quit", "revoke",
                         "optout", "ALTO", "parar")
        ],
        *[pytest.param(word, Keyword.START, id=word) for word in ("START", "unstop", "Yes")],
        *[pytest.param(word, Keyword.HELP, id=word) for word in ("HELP", "info", "Ayuda")],
        pytest.param(" stop ", Keyword.STOP, id="spaces"),
        pytest.param("Stop.", Keyword.STOP, id="trailing-period"),
        pytest.param("STOP!!", Keyword.STOP, id="trailing-bangs"),
        pytest.param("AYÚDA", Keyword.HELP, id="accent-optional"),
        pytest.param("Párar", Keyword.STOP, id="accent-on-parar"),
        pytest.param("STOP this bill", None, id="more-words"),
        pytest.param("please stop", None, id="please-stop"),
        pytest.param("stop all", None, id="two-words"),
        pytest.param("stopp", None, id="misspelt"),
        pytest.param("help me i cant breathe", None, id="help-in-a-sentence"),
        pytest.param("yes i have chest pain", None, id="yes-in-a-sentence"),
        pytest.param("?stop", None, id="leading-mark"),
        pytest.param("", None, id="empty"),
    ],
)  # fmt: skip
def test_opt_keyword(text: str, keyword: Keyword | None) -> None:
    assert opt_keyword(text) is keyword


@pytest.mark.parametrize(
    ("text", "command"),
    [
        pytest.param("ACK", AckCommand(None), id="upper"),
        pytest.param("ack", AckCommand(None), id="lower"),
        pytest.param(" Ack. ", AckCommand(None), id="spaces-period"),
        pytest.param("ACK!", AckCommand(None), id="bang"),
        pytest.param("ACK A7K2", AckCommand("A7K2"), id="code"),
        pytest.param("ack a7k2", AckCommand("A7K2"), id="code-lower"),
        pytest.param("ACK #A7K2", AckCommand("A7K2"), id="code-hash"),
        pytest.param("ACK: A7K2", AckCommand("A7K2"), id="code-colon"),
        pytest.param("ACK-a7k2", AckCommand("A7K2"), id="code-hyphen"),
        pytest.param("ack  a7k2.", AckCommand("A7K2"), id="code-period"),
        pytest.param("ok ack", None, id="words-before"),
        pytest.param("ACK A7K2 thanks", None, id="words-after"),
        pytest.param("ACKA7K2", None, id="no-separator"),
        pytest.param("acknowledged", None, id="longer-word"),
        pytest.param("back", None, id="ack-inside-word"),
        pytest.param("ACK A7", None, id="code-too-short"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_ack(text: str, command: AckCommand | None) -> None:
    assert parse_ack(text) == command
