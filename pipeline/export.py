"""Spreadsheet export of action-plan rows (CSV or XLSX) from plandigit JSON documents."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd

from . import atomic, schema
from .errors import BadArgsError, InputFileError

ExportFormat = Literal["csv", "xlsx"]
COLUMNS = (
    "source file",
    "page",
    "area",
    "goal",
    "subgoal",
    "activity",
    "responsible",
    "when",
    "budget_sek",
    "comment",
)


def load_document(path: str | os.PathLike[str]) -> dict:
    """A plandigit document JSON, checked against its schema."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError("no such file", str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"not a JSON document ({exc})", str(path)) from None
    if not isinstance(data, dict):
        raise InputFileError("not a plandigit document (top level is not an object)", str(path))
    found = schema.violations(data, "document")
    if found:
        raise InputFileError(f"not a valid plandigit document: {found[0]}", str(path))
    return data


def action_table(paths: Iterable[str | os.PathLike[str]]) -> pd.DataFrame:
    """One row per action of every document, with its source file and page."""
    records = []
    for path in paths:
        document = load_document(path)
        for action in document["actions"]:
            records.append(
                {
                    "source file": document["source"]["file"],
                    "page": action["page"],
                    "area": action["area"],
                    "goal": action["goal"],
                    "subgoal": action["subgoal"],
                    "activity": action["activity"],
                    "responsible": "; ".join(action["responsible"]),
                    "when": action["when"],
                    "budget_sek": action["budget_sek"],
                    "comment": action["comment"],
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame["budget_sek"] = frame["budget_sek"].astype("Int64")  # whole kronor, blank = empty
    frame["page"] = frame["page"].astype("Int64")
    return frame


def export_actions(
    paths: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], fmt: ExportFormat
) -> int:
    """Write the action rows of ``paths`` to ``out`` whole or not at all; returns the
    number of rows written."""
    if fmt not in ("csv", "xlsx"):
        raise BadArgsError(f"unknown export format {fmt!r} (csv or xlsx)")
    frame = action_table(paths)
    if fmt == "csv":
        with atomic.atomic_open(out, "w", encoding="utf-8", newline="") as handle:
            frame.to_csv(handle, index=False)
    else:
        with atomic.atomic_open(out, "wb") as handle:
            with pd.ExcelWriter(handle, engine="openpyxl") as writer:
                frame.to_excel(writer, index=False, sheet_name="Handlingsplan")
    return len(frame)
