"""Locate the shipped data (default config, message templates) with or without the source tree.

A wheel carries `config/` and `templates/` under `monitor/_data/` (see pyproject.toml); a source
checkout or an editable install finds them at the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    source = _PACKAGE_DIR.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"DSWatch data directory {name!r} is missing from the installation")


def config_dir() -> Path:
    return _data_dir("config")


def templates_dir() -> Path:
    return _data_dir("templates")


def migrations_dir() -> Path:
    return _PACKAGE_DIR / "db" / "migrations"
