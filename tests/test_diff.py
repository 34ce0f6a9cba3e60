"""Tests of pipeline.diff, pipeline.report and `plandigit diff`.

Plans with known changes between years (moved, rescheduled, re-budgeted, reworded, added,
removed, unchanged) are built from the samples' ground truth (samples/truth); the expected
changes there (changes-*.json) are computed from the samples' content, not from this code.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TRUTH, load_truth

from pipeline import diff, report, schema
from pipeline.cli import main
from pipeline.errors import ExitCode, InputFileError
from pipeline.evaluate import diff_summary, expected_diff
from pipeline.evaluate import truth_document as evaluate_truth_document
from pipeline.model import ActionRow, Clause, Document, SourceInfo

PLANS = ["verksamhetsplan-2022", "verksamhetsplan-2023", "verksamhetsplan-2024"]


def truth_document(stem: str) -> Document:
    """A Document holding exactly what the extractor should output for a sample."""
    return evaluate_truth_document(load_truth(stem))


def expected_changes(old: str, new: str) -> dict:
    path = TRUTH / f"changes-{old.rsplit('-', 1)[1]}-{new.rsplit('-', 1)[1]}.json"
    return expected_diff(json.loads(path.read_text(encoding="utf-8")), diff.ACTION_FIELDS)


def _needs_truth(*names: str) -> None:
    missing = [n for n in names if not (TRUTH / f"{n}.json").exists()]
    if missing:
        pytest.skip(f"sample ground truth not generated yet: {', '.join(missing)}")


# --- small plans with every kind of change --------------------------------------------------


def row(activity: str, **values) -> ActionRow:
    base = {
        "area": "Klimat",
        "goal": "Leda omställningen till ett klimateffektivt samhälle",
        "subgoal": "Vi bidrar till en långsiktig minskning av utsläppen",
        "responsible": ["Haninge", "Nykvarn"],
        "when": "Löpande",
        "budget_sek": None,
        "comment": None,
        "page": 1,
    }
    return ActionRow(activity=activity, **{**base, **values})


def plan(year: int, actions: list[ActionRow]) -> Document:
    return Document(
        SourceInfo(f"plan-{year}.pdf", "0" * 64, 1), kind="plan", year=year, actions=actions
    )


OLD = plan(
    2022,
    [
        row("Gemensam kartläggning av laddinfrastruktur för elfordon", budget_sek=80000),
        row(
            "Arrangera en klimatdag för förtroendevalda",
            responsible=["Södertörn"],
            when="Hösten",
        ),
        row("Samordna upphandling av fossilfria transporttjänster", when="December"),
        row(
            "Dialog med Trafikverket om Tvärförbindelse Södertörn",
            area="Infrastruktur",
            subgoal="Vi positionerar Södertörn",
            budget_sek=50000,
        ),
        row(
            "Kartlägga behovet av omlastningsytor för gods",
            area="Infrastruktur",
            subgoal="Vi verkar för hållbara godstransporter",
            responsible=["Nynäshamn", "Haninge"],
        ),
        row(
            "Utbildning i medborgardialog för förvaltningarnas chefer",
            area="Olikhet och mångfald",
            subgoal="Vi motverkar segregation",
            budget_sek=25000,
        ),
    ],
)
NEW = plan(
    2023,
    [
        # re-budgeted; responsible reordered (a set: no change)
        row(
            "Gemensam kartläggning av laddinfrastruktur för elfordon",
            budget_sek=95000,
            responsible=["Nykvarn", "Haninge"],
        ),
        # reworded
        row(
            "Arrangera två klimatdagar för förtroendevalda",
            responsible=["Södertörn"],
            when="Hösten",
        ),
        # rescheduled
        row("Samordna upphandling av fossilfria transporttjänster", when="Juni"),
        # unchanged, but read with a line break and an en dash (OCR wrap differences)
        row(
            "Dialog med Trafikverket om\nTvärförbindelse  Södertörn",
            area="Infrastruktur",
            subgoal="Vi positionerar Södertörn",
            budget_sek=50000,
        ),
        # moved to another area and sub-goal (and hyphenated at a line wrap)
        row(
            "Kartlägga behovet av omlastnings-\nytor för gods",
            area="Klimat",
            responsible=["Nynäshamn", "Haninge"],
        ),
        # added, in the same sub-goal as a removed one: must not pair with it
        row(
            "Ta fram en gemensam avfallsplan",
            area="Olikhet och mångfald",
            subgoal="Vi motverkar segregation",
            budget_sek=25000,
        ),
    ],
)


def test_every_kind_of_change_reported_with_exactly_its_fields() -> None:
    result = diff.diff_documents(OLD, NEW)
    assert diff_summary(result) == {
        "added": ["Ta fram en gemensam avfallsplan"],
        "removed": ["Utbildning i medborgardialog för förvaltningarnas chefer"],
        "changed": [
            {
                "old_activity": "Arrangera en klimatdag för förtroendevalda",
                "new_activity": "Arrangera två klimatdagar för förtroendevalda",
                "fields": ["activity"],
            },
            {
                "old_activity": "Gemensam kartläggning av laddinfrastruktur för elfordon",
                "new_activity": "Gemensam kartläggning av laddinfrastruktur för elfordon",
                "fields": ["budget_sek"],
            },
            {
                "old_activity": "Kartlägga behovet av omlastningsytor för gods",
                "new_activity": "Kartlägga behovet av omlastnings- ytor för gods",
                "fields": ["area", "subgoal"],
            },
            {
                "old_activity": "Samordna upphandling av fossilfria transporttjänster",
                "new_activity": "Samordna upphandling av fossilfria transporttjänster",
                "fields": ["when"],
            },
        ],
        "unchanged": 1,
        "budget": {
            "old_total": 155000,
            "new_total": 170000,
            "old_by_area": {"Klimat": 80000, "Infrastruktur": 50000, "Olikhet och mångfald": 25000},
            "new_by_area": {"Klimat": 95000, "Infrastruktur": 50000, "Olikhet och mångfald": 25000},
        },
    }
    changed = {c["new"]["activity"]: c for c in result["actions"]["changed"]}
    moved = changed["Kartlägga behovet av omlastnings-\nytor för gods"]
    assert (moved["old"]["area"], moved["new"]["area"]) == ("Infrastruktur", "Klimat")
    assert schema.violations(result, "diff") == []


def test_budget_per_area_and_difference() -> None:
    budget = diff.diff_documents(OLD, NEW)["budget"]
    assert budget["old"] == {
        "total": 155000,
        "by_area": {"Klimat": 80000, "Infrastruktur": 50000, "Olikhet och mångfald": 25000},
    }
    assert budget["new"]["by_area"] == {
        "Klimat": 95000,
        "Infrastruktur": 50000,
        "Olikhet och mångfald": 25000,
    }
    assert budget["difference"] == {
        "total": 15000,
        "by_area": {"Klimat": 15000, "Infrastruktur": 0, "Olikhet och mångfald": 0},
    }


def test_identical_plans_have_no_changes_even_when_rows_are_reordered() -> None:
    shuffled = plan(2023, list(reversed(OLD.actions)))
    result = diff.diff_documents(OLD, shuffled)
    assert result["actions"] == {
        "added": [],
        "removed": [],
        "changed": [],
        "unchanged": len(OLD.actions),
    }


def test_assignment_is_optimal_not_greedy() -> None:
    # Greedy would take the best single pair (a, x) and leave b without a partner;
    # the optimal assignment pairs a-y and b-x (total 1.7 against 0.95).
    scores = {("a", "x"): 0.95, ("a", "y"): 0.9, ("b", "x"): 0.8, ("b", "y"): 0.1}
    pairs = diff.match(["a", "b"], ["x", "y"], lambda o, n: scores[o, n], 0.5)
    assert pairs == [(0, 1), (1, 0)]


def test_same_activity_twice_pairs_by_area() -> None:
    # The same activity text under two areas: each row keeps its own area.
    old = plan(
        2022,
        [
            row("Nätverksträffar", area="Klimat"),
            row("Nätverksträffar", area="Infrastruktur", when="Våren"),
        ],
    )
    new = plan(
        2023,
        [
            row("Nätverksträffar", area="Infrastruktur", when="Hösten"),
            row("Nätverksträffar", area="Klimat"),
        ],
    )
    result = diff.diff_documents(old, new)["actions"]
    assert result["unchanged"] == 1
    assert [c["fields"] for c in result["changed"]] == [["when"]]


def test_unrelated_activities_in_one_subgoal_are_removed_and_added() -> None:
    old = plan(2022, [row("Jämföra handläggningstider för bygglov och serveringstillstånd")])
    new = plan(2023, [row("Genomföra en gemensam näringslivsdag med Södertörns högskola")])
    result = diff.diff_documents(old, new)["actions"]
    assert (len(result["added"]), len(result["removed"]), result["changed"]) == (1, 1, [])


def test_activity_moved_and_reworded_keeping_its_cells_is_changed() -> None:
    # Moved to another area, goal and sub-goal and reworded: the text alone is not enough
    # (unrelated activities come as close), but the row keeps who, when, budget, comment.
    cells = {"when": "Hösten", "budget_sek": 30000, "comment": "Fritidsnätverket"}
    old = plan(
        2022,
        [
            row(
                "Kartlägga tillgången på lokaler för föreningslivet",
                **cells,
                responsible=["Tyresö", "Salem"],
            )
        ],
    )
    new = plan(
        2023,
        [
            row(
                "Kartlägga föreningslivets behov av lokaler",
                **cells,
                responsible=["Salem", "Tyresö"],
                area="Kultur och fritid",
                goal="Ett rikt kultur- och fritidsliv",
                subgoal="Vi stödjer föreningslivet",
            )
        ],
    )
    result = diff.diff_documents(old, new)["actions"]
    assert (result["added"], result["removed"]) == ([], [])
    assert [c["fields"] for c in result["changed"]] == [["area", "goal", "subgoal", "activity"]]


def test_unrelated_activity_elsewhere_sharing_common_cells_is_not_a_move() -> None:
    # "Södertörn" and "Löpande" are in many rows: no support for pairing these two.
    old = plan(
        2022,
        [row("Samordna upphandling av fossilfria transporttjänster", responsible=["Södertörn"])],
    )
    new = plan(
        2023,
        [
            row(
                "Samordna upphandling av skolskjutsar",
                responsible=["Södertörn"],
                area="Utbildning",
                goal="Säkra kompetensförsörjningen",
                subgoal="Vi stärker samverkan mellan skola och arbetsliv",
            )
        ],
    )
    result = diff.diff_documents(old, new)["actions"]
    assert (len(result["added"]), len(result["removed"]), result["changed"]) == (1, 1, [])


def test_template_row_replaced_in_another_area_is_removed_and_added() -> None:
    # One template ("Arrangera en mässa för X"), another area, goal and sub-goal, and
    # the same municipality, month and sum: only the activity text can tell, and the
    # topic differs.
    cells = {"responsible": ["Salem"], "when": "November", "budget_sek": 60000}
    old = plan(2022, [row("Arrangera en mässa för gymnasieelever", area="Kompetens", **cells)])
    new = plan(
        2023,
        [
            row(
                "Arrangera en mässa för småföretagare",
                area="Näringsliv",
                goal="Ett bättre företagsklimat",
                subgoal="Vi stöttar nya företag",
                **cells,
            )
        ],
    )
    result = diff.diff_documents(old, new)["actions"]
    assert (len(result["added"]), len(result["removed"]), result["changed"]) == (1, 1, [])


@pytest.mark.parametrize("keep", [None, "responsible", "when", "budget_sek", "comment"])
def test_template_row_sharing_no_other_cell_is_removed_and_added(keep: str | None) -> None:
    # One sub-goal, one template, one word apart; a row keeping any of its cells is the
    # activity reworded, one keeping none (blank comments are not a shared cell) is new.
    cells = {"responsible": ["Salem"], "when": "Mars", "budget_sek": 20000, "comment": None}
    other = {"responsible": ["Haninge", "Tyresö"], "when": "Oktober", "budget_sek": 45000}
    if keep == "comment":
        cells["comment"] = other["comment"] = "Beredskapsnätverket"
    elif keep:
        other[keep] = cells[keep]
    old = plan(2022, [row("Inventera skyddsrum i kommunernas fastigheter", **cells)])
    new = plan(2023, [row("Inventera reservkraft i kommunernas fastigheter", **other)])
    result = diff.diff_documents(old, new)["actions"]
    counts = (len(result["added"]), len(result["removed"]), len(result["changed"]))
    assert counts == ((1, 1, 0) if keep is None else (0, 0, 1))


@pytest.mark.parametrize(
    "old, new",
    [
        # a compound takes the place of words ("skolskjutsar" in "skolskjutsupphandling")
        ("Samordna upphandling av skolskjutsar", "Gemensam skolskjutsupphandling"),
        # a short activity extended: all its words are still there
        ("Rådslag", "Rådslag för förtroendevalda"),
    ],
)
def test_compound_and_extended_rewordings_are_changes(old: str, new: str) -> None:
    result = diff.diff_documents(
        plan(2022, [row(old, when="Juni")]), plan(2023, [row(new, when="Hösten")])
    )["actions"]
    assert (result["added"], result["removed"]) == ([], [])
    assert [c["fields"] for c in result["changed"]] == [["activity", "when"]]


@pytest.mark.parametrize(
    "old, new, changed",
    [
        ("Väg 73 – etapp 2", "Väg 73 - etapp\n2", False),  # dash kind, line wrap
        ("yrkeshögskoleutbildningar", "yrkeshögskole-\nutbildningar", False),  # wrap hyphen
        ("Samverkan ( nya )", "Samverkan (nya)", False),
        ("Laddinfrastruktur för elfordon", "Laddinfrastruktur för elfordon -", False),  # rule
        ("Dialog om Tvärförbindelse", "Dialog om | Tvärförbindelse", False),
        ("Uppvaktning med StorSthlm", "Uppvaktning: med StorSthlm.", False),  # specks
        ("Start kl. 9:30", "Start kl. 9.30", True),
        ("Dialog om väg 73", "Dialog om väg 13", True),
        ("vård- och omsorg", "vård och omsorg", True),
        ("Löpande", "löpande", False),  # capitals are no content (OCR reads V as v)
        ("Vi säkrar it-miljön", "VI säkrar it-miljön", False),
        ("Utreda bygglov", "=:Utreda bygglov", False),  # a speck before a word
        ("Utreda bygglov", "-Utreda bygglov", False),  # ... a dash-like one opening the cell
        ("Stöd på flera språk", "Stöd på flera.språk", False),  # ... one between two words
        ("Kartlägga behovet", "Kartlägga'behovet", False),
        ("Stöd på flera språk", "Stöd på flerspråk", True),  # a word, not a speck
        ("Avtal för skolor", "Avtal för skolor och -klasser", True),
        ("Hösten 2022", "Hösten 2023", True),
        # misread words: a non-word an edit or two from the other year's word, or a glyph
        ("Ta fram en modell", "Ta ftam en modell", False),
        ("Samverkan i regionen", "Samverkan i regiohen", False),
        ("Vi anpassar samhället till klimatet", "Vi anpassar samhället tif klimatet", False),
        ("Utbildning om AI", "Utbildning om Al", False),
        ("Insats för vård", "Insats för värd", True),  # two real words
        ("Möte med SKL", "Möte med SKR", True),  # an abbreviation renamed
        ("Insats för vård", "Insats för vård och omsorg", True),  # words added
        ("Ta fram en modell", "Ta fram en plan", True),
    ],
)
def test_reading_differences_are_not_changes(old: str, new: str, changed: bool) -> None:
    fields = diff.changed_fields(row("Seminarium", comment=old), row("Seminarium", comment=new))
    assert fields == (["comment"] if changed else [])


@pytest.mark.parametrize(
    "old, new, changed",
    [
        (["Haninge", "Huddinge"], ["Huddinge", "Hanige"], False),  # order, a misread name
        (["Haninge", "Huddinge"], ["Haninge", "Nykvarn"], True),
        (["Haninge", "Huddinge"], ["Haninge"], True),
    ],
)
def test_responsible_compares_as_a_set_of_readings(old, new, changed) -> None:
    fields = diff.changed_fields(
        row("Seminarium", responsible=old), row("Seminarium", responsible=new)
    )
    assert fields == (["responsible"] if changed else [])


def test_empty_and_missing_cells_are_the_same() -> None:
    old = plan(2022, [row("Seminarium om social hållbarhet", comment="", when=None)])
    new = plan(2023, [row("Seminarium om social hållbarhet", comment=None, when="  ")])
    assert diff.diff_documents(old, new)["actions"]["unchanged"] == 1


# --- samples: two and three consecutive years -----------------------------------------------


@pytest.mark.parametrize("old, new", [PLANS[:2], PLANS[1:]])
def test_truth_plans_diff_equals_expected_changes(old: str, new: str) -> None:
    pair = f"changes-{old.rsplit('-', 1)[1]}-{new.rsplit('-', 1)[1]}"
    _needs_truth(old, new, pair)
    result = diff.diff_documents(truth_document(old), truth_document(new))
    assert diff_summary(result) == expected_changes(old, new)


def test_processed_scans_diff_equals_expected_changes(processed) -> None:
    """End to end: the diff of the OCR'd 2022 and 2023 scans is exactly the known one."""
    _needs_truth(*PLANS[:2], "changes-2022-2023")
    result = diff.diff_documents(processed(PLANS[0]), processed(PLANS[1]))
    assert diff_summary(result) == expected_changes(*PLANS[:2])


