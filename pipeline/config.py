"""Package metadata the archive sets: who submits, under which agreement and reference code.

Read from ``--config FILE`` or ``plandigit.toml`` in the working directory (table
``[package]``); ``samples/plandigit.example.toml`` shows every key. Missing or malformed
values are a ConfigError naming the file and the key, before any package is built.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

DEFAULT_CONFIG = "plandigit.toml"
_REQUIRED = ("organisation", "organisation_number", "reference_code", "submission_agreement")
_ORGANISATION_NUMBER = re.compile(r"\d{6}-\d{4}")


@dataclass(frozen=True)
class PackageConfig:
    """Metadata for every package of a run (METS header, Dublin Core, PREMIS agents)."""

    organisation: str  # submitting organisation (METS agent ROLE=ARCHIVIST)
    organisation_number: str  # Swedish organisationsnummer, NNNNNN-NNNN
    reference_code: str  # the archive's reference code (METS altRecordID REFERENCECODE)
    submission_agreement: str  # METS altRecordID SUBMISSIONAGREEMENT
    creator: str  # organisation that created the documents (dc:creator); default: organisation
    example: bool = False  # the shipped example file: packages are not fit to submit
    source: str = ""  # the file read, for messages


def load_config(path: str | Path | None = None, cwd: Path | None = None) -> PackageConfig:
    """The package configuration from `path`, or from ./plandigit.toml when `path` is None."""
    if path is None:
        candidate = (cwd or Path.cwd()) / DEFAULT_CONFIG
        if not candidate.is_file():
            raise ConfigError(
                f"no package configuration: pass --config FILE or create {DEFAULT_CONFIG} "
                "in the working directory (see samples/plandigit.example.toml)"
            )
        path = candidate
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("configuration file not found", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration: {exc}", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", str(path)) from exc
    table = data.get("package")
    if not isinstance(table, dict):
        raise ConfigError("missing table [package]", str(path))
    values: dict[str, str] = {}
    for key in (*_REQUIRED, "creator"):
        value = table.get(key)
        if value is None and key == "creator":
            continue
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"missing or empty key package.{key}", str(path))
        values[key] = value.strip()
    if not _valid_organisation_number(values["organisation_number"]):
        raise ConfigError(
            f"package.organisation_number {values['organisation_number']!r} is not a Swedish "
            "organisation number (NNNNNN-NNNN with a valid check digit)",
            str(path),
        )
    example = table.get("example", False)
    if not isinstance(example, bool):
        raise ConfigError("package.example must be true or false", str(path))
    return PackageConfig(
        organisation=values["organisation"],
        organisation_number=values["organisation_number"],
        reference_code=values["reference_code"],
        submission_agreement=values["submission_agreement"],
        creator=values.get("creator", values["organisation"]),
        example=example,
        source=str(path),
    )


def _valid_organisation_number(number: str) -> bool:
    """Format NNNNNN-NNNN and the Luhn check digit every organisationsnummer carries."""
    if not _ORGANISATION_NUMBER.fullmatch(number):
        return False
    digits = [int(c) for c in number.replace("-", "")]
    total = 0
    for index, digit in enumerate(digits[:9]):
        product = digit * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10 == digits[9]
