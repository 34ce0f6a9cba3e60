"""Spreadsheet export of action rows from processed JSON documents."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import ExitCode, InputFileError
from pipeline.export import COLUMNS, export_actions
from pipeline.process import write_outputs


@pytest.fixture(scope="module")
def plan_jsons(processed, tmp_path_factory):
    folder = tmp_path_factory.mktemp("json")
    paths = []
    for stem in ("verksamhetsplan-2022", "verksamhetsplan-2024"):
        write_outputs(processed(stem), folder, stem)
        paths.append(folder / f"{stem}.json")
    return paths


def test_csv_export_has_every_action_with_source_and_page(plan_jsons, tmp_path) -> None:
    out = tmp_path / "actions.csv"
    count = export_actions(plan_jsons, out, "csv")
    frame = pd.read_csv(out, dtype={"budget_sek": "Int64"})
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in plan_jsons]
    actions = [(d["source"]["file"], a) for d in documents for a in d["actions"]]
    assert count == len(frame) == len(actions) > 0
    assert tuple(frame.columns) == COLUMNS
    for (file, action), row in zip(actions, frame.itertuples(index=False), strict=True):
        assert row[0] == file and row[1] == action["page"]
        assert row.activity == action["activity"]
        assert row.responsible == "; ".join(action["responsible"])
        budget = None if pd.isna(row.budget_sek) else int(row.budget_sek)
        assert budget == action["budget_sek"]


def test_xlsx_export_via_cli(plan_jsons, tmp_path) -> None:
    out = tmp_path / "actions.xlsx"
    args = ["export", *map(str, plan_jsons), "--format", "xlsx", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    frame = pd.read_excel(out)
    assert tuple(frame.columns) == COLUMNS
    assert set(frame["source file"]) == {"verksamhetsplan-2022.pdf", "verksamhetsplan-2024.pdf"}


def test_bad_input_fails_cleanly_without_output(plan_jsons, tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"source": {"file": "x.pdf"}}', encoding="utf-8")
    out = tmp_path / "actions.csv"
    with pytest.raises(InputFileError, match="broken.json"):
        export_actions([plan_jsons[0], broken], out, "csv")
    assert not out.exists() and list(tmp_path.iterdir()) == [broken]
    result = CliRunner().invoke(main, ["export", str(broken), "-o", str(out)])
    assert result.exit_code == ExitCode.input_file
    assert "broken.json" in result.output and len(result.output.strip().splitlines()) == 1
