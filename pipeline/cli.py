"""The `plandigit` command: thin click commands over the library.

Every failure is a PlandigitError carrying its exit code; this module is the only place
that turns one into a message and an exit status.
"""

from __future__ import annotations

import shutil
import sys

import click

from . import __version__
from .errors import PlandigitError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlandigitError as exc:
            click.echo(f"plandigit: error: {exc}", err=True)
            sys.exit(int(exc.exit_code))


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="plandigit")
def main() -> None:
    """Digitise scanned Swedish municipal plans and agreements.

    \b
    Example:
        plandigit process samples/verksamhetsplan-2022.pdf -o out/
    """


# --- process / validate (foundation, OCR) -------------------------------------------------

# --- correct / corrections (diacritic repair) ---------------------------------------------

# --- export (extraction) ------------------------------------------------------------------

# --- diff ---------------------------------------------------------------------------------


@main.command("diff")
@click.argument(
    "documents", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False)
)
@click.option(
    "--timeline", is_flag=True, help="Each activity's history over several years, in order."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Workers for PDF inputs.")
def diff_command(
    documents: tuple[str, ...], timeline: bool, fmt: str, output: str | None, jobs: int | None
) -> None:
    """Compare an older and a newer plan or agreement (document JSONs or PDFs).

    Lists added, removed and changed activities (matched even when reworded or moved),
    budget per area and changed agreement clauses. PDFs are processed first.

    \b
    Examples:
        plandigit diff out/verksamhetsplan-2022.json out/verksamhetsplan-2023.json
        plandigit diff vp-2022.pdf vp-2023.pdf --format html -o diff.html
        plandigit diff --timeline vp-2022.json vp-2023.json vp-2024.json
    """
    from . import atomic
    from .diff import diff_documents, load_documents
    from .diff import timeline as build_timeline
    from .report import render

    if not timeline and len(documents) != 2:
        raise click.UsageError("diff takes exactly two documents, OLD and NEW (or --timeline)")
    if timeline and len(documents) < 2:
        raise click.UsageError("--timeline needs at least two documents, oldest first")
    loaded = load_documents(documents, jobs)
    data = build_timeline(loaded) if timeline else diff_documents(*loaded)
    color = output is None and fmt == "text" and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if color else None
    text = render(data, fmt, timeline=timeline, color=color, width=width)
    if output:
        atomic.write_text(output, text)
    else:
        click.echo(text, nl=False)


# --- batch / search (batch runs, catalogue) -----------------------------------------------

# --- package (archival packages) ----------------------------------------------------------
