"""Present a diff or a timeline (the JSON data from ``diff.py``) for people.

Formats: ``json`` (the contract itself), ``markdown`` and ``html`` (Jinja templates in
``pipeline/templates``, shipped inside the package), and ``text``: rich tables, coloured
when written to a terminal and plain otherwise. The HTML page is self-contained (inline
CSS, no scripts, no external assets) so it can be opened from disk or attached to a mail.
"""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .diff import ACTION_FIELDS, NO_AREA, word_diff

Format = Literal["text", "json", "markdown", "html"]
FORMATS: tuple[str, ...] = ("text", "json", "markdown", "html")

FIELD_LABELS = {
    "area": "Area",
    "goal": "Goal",
    "subgoal": "Sub-goal",
    "activity": "Activity",
    "responsible": "Responsible",
    "when": "When",
    "budget_sek": "Budget (SEK)",
    "comment": "Comment",
    "number": "Number",
    "title": "Title",
    "text": "Text",
}
NUMERIC_COLUMNS = {"Budget", "Difference"}
TEXT_WIDTH = 160  # columns of plain text output (a terminal uses its own width)


def show(value: Any, field: str | None = None) -> str:
    """One cell value as people read it: lists joined, kronor grouped, empty as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(value)
    if field == "budget_sek" or isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return " ".join(str(value).split())


def signed(value: int) -> str:
    return ("+" if value > 0 else "") + show(value) if value else "0"


def area_name(area: str) -> str:
    return "(no area)" if area == NO_AREA else area


def budget_rows(budget: dict[str, Any]) -> list[tuple[str, int, int, int]]:
    """(area, old, new, difference) per area of either year, in first-seen order."""
    old, new = budget["old"]["by_area"], budget["new"]["by_area"]
    return [
        (area_name(area), old.get(area, 0), new.get(area, 0), difference)
        for area, difference in budget["difference"]["by_area"].items()
    ]


# --- Jinja (html, markdown) --------------------------------------------------------------


def _html_word_diff(old: Any, new: Any) -> Markup:
    parts = []
    for op, words in word_diff(show(old), show(new)):
        tag = {"equal": None, "insert": "ins", "delete": "del"}[op]
        parts.append(escape(words) if tag is None else Markup(f"<{tag}>{escape(words)}</{tag}>"))
    return Markup(" ").join(parts)


def _md_word_diff(old: Any, new: Any) -> str:
    marks = {"equal": "{}", "insert": "**{}**", "delete": "~~{}~~"}
    return " ".join(marks[op].format(_md(words)) for op, words in word_diff(show(old), show(new)))


def _md(value: Any) -> str:
    """A markdown table cell: pipes escaped, no line breaks."""
    return " ".join(str(value).split()).replace("|", "\\|")


@cache
def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(show=show, signed=signed, md=_md, label=FIELD_LABELS.__getitem__)
    env.globals.update(
        fields=ACTION_FIELDS,
        labels=FIELD_LABELS,
        budget_rows=budget_rows,
        area_name=area_name,
        word_diff=_html_word_diff if autoescape else _md_word_diff,
    )
    return env


def _template(name: str, data: dict[str, Any], fmt: Format) -> str:
    html = fmt == "html"
    suffix = "html" if html else "md"
    return _environment(html).get_template(f"{name}.{suffix}.j2").render(data=data)


# --- rich (text) -------------------------------------------------------------------------


def _console(color: bool, width: int | None) -> Console:
    return Console(
        file=io.StringIO(),
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or TEXT_WIDTH,
        highlight=False,
        emoji=False,
    )


def _table(title: str, columns: list[str], color: bool) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD if color else box.ASCII2, title_justify="left")
    for column in columns:
        numeric = column in NUMERIC_COLUMNS or column.isdigit()
        table.add_column(column, overflow="fold", justify="right" if numeric else "left")
    return table


def _diff_text(old: Any, new: Any, field: str | None = None) -> Text:
    text = Text()
    for op, words in word_diff(show(old, field), show(new, field)):
        if text:
            text.append(" ")
        if op == "equal":
            text.append(words)
        elif op == "delete":
            text.append(f"[-{words}-]", style="red strike")
        else:
            text.append(f"{{+{words}+}}", style="green bold")
    return text


def _action_table(title: str, rows: list[dict[str, Any]], color: bool, style: str) -> Table:
    table = _table(title, ["Area", "Sub-goal", "Activity", "Responsible", "When", "Budget"], color)
    for row in rows:
        table.add_row(
            show(row["area"]),
            show(row["subgoal"]),
            Text(show(row["activity"]), style=style),
            show(row["responsible"]),
            show(row["when"]),
            show(row["budget_sek"], "budget_sek"),
        )
    return table


def _text_diff(data: dict[str, Any], console: Console, color: bool) -> None:
    actions, clauses = data["actions"], data["clauses"]
    console.print(
        f"Diff {data['old']['label']} -> {data['new']['label']} "
        f"({data['old']['file']} -> {data['new']['file']})",
        style="bold",
    )
    has_clauses = any(clauses[k] for k in ("added", "removed", "changed", "unchanged"))
    if not has_clauses or any(actions[k] for k in ("added", "removed", "changed", "unchanged")):
        console.print(
            f"Activities: {len(actions['added'])} added, {len(actions['removed'])} removed, "
            f"{len(actions['changed'])} changed, {actions['unchanged']} unchanged"
        )
    if has_clauses:
        console.print(
            f"Clauses: {len(clauses['added'])} added, {len(clauses['removed'])} removed, "
            f"{len(clauses['changed'])} changed, {clauses['unchanged']} unchanged"
        )
    if actions["added"]:
        console.print(_action_table("Added activities", actions["added"], color, "green"))
    if actions["removed"]:
        console.print(_action_table("Removed activities", actions["removed"], color, "red"))
    if actions["changed"]:
        table = _table("Changed activities", ["Activity", "Field", "Old", "New"], color)
        for change in actions["changed"]:
            for n, field in enumerate(change["fields"]):
                old, new = change["old"][field], change["new"][field]
                table.add_row(
                    show(change["new"]["activity"]) if n == 0 else "",
                    FIELD_LABELS[field],
                    Text(show(old, field), style="red"),
                    _diff_text(old, new, field)
                    if field == "activity"
                    else Text(show(new, field), style="green"),
                    end_section=n == len(change["fields"]) - 1,
                )
        console.print(table)
    if data["budget"]["old"]["by_area"] or data["budget"]["new"]["by_area"]:
        table = _table(
            "Budget (SEK)",
            ["Area", data["old"]["label"], data["new"]["label"], "Difference"],
            color,
        )
        rows = budget_rows(data["budget"])
        for n, (area, old, new, difference) in enumerate(rows, start=1):
            table.add_row(
                area, show(old), show(new), signed(difference), end_section=n == len(rows)
            )
        budget = data["budget"]
        table.add_row(
            Text("Total", style="bold"),
            show(budget["old"]["total"]),
            show(budget["new"]["total"]),
            signed(budget["difference"]["total"]),
            style="bold",
        )
        console.print(table)
    for title, rows, style in (
        ("Added clauses", clauses["added"], "green"),
        ("Removed clauses", clauses["removed"], "red"),
    ):
        if rows:
            table = _table(title, ["§", "Title", "Text"], color)
            for clause in rows:
                table.add_row(
                    clause["number"], clause["title"], Text(show(clause["text"]), style=style)
                )
            console.print(table)
    for change in clauses["changed"]:
        old, new = change["old"], change["new"]
        console.print(
            Text.assemble(
                ("Changed clause ", "bold"),
                _diff_text(
                    f"§ {old['number']} {old['title']}", f"§ {new['number']} {new['title']}"
                ),
                f"  ({', '.join(FIELD_LABELS[f].lower() for f in change['fields'])})",
            )
        )
        console.print(_diff_text(old["text"], new["text"]))
        console.print()


def _text_timeline(data: dict[str, Any], console: Console, color: bool) -> None:
    labels = [d["label"] for d in data["documents"]]
    console.print(
        f"Timeline {' -> '.join(labels)}: {len(data['activities'])} activities", style="bold"
    )
    table = _table("Activities", ["Activity", "Area", "First seen", "Last seen", *labels], color)
    styles = {"added": "green", "changed": "yellow", "removed": "red", "unchanged": ""}
    for activity in data["activities"]:
        cells: dict[str, Text] = {}
        for entry in activity["history"]:
            detail = entry["status"]
            if entry["fields"]:
                detail += ": " + ", ".join(entry["fields"])
            cells[entry["label"]] = Text(detail, style=styles[entry["status"]])
        table.add_row(
            activity["activity"],
            show(activity["area"]),
            activity["first_seen"],
            activity["last_seen"],
            *(cells.get(label, Text("")) for label in labels),
        )
    console.print(table)


def render(
    data: dict[str, Any],
    fmt: Format = "text",
    *,
    timeline: bool = False,
    color: bool = False,
    width: int | None = None,
) -> str:
    """A diff (or, with ``timeline``, a timeline) in the given format, as one string."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    name = "timeline" if timeline else "diff"
    if fmt in ("html", "markdown"):
        return _template(name, data, fmt)
    console = _console(color, width)
    (_text_timeline if timeline else _text_diff)(data, console, color)
    return console.file.getvalue()
