"""The per-document pipeline, readable top to bottom.

inspect the PDF (triage) -> read every page in a worker (text layer or OCR) -> run the
document stages (correction, extraction) -> validate -> write JSON and text atomically.

Page reading is a pure function of a small `PageJob`, so any executor (a local process
pool, a dask cluster) can run it; pages of all documents share one pool.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from . import __version__, atomic, schema
from .errors import BadArgsError, ExitCode, InputFileError, PlandigitError
from .model import Document, Page, SourceInfo
from .resources import corrections_dir

OcrMode = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class Settings:
    """Everything that changes the output; its fingerprint decides whether work is redone."""

    ocr: OcrMode = "auto"
    lang: str = "swe"
    dpi: int = 300
    page_timeout: float = 300.0  # seconds of tesseract time per page
    max_image_pixels: int = 250_000_000  # decompression-bomb guard for rendered pages
    corrections: str | None = None  # folder of correction data; None = the shipped one

    def fingerprint(self) -> str:
        """Hash of options, correction data and plandigit version.

        The correction data counts by content, not by folder path, so the same data in
        another place (a copy on a worker, a checkout elsewhere) redoes nothing.
        """
        options = {k: v for k, v in asdict(self).items() if k != "corrections"}
        digest = hashlib.sha256()
        digest.update(__version__.encode())
        digest.update(json.dumps(options, sort_keys=True).encode())
        folder = corrections_dir(self.corrections)
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()


@dataclass(frozen=True)
class PageJob:
    """What a worker needs to read one page."""

    pdf: str
    index: int  # 0-based
    settings: Settings


@dataclass
class DocumentResult:
    """Outcome of one input: the document (when it got that far) or the error."""

    path: str
    document: Document | None = None
    error: PlandigitError | None = None
    outputs: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inspect(path: str | os.PathLike[str], settings: Settings | None = None) -> SourceInfo:
    """Triage: raise a PlandigitError for anything that is not a readable PDF with pages
    (or with a page image over the pixel cap at the settings' dpi)."""
    from .pdf import inspect_pdf

    settings = settings or Settings()
    return inspect_pdf(Path(path), settings.dpi, settings.max_image_pixels)


def read_page(job: PageJob) -> Page:
    """Read one page (text layer or OCR). Runs in a worker; page-level failures become
    a Page with status "failed" rather than an exception."""
    from .ocr import read_page as _read_page

    return _read_page(job)


# Document stages, in order; each takes the Document and enriches it in place
# (like spaCy pipeline components). Later stages read what earlier ones wrote.
DocumentStage = Callable[[Document, Settings], None]


def document_stages() -> list[DocumentStage]:
    # Order: text correction first (when present), then extraction reads corrected words:
    # action-plan tables, agreement clauses, then kind/title/year/parties/signing, which
    # uses the extracted actions and clauses as evidence.
    from .clauses import clauses_stage
    from .correct import correct_stage
    from .entities import describe_stage
    from .tables import actions_stage

    return [correct_stage, actions_stage, clauses_stage, describe_stage]


def prepare_stages(settings: Settings) -> None:
    """Let stages load what they need (dictionaries, models) ahead of the first document.

    A stage may carry ``stage.prepare(settings)``; run_documents calls this while the
    workers read the first pages, so the loading overlaps OCR instead of following it.
    Its errors (say, malformed correction data) stop the run: every document would fail.
    """
    for stage in document_stages():
        prepare = getattr(stage, "prepare", None)
        if prepare is not None:
            prepare(settings)
    schema.validator("document")  # `finish` checks every document against it


def finish(source: SourceInfo, pages: list[Page], settings: Settings) -> Document:
    """Assemble pages into a Document, run the document stages and validate the result."""
    document = Document(source=source, pages=sorted(pages, key=lambda p: p.number))
    for stage in document_stages():
        stage(document, settings)
    document.generator = {
        "software": "plandigit",
        "version": __version__,
        "settings": asdict(settings),
        "fingerprint": settings.fingerprint(),
    }
    schema.check(document.to_dict(), "document", source.file)
    return document


def write_outputs(document: Document, outdir: Path, stem: str) -> list[Path]:
    """Write <stem>.json and <stem>.txt atomically; the JSON was validated in `finish`."""
    json_path = outdir / f"{stem}.json"
    text_path = outdir / f"{stem}.txt"
    atomic.write_text(json_path, json.dumps(document.to_dict(), ensure_ascii=False, indent=1))
    atomic.write_text(text_path, document.text + "\n")
    return [json_path, text_path]


def check_unique_stems(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse inputs whose outputs would overwrite each other (<stem>.json), before any work."""
    seen: dict[str, str] = {}
    for path in paths:
        stem = Path(path).stem
        if stem in seen:
            raise BadArgsError(
                f"two inputs share the name {stem!r}: {seen[stem]} and {path} would both be "
                f"written as {stem}.json (use `plandigit batch` for folders)"
            )
        seen[stem] = str(path)


def process_files(
    paths: list[str | os.PathLike[str]], outdir: Path, settings: Settings, executor: Executor
) -> Iterator[DocumentResult]:
    """`plandigit process`: write each good document as OUTDIR/<stem>.json and .txt as soon
    as it is done; a failing input yields its error and writes nothing."""
    check_unique_stems(paths)
    for result in run_documents(paths, settings, executor):
        if result.document is not None:
            result.outputs = write_outputs(result.document, outdir, Path(result.path).stem)
        yield result


def summary(result: DocumentResult) -> str:
    """One line per input for the user: what was read how, or why it failed."""
    if result.document is None:
        message = str(result.error)
        return message if message.startswith(result.path) else f"{result.path}: {message}"
    pages = result.document.pages
    ocr = sum(p.source == "ocr" for p in pages)
    plural = "s" * (len(pages) != 1)
    parts = [f"{len(pages)} page{plural} ({ocr} OCR, {len(pages) - ocr} text layer)"]
    failed = result.document.failed_pages
    if failed:
        parts.append(f"FAILED pages {', '.join(map(str, failed))}")
    written = f" -> {result.outputs[0]}" if result.outputs else ""
    return f"{result.path}: {', '.join(parts)}{written}"


def exit_code(results: Iterable[DocumentResult]) -> ExitCode:
    """The first failed input's code; else pages_failed if any page failed; else ok."""
    code = ExitCode.ok
    for result in results:
        if result.error is not None:
            return result.error.exit_code
        if result.document is not None and result.document.failed_pages:
            code = ExitCode.pages_failed
    return code


class Executor(Protocol):
    """What the pipeline needs of an executor (LocalExecutor, DaskExecutor)."""

    jobs: int

    def submit(self, fn: Callable, /, *args: Any) -> Any: ...

    def wait_any(self, futures: Collection[Any]) -> set[Any]:
        """Block until at least one future is done; return the done ones."""
        ...


@dataclass
class _Pending:
    path: str
    source: SourceInfo
    pages: list[Page] = field(default_factory=list)
    error: PlandigitError | None = None  # a page found the whole document unreadable


def _page_jobs(paths: Iterable[str | os.PathLike[str]], settings: Settings, failures: list):
    """Yield (pending document, job) pairs lazily, triaging each PDF as it is reached."""
    for path in paths:
        try:
            source = inspect(path, settings)
        except PlandigitError as exc:
            failures.append(DocumentResult(str(path), error=exc))
            continue
        except Exception as exc:  # unreadable (I/O, permissions) or a parser crash: one file
            error = InputFileError(f"cannot be read ({type(exc).__name__}: {exc})", str(path))
            failures.append(DocumentResult(str(path), error=error))
            continue
        pending = _Pending(str(path), source)
        for index in range(source.page_count):
            yield pending, PageJob(str(path), index, settings)


def _failed_page(job: PageJob, exc: BaseException) -> Page:
    return Page(
        number=job.index + 1,
        source="ocr",
        reason="worker failed",
        status="failed",
        error=f"{type(exc).__name__}: {exc}".splitlines()[0],
    )


def run_documents(
    paths: Iterable[str | os.PathLike[str]],
    settings: Settings,
    executor: Executor,
    on_page: Callable[[Page], None] | None = None,
) -> Iterator[DocumentResult]:
    """Process documents with all their pages on one shared executor.

    Pages of all documents feed the executor through a bounded window (so a folder of
    one-page files keeps every worker busy, and a long document is streamed); a result is
    yielded per document as soon as its last page is read. A failing document yields its
    error and never stops the others. `on_page` is called with each page as it is read
    (progress reporting).
    """
    if settings.ocr != "never":
        from .ocr import check_tesseract

        check_tesseract(settings.lang)  # before any work: a missing tesseract fails every page
    failures: list[DocumentResult] = []
    jobs = _page_jobs(paths, settings, failures)
    window = max(2, executor.jobs * 2)
    in_flight: dict[Any, tuple[_Pending, PageJob]] = {}
    exhausted = prepared = False
    while True:
        while not exhausted and len(in_flight) < window:
            try:
                pending, job = next(jobs)
            except StopIteration:
                exhausted = True
                break
            in_flight[executor.submit(read_page, job)] = (pending, job)
        if in_flight and not prepared:  # the workers have pages to read meanwhile
            prepare_stages(settings)
            prepared = True
        yield from failures
        failures.clear()
        if not in_flight:
            return
        for future in executor.wait_any(in_flight):
            pending, job = in_flight.pop(future)
            try:
                page = future.result()
            except PlandigitError as exc:  # e.g. a page image over the cap: bad input
                page = _failed_page(job, exc)
                pending.error = pending.error or exc
            except Exception as exc:  # a crashed worker fails the page, not the batch
                page = _failed_page(job, exc)
            pending.pages.append(page)
            if on_page is not None:
                on_page(page)
            if len(pending.pages) == pending.source.page_count:
                yield _finish_result(pending, settings)


def _finish_result(pending: _Pending, settings: Settings) -> DocumentResult:
    if pending.error is not None:
        return DocumentResult(pending.path, error=pending.error)
    try:
        return DocumentResult(pending.path, finish(pending.source, pending.pages, settings))
    except PlandigitError as exc:
        return DocumentResult(pending.path, error=exc)
    except Exception as exc:  # a bug in a stage must not stop a batch; report it per file
        return DocumentResult(
            pending.path, error=PlandigitError(f"internal error: {exc!r}", pending.path)
        )
