"""The `plandigit` command: thin click commands over the library.

Every failure is a PlandigitError carrying its exit code; this module is the only place
that turns one into a message and an exit status.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ExitCode, PlandigitError


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


@main.command("process")
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder for <stem>.json and <stem>.txt.",
)
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option(
    "--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="auto: a page's own text layer when it is good, else OCR.",
)
@click.option("--lang", default="swe", show_default=True, help="tesseract language, e.g. swe+eng.")
@click.option(
    "--corrections", type=click.Path(exists=True, file_okay=False),
    help="Correction data folder [default: the shipped one].",
)
@click.option(
    "--page-timeout", type=click.FloatRange(min=0, min_open=True), default=300.0,
    show_default=True, help="Seconds of OCR per page before the page is given up as failed.",
)
def process_command(
    pdfs: tuple[Path, ...],
    outdir: Path,
    jobs: int | None,
    ocr: str,
    lang: str,
    corrections: str | None,
    page_timeout: float,
) -> None:
    """Read scanned or digital PDFs into text and document JSON.

    Writes OUTDIR/<stem>.json (validated against schemas/document.schema.json) and
    OUTDIR/<stem>.txt (corrected text, pages separated by form feeds). Each good input
    is written even when another fails; the exit status is then the failure's code.

    \b
    Example:
        plandigit process samples/verksamhetsplan-2022.pdf samples/legacy-ocr.pdf -o out/
    """
    from .executors import LocalExecutor
    from .process import Settings, exit_code, process_files, summary

    settings = Settings(ocr=ocr, lang=lang, corrections=corrections, page_timeout=page_timeout)
    results = []
    with LocalExecutor(jobs) as executor:
        for result in process_files(list(pdfs), outdir, settings, executor):
            results.append(result)
            prefix = "" if result.ok else "plandigit: error: "
            click.echo(prefix + summary(result), err=True)
    sys.exit(int(exit_code(results)))


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_command(files: tuple[Path, ...]) -> None:
    """Check document JSON files against the document schema.

    Prints every violation with its JSON path; exits 0 when all files are valid.

    \b
    Example:
        plandigit validate out/*.json
    """
    from .schema import file_violations

    invalid = 0
    for path in files:
        found = file_violations(path)
        invalid += bool(found)
        for violation in found:
            click.echo(f"{path}: {violation}")
        if not found:
            click.echo(f"{path}: valid", err=True)
    if invalid:
        click.echo(f"plandigit: {invalid} of {len(files)} files invalid", err=True)
        sys.exit(int(ExitCode.invalid_output))


# --- correct / corrections (diacritic repair) ---------------------------------------------


@main.command("correct")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--report", type=click.Path(dir_okay=False), help="Write every change to FILE.json or FILE.tsv."
)
@click.option(
    "--corrections", "folder", type=click.Path(file_okay=False),
    help="Correction data folder (default: the shipped one).",
)
def correct_command(file: str | None, report: str | None, folder: str | None) -> None:
    """Repair Swedish diacritics in OCR text: FILE (or stdin) to stdout, line for line.

    \b
    Example:
        plandigit correct old-ocr.txt --report changes.tsv > repaired.txt
    """
    from .correct import load_corrector, read_text_input, write_report

    text = read_text_input(file)
    corrected, records = load_corrector(folder).correct_text(text)
    if report:
        write_report(report, records)
    click.echo(corrected, nl=False)


@main.group("corrections")
def corrections_group() -> None:
    """Maintain the correction data: propose entries from a corpus, merge accepted ones."""


@corrections_group.command("learn")
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="Proposals TSV."
)
@click.option("--min-count", default=2, show_default=True, help="Propose forms seen this often.")
@click.option("--corrections", "folder", type=click.Path(file_okay=False), help="Data folder.")
def corrections_learn(
    corpus: tuple[str, ...], output: str, min_count: int, folder: str | None
) -> None:
    """Mine text files or document JSONs for frequent damaged forms.

    \b
    Example:
        plandigit corrections learn out/ old-texts/ -o proposals.tsv
    """
    from .correct import learn, load_corrector, write_proposals

    proposals = learn(load_corrector(folder), corpus, min_count)
    write_proposals(output, proposals)
    click.echo(f"{len(proposals)} proposals written to {output}", err=True)


@corrections_group.command("merge")
@click.argument("proposals", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--corrections", "folder", type=click.Path(file_okay=False), help="Data folder to add to."
)
def corrections_merge(proposals: str, folder: str | None) -> None:
    """Add the rows marked accept=yes to the dictionary (words.tsv).

    \b
    Example:
        plandigit corrections merge proposals.tsv
    """
    from .correct import merge

    added = merge(proposals, folder)
    click.echo(f"{added} entries added", err=True)


# --- export (extraction) ------------------------------------------------------------------


@main.command("export")
@click.argument("documents", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write."
)
def export_command(documents: tuple[str, ...], fmt: str, output: str) -> None:
    """Export the action-plan rows of processed documents to a spreadsheet.

    One row per action with its source file and page; responsible names joined with "; ".

    \b
    Example:
        plandigit export out/verksamhetsplan-2022.json out/verksamhetsplan-2023.json \\
            --format xlsx -o handlingsplaner.xlsx
    """
    from .export import export_actions

    count = export_actions(documents, output, fmt)
    click.echo(f"wrote {count} action rows to {output}", err=True)


# --- diff ---------------------------------------------------------------------------------


@main.command("diff")
@click.argument("documents", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
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


@main.command("batch")
@click.argument("indir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False),
    help="Output folder: outputs mirror INDIR, plus manifest.jsonl and catalogue.sqlite.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Workers (default: all cores).")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool; dask: a dask.distributed cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="A running dask scheduler (tcp://HOST:PORT); without it --executor dask starts "
    "a local cluster of --jobs workers.",
)
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="auto: OCR pages without a usable text layer.",
)
@click.option("--lang", default="swe", show_default=True, help="Tesseract language.")
@click.option(
    "--corrections",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of correction data instead of the shipped one.",
)
@click.option(
    "--package", "make_packages", is_flag=True,
    help="Also build an archival package (E-ARK SIP) per document under OUTDIR/packages/.",
)
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False),
    help="Package metadata (TOML) for --package; default: ./plandigit.toml.",
)
def batch_command(
    indir: str,
    outdir: str,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    ocr: str,
    lang: str,
    corrections: str | None,
    make_packages: bool,
    config_file: str | None,
) -> None:
    """Process every PDF under INDIR (recursively) into OUTDIR, resumably.

    A rerun skips documents whose outputs are current (same file content, settings and
    correction data); a killed run loses only the pages in flight. Each input gets a line
    in OUTDIR/manifest.jsonl; exit status 9 when any document failed.

    \b
    Examples:
        plandigit batch scans/ -o out/
        plandigit batch scans/ -o out/ --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from pathlib import Path

    from .batch import Packaging, progress_for, run_batch
    from .config import load_config
    from .errors import ExitCode
    from .executors import open_executor
    from .process import Settings

    if config_file and not make_packages:
        raise click.UsageError("--config is for --package")
    packaging = Packaging(load_config(config_file)) if make_packages else None
    if packaging and packaging.config.example:
        click.echo(
            f"plandigit: warning: {packaging.config.source} is the EXAMPLE configuration; "
            "the packages are not fit to submit",
            err=True,
        )
    settings = Settings(
        ocr=ocr, lang=lang, corrections=str(Path(corrections).resolve()) if corrections else None
    )
    with open_executor(executor, jobs, scheduler) as pool:
        summary = run_batch(indir, outdir, settings, pool, progress_for(), packaging)
    click.echo(f"plandigit batch: {summary.line()}")
    click.echo(f"outputs:   {summary.outdir}")
    click.echo(f"manifest:  {summary.manifest}")
    click.echo(f"catalogue: {summary.catalogue}")
    if packaging:
        click.echo(f"packages:  {summary.outdir / 'packages'}")
    if summary.failed:
        sys.exit(int(ExitCode.some_failed))


@main.command("search")
@click.argument("query")
@click.option(
    "--catalogue",
    "catalogue",
    required=True,
    type=click.Path(exists=True),
    help="A batch output folder or its catalogue.sqlite.",
)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON list.")
def search_command(query: str, catalogue: str, limit: int, as_json: bool) -> None:
    """Full-text search over the pages of a batch's catalogue (SQLite FTS5).

    Plain words match pages with all of them, ignoring case and diacritics; FTS5 syntax
    (OR, NOT, "phrases", prefix*) works too. Matches are shown [like this].

    \b
    Examples:
        plandigit search "Södertörn budget" --catalogue out/
        plandigit search 'klimat* OR miljö' --catalogue out/catalogue.sqlite --json
    """
    import json

    from .catalogue import search

    hits = search(catalogue, query, limit)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))
        return
    shown: dict[str, list] = {}
    for hit in hits:
        shown.setdefault(hit.source, []).append(hit)
    for source, pages in shown.items():
        first = pages[0]
        about = ", ".join(str(x) for x in (first.kind, first.year) if x is not None)
        click.echo(f"{source}  {first.title or '(untitled)'} ({about})")
        for hit in pages:
            click.echo(f"  p. {hit.page}: {' '.join(hit.snippet.split())}")
    if not hits:
        click.echo("no matches", err=True)


# --- package (archival packages) ----------------------------------------------------------


@main.command("package")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False),
    help="Folder for the packages (one uuid-... folder per document).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Package metadata (TOML); default: ./plandigit.toml.",
)
@click.option(
    "--pdfa",
    type=click.Choice(["2b", "1b"]),
    default="2b",
    show_default=True,
    help="PDF/A level of the access copy.",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Check existing packages (INPUTS are package folders): structure, schemas, checksums.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Workers (default: all cores).")
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="auto: OCR pages without a usable text layer.",
)
@click.option("--lang", default="swe", show_default=True, help="Tesseract language.")
def package_command(
    inputs: tuple[str, ...],
    outdir: str | None,
    config_file: str | None,
    pdfa: str,
    verify: bool,
    jobs: int | None,
    ocr: str,
    lang: str,
) -> None:
    """Build an E-ARK SIP (FGS Paketstruktur 2.0) for each PDF, or --verify packages.

    Each package holds the PDF as received, a PDF/A access copy whose invisible text
    layer is the corrected text, the text and JSON data, Dublin Core and PREMIS metadata
    and SHA-256 checksums of every file. Its folder is named after its OBJID, derived
    from the PDF's content, so a rerun replaces the same package. Exit status 10 when a
    package fails --verify, 11 when the package metadata are missing.

    \b
    Examples:
        plandigit package samples/legacy-ocr.pdf -o packages/ --config plandigit.toml
        plandigit package scans/*.pdf -o packages/ --pdfa 1b
        plandigit package --verify packages/uuid-*
    """
    from pathlib import Path

    from .errors import ExitCode

    if verify:
        from .package import verify as verify_package

        broken = 0
        for folder in inputs:
            problems = verify_package(Path(folder))
            for problem in problems:
                click.echo(f"{folder}: {problem}", err=True)
            click.echo(f"{folder}: {'INVALID' if problems else 'ok'}")
            broken += bool(problems)
        if broken:
            sys.exit(int(ExitCode.package_invalid))
        return

    from .config import load_config
    from .executors import LocalExecutor
    from .package import package_documents
    from .process import Settings

    if outdir is None:
        raise click.UsageError("package needs -o OUTDIR (or --verify)")
    config = load_config(config_file)
    if config.example:
        click.echo(
            f"plandigit: warning: {config.source} is the EXAMPLE configuration; "
            "the packages are not fit to submit",
            err=True,
        )
    errors = []
    with LocalExecutor(jobs) as executor:
        for result in package_documents(
            inputs, Path(outdir), config, Settings(ocr=ocr, lang=lang), executor, pdfa
        ):
            if result.error is not None:
                click.echo(f"plandigit: error: {result.error}", err=True)
                errors.append(result.error)
            else:
                click.echo(f"{result.path} -> {result.package}")
    if len(errors) == 1 and len(inputs) == 1:
        sys.exit(int(errors[0].exit_code))
    if errors:
        sys.exit(int(ExitCode.some_failed))
