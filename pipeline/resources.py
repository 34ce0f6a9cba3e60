"""Where plandigit's data lives: correction files and schemas.

An installed wheel carries them under ``pipeline/_data``; a source checkout (editable
install) has them at the repository root. Never the current directory, so the CLI and
remote workers find the same data wherever they run.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Folder ``name`` ("corrections" or "schemas") shipped with plandigit."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"plandigit data folder {name!r} is missing from the installation")


def corrections_dir(override: str | Path | None = None) -> Path:
    return Path(override) if override else data_dir("corrections")


def schemas_dir() -> Path:
    return data_dir("schemas")