def test_timeline_over_three_years() -> None:
    _needs_truth(*PLANS, "changes-2022-2023", "changes-2023-2024")
    documents = [truth_document(stem) for stem in PLANS]
    result = diff.timeline(documents)
    assert schema.violations(result, "timeline") == []
    labels = [d["label"] for d in result["documents"]]
    assert labels == [str(load_truth(s)["year"]) for s in PLANS]
    first = expected_changes(*PLANS[:2])
    second = expected_changes(*PLANS[1:])
    by_status: dict[tuple[str, str], list] = {}
    for activity in result["activities"]:
        history = activity["history"]
        assert activity["first_seen"] == history[0]["label"]
        seen = [h["label"] for h in history if h["status"] != "removed"]
        assert activity["last_seen"] == seen[-1]
        assert [h["label"] for h in history] == labels[labels.index(history[0]["label"]) :][
            : len(history)
        ]
        for entry in history:
            by_status.setdefault((entry["label"], entry["status"]), []).append(entry)
    for label, changes in ((labels[1], first), (labels[2], second)):
        assert len(by_status.get((label, "added"), [])) == len(changes["added"])
        assert len(by_status.get((label, "removed"), [])) == len(changes["removed"])
        assert len(by_status.get((label, "unchanged"), [])) == changes["unchanged"]
        assert sorted(e["fields"] for e in by_status.get((label, "changed"), [])) == sorted(
            c["fields"] for c in changes["changed"]
        )
    assert len(by_status[labels[0], "added"]) == len(documents[0].actions)


