"""Batch runs over a folder of PDFs: resumable, parallel, fault-tolerant.

find every PDF under INDIR -> skip those whose outputs are already valid (content hash +
settings fingerprint) -> read the pages of all the others on one executor
(process.run_documents) -> per finished document: write outputs mirroring the input tree
(atomically), replace its catalogue rows, append its manifest line (fsync).

The manifest (OUTDIR/manifest.jsonl) is an append-only log, one JSON line per input and run;
the latest line for a source is its state. Outputs are written before the manifest line, so
a crash at any moment loses at most the work in flight: a rerun finds complete outputs (or
none) and ends in the same state as an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, Protocol

from . import __version__
from .catalogue import FILENAME as CATALOGUE
from .catalogue import Catalogue
from .errors import BadArgsError, PlandigitError
from .model import Document
from .process import Executor, Settings, run_documents, sha256_file, write_outputs

if TYPE_CHECKING:
    from .config import PackageConfig

MANIFEST = "manifest.jsonl"
LOCK = ".plandigit-batch.lock"

Status = Literal["ok", "failed", "skipped"]


@dataclass
class ManifestEntry:
    """One manifest line (the contract is the field list up to `outputs`)."""

    source: str  # input path relative to INDIR, with /
    sha256: str
    status: Status
    error: str | None  # one line, for failed
    pages: int
    failed_pages: list[int]
    seconds: float
    outputs: list[str]  # relative to OUTDIR
    fingerprint: str  # settings fingerprint the outputs were made with
    error_kind: str | None = None  # ExitCode name of the failure, e.g. "encrypted_pdf"
    package: str | None = None  # archival package folder (--package), relative to OUTDIR
    package_fingerprint: str | None = None  # package metadata + PDF/A level it was built with

    @classmethod
    def from_dict(cls, data: dict) -> ManifestEntry:
        entry = cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
        if entry.status not in ("ok", "failed", "skipped") or not isinstance(entry.source, str):
            raise ValueError(f"bad manifest line for {entry.source!r}")
        return entry


class Manifest:
    """OUTDIR/manifest.jsonl: append + flush + fsync per line; a torn last line (a crash
    mid-write) is cut off when the manifest is next opened, unparsable lines are skipped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def latest(self) -> dict[str, ManifestEntry]:
        """The current state: the last valid line per source."""
        state: dict[str, ManifestEntry] = {}
        if not self.path.exists():
            return state
        with open(self.path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    entry = ManifestEntry.from_dict(json.loads(line))
                except (ValueError, TypeError, KeyError):
                    continue
                state[entry.source] = entry
        return state

    def __enter__(self) -> Manifest:
        self._handle = open(self.path, "a+b")
        self._cut_torn_tail(self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()

    @staticmethod
    def _cut_torn_tail(handle: IO[bytes]) -> None:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        data = handle.read()
        handle.truncate(data.rfind(b"\n") + 1)
        handle.flush()
        os.fsync(handle.fileno())

    def append(self, entry: ManifestEntry) -> None:
        assert self._handle is not None, "open the manifest with `with`"
        line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
        self._handle.write(line.encode("utf-8"))
        self._handle.flush()
        os.fsync(self._handle.fileno())


class Progress(Protocol):
    """What the batch reports while it runs (a progress bar or log lines)."""

    def start(self, documents: int, skipped: int, pages: int) -> None: ...

    def page_done(self) -> None: ...

    def document_done(self, entry: ManifestEntry) -> None: ...

    def close(self) -> None: ...


@dataclass
class BatchSummary:
    outdir: Path
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0  # pages read in this run
    seconds: float = 0.0
    failures: list[ManifestEntry] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.outdir / MANIFEST

    @property
    def catalogue(self) -> Path:
        return self.outdir / CATALOGUE

    @property
    def pages_per_minute(self) -> float:
        return 60.0 * self.pages / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"{self.ok} ok, {self.failed} failed, {self.skipped} skipped; "
            f"{self.pages} pages in {self.seconds:.1f} s ({self.pages_per_minute:.1f} pages/min)"
        )


def find_pdfs(indir: Path, exclude: Path | None = None) -> list[Path]:
    """Every file under `indir` whose name ends in .pdf (any case), in a stable order;
    `exclude` (the output folder, when it lies inside the input) is not entered."""
    found: list[Path] = []
    for root, dirs, files in os.walk(indir):
        dirs[:] = sorted(d for d in dirs if exclude is None or Path(root, d).resolve() != exclude)
        found.extend(Path(root, name) for name in sorted(files) if name.lower().endswith(".pdf"))
    return found


def remove_stale_temp_files(outdir: Path) -> int:
    """Delete what a killed run's atomic writes left behind: temp files and package
    folders being assembled (`.name.XXXX.tmp`), packages being replaced (`.name.old-PID`)."""
    removed = 0
    for pattern in (".*.tmp", ".*.old-*"):
        for path in list(outdir.rglob(pattern)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            else:
                continue
            removed += 1
    return removed


@contextlib.contextmanager
def _exclusive(outdir: Path) -> Iterator[None]:
    """One batch per output folder at a time; the lock dies with the process (kill -9)."""
    with open(outdir / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PlandigitError("another plandigit batch is writing here", str(outdir)) from None
        yield


@dataclass(frozen=True)
class Packaging:
    """--package: an E-ARK SIP per document under OUTDIR/packages/, mirroring INDIR."""

    config: PackageConfig
    flavour: str = "2b"  # PDF/A level of the access copy

    def fingerprint(self) -> str:
        """What a package depends on beyond the document: metadata, PDF/A level, version."""
        settings = {k: v for k, v in asdict(self.config).items() if k != "source"}
        text = json.dumps([settings, self.flavour, __version__], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def build(self, pdf: Path, document: Document, folder: Path) -> Path:
        from .package import build_package

        return build_package(pdf, document, folder, self.config, self.flavour)


@dataclass
class _Input:
    path: Path
    source: str  # relative to INDIR
    sha256: str
    outdir: Path  # folder of its outputs
    stem: str
    started: float = 0.0

    @property
    def relative_parent(self) -> Path:
        return Path(self.source).parent

    def output_paths(self) -> list[Path]:
        return [self.outdir / f"{self.stem}.json", self.outdir / f"{self.stem}.txt"]


def _one_line(exc: BaseException) -> str:
    """The message of a failure without the file name (the manifest has it as `source`)."""
    message = str(exc)
    path = getattr(exc, "path", None)
    if path and message.startswith(f"{path}: "):
        message = message[len(path) + 2 :]
    return (message.splitlines() or [type(exc).__name__])[0]


def _page_count(path: Path) -> int:
    """Pages of a PDF for the progress total; 0 when it cannot be opened (triage says why)."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(path)
    except Exception:
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()


def _valid_previous_outputs(item: _Input, fingerprint: str) -> Document | None:
    """Outputs written by an earlier run that its manifest line never recorded (it was
    killed in between): valid when they are whole and made from this file with these
    settings."""
    json_path, text_path = item.output_paths()
    try:
        data = json.loads(json_path.read_text(encoding="utf-8"))
        if (
            data["source"]["sha256"] != item.sha256
            or data["generator"]["fingerprint"] != fingerprint
        ):
            return None
        document = Document.from_dict(data)
        if text_path.read_text(encoding="utf-8") != document.text + "\n":
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return document


def run_batch(
    indir: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    settings: Settings,
    executor: Executor,
    progress: Progress | None = None,
    packaging: Packaging | None = None,
) -> BatchSummary:
    """Process every PDF under `indir` into `outdir`; see the module docstring."""
    indir = Path(indir).resolve()
    outdir = Path(outdir).resolve()
    if not indir.is_dir():
        raise BadArgsError("not a folder", str(indir))
    outdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    summary = BatchSummary(outdir)
    fingerprint = settings.fingerprint()
    with (
        _exclusive(outdir),
        Manifest(outdir / MANIFEST) as manifest,
        Catalogue(outdir / CATALOGUE) as catalogue,
    ):
        remove_stale_temp_files(outdir)
        previous = manifest.latest()

        def record(entry: ManifestEntry) -> None:
            before = previous.get(entry.source)
            if before and before.package and before.package != entry.package:
                shutil.rmtree(outdir / before.package, ignore_errors=True)  # an older version's
            manifest.append(entry)
            if entry.status == "failed":
                summary.failures.append(entry)
            setattr(summary, entry.status, getattr(summary, entry.status) + 1)
            if progress is not None:
                progress.document_done(entry)

        todo: list[_Input] = []
        done: list[tuple[_Input, ManifestEntry]] = []
        failed_early: list[ManifestEntry] = []
        claimed: dict[str, str] = {}  # output stem (case-folded) -> source
        for path in find_pdfs(indir, exclude=outdir):
            relative = path.relative_to(indir)
            source = relative.as_posix()
            item = _Input(path, source, "", outdir / relative.parent, relative.stem)
            try:
                item.sha256 = sha256_file(path)
            except OSError as exc:
                failed_early.append(_failed(item, fingerprint, f"cannot read: {exc.strerror}"))
                continue
            key = (relative.parent / relative.stem).as_posix().casefold()
            if key in claimed:
                failed_early.append(
                    _failed(item, fingerprint, f"output name collides with {claimed[key]}")
                )
                continue
            claimed[key] = source
            skipped = _skip(item, previous.get(source), fingerprint, outdir, catalogue)
            if skipped is not None:
                done.append((item, skipped))
            else:
                todo.append(item)

        if progress is not None:
            pages = sum(_page_count(item.path) for item in todo)
            progress.start(len(done) + len(failed_early) + len(todo), len(done), pages)
        for item, entry in done:
            record(_with_package(item, entry, None, packaging, outdir))
        for entry in failed_early:
            record(entry)

        by_path = {str(item.path): item for item in todo}

        def paths() -> Iterator[str]:
            for item in todo:
                item.started = time.monotonic()
                yield str(item.path)

        def page_done(_page: object) -> None:
            summary.pages += 1
            if progress is not None:
                progress.page_done()

        for result in run_documents(paths(), settings, executor, on_page=page_done):
            item = by_path[result.path]
            entry = _store(item, result.document, result.error, fingerprint, outdir, catalogue)
            record(_with_package(item, entry, result.document, packaging, outdir))
    summary.seconds = time.monotonic() - started
    if progress is not None:
        progress.close()
    return summary


def _failed(
    item: _Input, fingerprint: str, error: str, kind: str = "input_file", pages: int = 0
) -> ManifestEntry:
    return ManifestEntry(
        source=item.source,
        sha256=item.sha256,
        status="failed",
        error=error,
        pages=pages,
        failed_pages=[],
        seconds=round(time.monotonic() - item.started, 3) if item.started else 0.0,
        outputs=[],
        fingerprint=fingerprint,
        error_kind=kind,
    )


def _skip(
    item: _Input,
    entry: ManifestEntry | None,
    fingerprint: str,
    outdir: Path,
    catalogue: Catalogue,
) -> ManifestEntry | None:
    """A `skipped` line when `item` already has valid outputs for these settings.

    A document's catalogue row is removed before its outputs are rewritten and put back
    after them, so a row with this hash and fingerprint (plus the manifest line, written
    last) proves the outputs whole and current without reading them. Otherwise, outputs
    left by a run killed before it recorded them are checked by reading them.
    """
    if (
        entry is not None
        and entry.status in ("ok", "skipped")
        and entry.sha256 == item.sha256
        and entry.fingerprint == fingerprint
        and entry.outputs
        and all((outdir / o).exists() for o in entry.outputs)
        and catalogue.has(item.source, item.sha256, fingerprint)
    ):
        pages, failed_pages, outputs = entry.pages, entry.failed_pages, entry.outputs
        package = (entry.package, entry.package_fingerprint)
    else:
        document = _valid_previous_outputs(item, fingerprint)
        if document is None:
            return None
        outputs = [p.relative_to(outdir).as_posix() for p in item.output_paths()]
        catalogue.put(item.source, document, outputs)
        pages, failed_pages = document.source.page_count, document.failed_pages
        package = (None, None)
    return ManifestEntry(
        source=item.source,
        sha256=item.sha256,
        status="skipped",
        error=None,
        pages=pages,
        failed_pages=failed_pages,
        seconds=0.0,
        outputs=outputs,
        fingerprint=fingerprint,
        package=package[0],
        package_fingerprint=package[1],
    )


def _with_package(
    item: _Input,
    entry: ManifestEntry,
    document: Document | None,
    packaging: Packaging | None,
    outdir: Path,
) -> ManifestEntry:
    """Build the archival package of a done document unless a current one exists.

    A package that fails marks the input failed but keeps its (valid) outputs, so a rerun
    retries only the package.
    """
    if packaging is None or entry.status == "failed":
        return entry
    wanted = packaging.fingerprint()
    if entry.package and entry.package_fingerprint == wanted and (outdir / entry.package).is_dir():
        return entry
    if document is None:
        json_path = outdir / entry.outputs[0]
        document = Document.from_dict(json.loads(json_path.read_text(encoding="utf-8")))
    try:
        folder = packaging.build(item.path, document, outdir / "packages" / item.relative_parent)
    except PlandigitError as exc:
        entry.status, entry.error_kind = "failed", exc.exit_code.name
        entry.error = f"archival package: {_one_line(exc)}"
        return entry
    package = folder.relative_to(outdir).as_posix()
    entry.outputs = [o for o in entry.outputs if o != entry.package] + [package]
    entry.package, entry.package_fingerprint = package, wanted
    return entry


def _store(
    item: _Input,
    document: Document | None,
    error: PlandigitError | None,
    fingerprint: str,
    outdir: Path,
    catalogue: Catalogue,
) -> ManifestEntry:
    """Write a finished document's outputs and catalogue rows, or clear a failed one's."""
    if document is not None and len(document.failed_pages) == len(document.pages):
        first = document.pages[0]
        message = f"every page failed (page {first.number}: {first.error})"
        return _fail_and_clear(item, fingerprint, message, "other_error", outdir, catalogue)
    if document is None:
        assert error is not None
        kind = error.exit_code.name
        return _fail_and_clear(item, fingerprint, _one_line(error), kind, outdir, catalogue)
    catalogue.remove(item.source)  # see _skip: the row marks outputs as current
    try:
        written = write_outputs(document, item.outdir, item.stem)
    except OSError as exc:
        message = f"cannot write outputs: {exc}"
        return _fail_and_clear(item, fingerprint, message, "other_error", outdir, catalogue)
    outputs = [p.relative_to(outdir).as_posix() for p in written]
    catalogue.put(item.source, document, outputs)
    return ManifestEntry(
        source=item.source,
        sha256=document.source.sha256,
        status="ok",
        error=None,
        pages=document.source.page_count,
        failed_pages=document.failed_pages,
        seconds=round(time.monotonic() - item.started, 3),
        outputs=outputs,
        fingerprint=fingerprint,
    )


def _fail_and_clear(
    item: _Input, fingerprint: str, error: str, kind: str, outdir: Path, catalogue: Catalogue
) -> ManifestEntry:
    """A failed input keeps no outputs: those of an earlier version of it would lie."""
    for path in item.output_paths():
        path.unlink(missing_ok=True)
    catalogue.remove(item.source)
    return _failed(item, fingerprint, error, kind)


class LogProgress:
    """Plain progress lines on a stream (a log file, CI), at most every `interval` seconds;
    failures are reported at once."""

    def __init__(self, stream: IO[str] | None = None, interval: float = 30.0) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self.documents = self.done = self.pages = self.pages_done = 0
        self._started = self._last = time.monotonic()

    def _say(self, text: str) -> None:
        print(f"plandigit batch: {text}", file=self.stream, flush=True)

    def start(self, documents: int, skipped: int, pages: int) -> None:
        self.documents, self.pages, self.done = documents, pages, skipped
        self._started = self._last = time.monotonic()
        self._say(f"{documents} documents ({skipped} already done), {pages} pages to read")

    def _status(self) -> str:
        elapsed = time.monotonic() - self._started
        rate = 60.0 * self.pages_done / elapsed if elapsed > 0 else 0.0
        text = (
            f"{self.done}/{self.documents} documents, {self.pages_done}/{self.pages} pages, "
            f"{rate:.1f} pages/min"
        )
        if self.pages_done and self.pages > self.pages_done:
            remaining = (self.pages - self.pages_done) * elapsed / self.pages_done
            text += f", ETA {int(remaining // 60)}m{int(remaining % 60):02d}s"
        return text

    def _tick(self) -> None:
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._say(self._status())

    def page_done(self) -> None:
        self.pages_done += 1
        self._tick()

    def document_done(self, entry: ManifestEntry) -> None:
        if entry.status == "skipped":  # counted by start()
            return
        self.done += 1
        if entry.status == "failed":
            self._say(f"failed: {entry.source}: {entry.error}")
        self._tick()

    def close(self) -> None:
        self._say(self._status())


class RichProgress:
    """A progress bar for documents and pages with ETA, on a terminal."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description:>9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=stream or sys.stderr),
        )
        self._documents = self._bar.add_task("documents", start=False)
        self._pages = self._bar.add_task("pages", start=False)

    def start(self, documents: int, skipped: int, pages: int) -> None:
        self._bar.update(self._documents, total=documents, completed=skipped)
        self._bar.update(self._pages, total=pages)
        self._bar.start_task(self._documents)
        self._bar.start_task(self._pages)
        self._bar.start()

    def page_done(self) -> None:
        self._bar.advance(self._pages)

    def document_done(self, entry: ManifestEntry) -> None:
        if entry.status == "skipped":  # counted by start()
            return
        self._bar.advance(self._documents)
        if entry.status == "failed":
            self._bar.console.print(f"failed: {entry.source}: {entry.error}", markup=False)

    def close(self) -> None:
        self._bar.stop()


def progress_for(stream: IO[str] | None = None) -> Progress:
    """A progress bar when `stream` (default stderr) is a terminal, log lines otherwise."""
    stream = stream or sys.stderr
    return RichProgress(stream) if stream.isatty() else LogProgress(stream)
