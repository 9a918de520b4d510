"""Whole-message keywords: carrier-style STOP / START / HELP (English and Spanish) and a nurse's
ACK. Pure. A keyword counts only as the entire message, so "STOP this bill" or "please stop"
is an ordinary reply that goes through triage."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"


KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(
        ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "alto",
         "parar"),
        Keyword.STOP,
    ),
    **dict.fromkeys(("start", "unstop", "yes"), Keyword.START),
    **dict.fromkeys(("help", "info", "ayuda"), Keyword.HELP),
}  # fmt: skip


@dataclass(frozen=True)
class AckCommand:
    code: str | None  # upper-cased alert code, or None for "the nurse's latest open alert"


_ACK = re.compile(r"ack(?:\s*[:#-]\s*|\s+#?\s*)([a-z0-9]{3,12})|ack")


def _bare(text: str) -> str:
    """Accents stripped, lower case, outer spaces and trailing '.'/'!' removed."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char)).casefold()
    return folded.strip().rstrip(".!").strip()


def opt_keyword(text: str) -> Keyword | None:
    """STOP/START/HELP when the whole message is one of their words, else None."""
    return KEYWORDS.get(_bare(text))


def parse_ack(text: str) -> AckCommand | None:
    """'ACK', ' ack. ', 'ACK A7K2', 'ack #a7k2' -> an acknowledgement; anything else -> None."""
    match = _ACK.fullmatch(_bare(text))
    if match is None:
        return None
    code = match.group(1)
    return AckCommand(code.upper() if code else None)