def test_timeline_follows_one_activity() -> None:
    third = plan(
        2024,
        [
            replace(a, when="Våren") if "laddinfrastruktur" in a.activity else a
            for a in NEW.actions[:3]
        ],
    )
    result = diff.timeline([OLD, NEW, third])
    charging = [a for a in result["activities"] if "laddinfrastruktur" in a["activity"]]
    assert len(charging) == 1
    assert [(h["label"], h["status"], h["fields"]) for h in charging[0]["history"]] == [
        ("2022", "added", []),
        ("2023", "changed", ["budget_sek"]),
        ("2024", "changed", ["when"]),
    ]
    dialogue = [a for a in result["activities"] if "Trafikverket" in a["activity"]][0]
    assert (dialogue["first_seen"], dialogue["last_seen"]) == ("2022", "2023")
    assert dialogue["history"][-1]["status"] == "removed"


# --- clauses ------------------------------------------------------------------------------------


def agreement(year: int, clauses: list[Clause]) -> Document:
    return Document(
        SourceInfo(f"avtal-{year}.pdf", "0" * 64, 2), kind="agreement", year=year, clauses=clauses
    )


def test_clause_diff_on_two_agreement_versions() -> None:
    _needs_truth("samarbetsavtal-2019")
    original = truth_document("samarbetsavtal-2019").clauses
    assert len(original) >= 3
    revised = [replace(c) for c in original]
    words = revised[1].text.split()
    changed_text = " ".join(["Dessutom", *words[:3], "uppdaterade", *words[4:]])
    revised[1] = replace(revised[1], text=changed_text)
    revised[2] = replace(revised[2], title=revised[2].title + " och ansvar")
    removed = revised.pop()
    added = Clause(
        str(int(original[-1].number) + 1), "Giltighet", "Avtalet gäller tills vidare.", 2
    )
    revised.append(added)

    result = diff.diff_documents(agreement(2019, original), agreement(2023, revised))
    clauses = result["clauses"]
    assert [c["number"] for c in clauses["added"]] == [added.number]
    assert [c["number"] for c in clauses["removed"]] == [removed.number]
    assert [(c["new"]["number"], c["fields"]) for c in clauses["changed"]] == [
        (original[1].number, ["text"]),
        (original[2].number, ["title"]),
    ]
    assert clauses["unchanged"] == len(original) - 3
    text_diff = clauses["changed"][0]["text_diff"]
    assert text_diff[0] == ["insert", "Dessutom"]
    assert ["delete", words[3]] in text_diff and ["insert", "uppdaterade"] in text_diff
    # the word diff rebuilds both texts
    assert " ".join(w for op, w in text_diff if op != "insert") == " ".join(words)
    assert " ".join(w for op, w in text_diff if op != "delete") == changed_text


