"""Render message templates (templates/sms/<language>/<name>.j2) to GSM-7 text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from monitor.domain.gsm import to_gsm7
from monitor.paths import templates_dir

LANGUAGES = ("en", "es")  # patients' languages
STAFF = "staff"  # nurse alerts and acknowledgements (English)


class Renderer:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or templates_dir() / "sms"
        self._env = Environment(
            loader=FileSystemLoader(self.root),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )

    def render(self, name: str, language: str, **context: Any) -> str:
        """The message text, stripped and spelled in GSM-7 (accents GSM-7 lacks are dropped)."""
        if language not in (*LANGUAGES, STAFF):
            raise ValueError(f"language {language!r}: use one of {', '.join(LANGUAGES)}")
        template = self._env.get_template(f"{language}/{name}.j2")
        return to_gsm7(template.render(**context).strip())

    def names(self, language: str) -> list[str]:
        return sorted(path.stem for path in (self.root / language).glob("*.j2"))