def test_renumbered_clause_is_matched_by_title() -> None:
    old = [
        Clause("1", "Syfte", "A.", 1),
        Clause("2", "Parter", "B.", 1),
        Clause("3", "Ekonomi", "C.", 1),
    ]
    new = [
        Clause("1", "Syfte", "A.", 1),
        Clause("2", "Organisation", "Ny.", 1),
        Clause("3", "Parter", "B.", 1),
        Clause("4", "Ekonomi", "C ändrad.", 1),
    ]
    clauses = diff.diff_documents(agreement(2019, old), agreement(2023, new))["clauses"]
    assert [c["title"] for c in clauses["added"]] == ["Organisation"]
    assert clauses["removed"] == []
    assert [(c["old"]["number"], c["new"]["number"], c["fields"]) for c in clauses["changed"]] == [
        ("2", "3", ["number"]),
        ("3", "4", ["number", "text"]),
    ]


def test_word_diff_ignores_line_wraps_and_dashes() -> None:
    assert diff.word_diff("Södertörn –\nen region", "Södertörn - en  region") == [
        ["equal", "Södertörn - en region"]
    ]


# --- reports and CLI ----------------------------------------------------------------------------


def write_document(path: Path, document: Document) -> Path:
    data = document.to_dict()
    schema.check(data, "document")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def plan_files(tmp_path: Path) -> tuple[Path, Path]:
    return write_document(tmp_path / "old.json", OLD), write_document(tmp_path / "new.json", NEW)


def test_cli_json_written_with_o_is_the_validated_contract(plan_files, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "diff.json"
    result = CliRunner().invoke(
        main, ["diff", *map(str, plan_files), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert schema.violations(data, "diff") == []
    assert data == diff.diff_documents(OLD, NEW)
    assert [p.name for p in out.parent.iterdir()] == ["diff.json"]  # no temp files left


def test_cli_text_is_plain_table_when_not_a_terminal(plan_files) -> None:
    result = CliRunner().invoke(main, ["diff", *map(str, plan_files)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "\x1b[" not in text
    assert "Activities: 1 added, 1 removed, 4 changed, 1 unchanged" in text
    assert "Ta fram en gemensam avfallsplan" in text
    assert "[-en klimatdag-] {+två klimatdagar+}" in text
    assert "80 000" in text and "95 000" in text and "+15 000" in text


def test_text_report_is_coloured_for_a_terminal() -> None:
    coloured = report.render(diff.diff_documents(OLD, NEW), "text", color=True, width=120)
    assert "\x1b[" in coloured
    assert "Removed activities" in coloured


def test_cli_markdown(plan_files, tmp_path: Path) -> None:
    out = tmp_path / "diff.md"
    result = CliRunner().invoke(
        main, ["diff", *map(str, plan_files), "--format", "markdown", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Changes 2022 → 2023")
    charging = "Gemensam kartläggning av laddinfrastruktur för elfordon"
    assert f"| {charging} | Budget (SEK) | 80 000 | 95 000 |" in text
    assert "Arrangera ~~en klimatdag~~ **två klimatdagar** för förtroendevalda" in text
    assert "| **Total** | **155 000** | **170 000** | **+15 000** |" in text


def test_cli_html_escapes_content(tmp_path: Path) -> None:
    hostile = plan(2023, [*NEW.actions, row("<script>alert(1)</script> & möte")])
    old, new = (
        write_document(tmp_path / "a.json", OLD),
        write_document(tmp_path / "b.json", hostile),
    )
    out = tmp_path / "diff.html"
    result = CliRunner().invoke(
        main, ["diff", str(old), str(new), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; möte" in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_cli_timeline_formats(tmp_path: Path) -> None:
    third = plan(2024, NEW.actions[:4])
    files = [write_document(tmp_path / f"{d.year}.json", d) for d in (OLD, NEW, third)]
    runner = CliRunner()
    result = runner.invoke(main, ["diff", "--timeline", *map(str, files), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert schema.violations(data, "timeline") == []
    assert [d["year"] for d in data["documents"]] == [2022, 2023, 2024]
    text = runner.invoke(main, ["diff", "--timeline", *map(str, files)]).output
    assert "Timeline 2022 -> 2023 -> 2024" in text
    for fmt in ("markdown", "html"):
        out = tmp_path / f"timeline.{fmt}"
        result = runner.invoke(
            main, ["diff", "--timeline", *map(str, files), "--format", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "Ta fram en gemensam avfallsplan" in out.read_text(encoding="utf-8")


def test_cli_bad_inputs_fail_with_one_line_and_no_output(plan_files, tmp_path: Path) -> None:
    runner = CliRunner()
    broken = tmp_path / "broken.json"
    broken.write_text('{"source": ', encoding="utf-8")
    out = tmp_path / "diff.json"
    result = runner.invoke(main, ["diff", str(plan_files[0]), str(broken), "-o", str(out)])
    assert result.exit_code == ExitCode.input_file
    assert result.output.startswith(f"plandigit: error: {broken}: not a readable document JSON")
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()

    not_a_document = tmp_path / "other.json"
    not_a_document.write_text('{"actions": []}', encoding="utf-8")
    result = runner.invoke(main, ["diff", str(plan_files[0]), str(not_a_document)])
    assert result.exit_code == ExitCode.input_file
    assert "not a plandigit document JSON" in result.output

    result = runner.invoke(main, ["diff", str(plan_files[0])])
    assert result.exit_code == ExitCode.bad_args
    result = runner.invoke(main, ["diff", str(plan_files[0]), str(tmp_path / "missing.json")])
    assert result.exit_code == ExitCode.bad_args


def test_load_documents_reports_a_bad_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"not a pdf at all")
    with pytest.raises(InputFileError, match="plan.pdf"):
        diff.load_documents([fake])


def test_cli_processes_pdf_inputs(samples_dir: Path, tmp_path: Path) -> None:
    """PDF inputs go through the processing pipeline (born-digital sample: no OCR)."""
    pdf = samples_dir / "verksamhetsplan-2024.pdf"
    out = tmp_path / "same.json"
    result = CliRunner().invoke(
        main, ["diff", str(pdf), str(pdf), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["old"]["file"] == data["new"]["file"] == pdf.name
    actions = data["actions"]
    assert (actions["added"], actions["removed"], actions["changed"]) == ([], [], [])
    assert actions["unchanged"] == len(load_truth("verksamhetsplan-2024")["actions"])
