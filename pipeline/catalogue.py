"""The batch catalogue: one SQLite file (stdlib sqlite3) with every processed document.

Tables ``documents``, ``pages`` (full text), ``actions``, ``clauses`` and ``corrections``,
plus ``pages_fts``, an FTS5 index over page text kept in step with ``pages`` by triggers
(an external-content table, the layout Datasette and sqlite-utils recognise). A document is
replaced whole, in one transaction, each time the batch finishes it, so a crash leaves
either the old rows or the new ones.

The FTS tokenizer folds diacritics (``remove_diacritics 2``), so ``Sodertorn`` finds
``Södertörn`` — useful on text whose old OCR lost its å, ä, ö.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import BadArgsError, InputFileError
from .model import Document

FILENAME = "catalogue.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,   -- path of the input PDF relative to the batch folder
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,     -- settings fingerprint the outputs were made with
    kind TEXT NOT NULL,
    title TEXT,
    year INTEGER,
    page_count INTEGER NOT NULL,
    failed_pages TEXT NOT NULL,    -- JSON list of page numbers
    parties TEXT NOT NULL,         -- JSON list
    signed_place TEXT,
    signed_date TEXT,
    json_path TEXT,                -- outputs, relative to the batch output folder
    text_path TEXT
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    source TEXT NOT NULL,          -- ocr | text-layer
    status TEXT NOT NULL,          -- ok | failed
    error TEXT,
    mean_confidence REAL,
    text TEXT NOT NULL,            -- corrected text
    raw_text TEXT NOT NULL,        -- text as read
    UNIQUE (document_id, number)
);
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    area TEXT,
    goal TEXT,
    subgoal TEXT,
    activity TEXT NOT NULL,
    responsible TEXT NOT NULL,     -- JSON list
    "when" TEXT,
    budget_sek INTEGER,
    comment TEXT
);
CREATE TABLE IF NOT EXISTS clauses (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER,
    line INTEGER NOT NULL,
    start INTEGER NOT NULL,
    original TEXT NOT NULL,
    corrected TEXT NOT NULL,
    rule TEXT NOT NULL,
    score REAL NOT NULL,
    applied INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_document ON pages(document_id);
CREATE INDEX IF NOT EXISTS actions_document ON actions(document_id);
CREATE INDEX IF NOT EXISTS clauses_document ON clauses(document_id);
CREATE INDEX IF NOT EXISTS corrections_document ON corrections(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS pages_fts USING fts5(
    text, content='pages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS pages_ai AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS pages_ad AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS pages_au AFTER UPDATE ON pages BEGIN
    INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
END;
"""


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


class Catalogue:
    """Read-write access for the batch; use as a context manager."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = _connect(self.path)
        with self._db:
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, source: str, sha256: str, fingerprint: str) -> bool:
        """Whether `source` is catalogued from this content and these settings."""
        row = self._db.execute(
            "SELECT 1 FROM documents WHERE source = ? AND sha256 = ? AND fingerprint = ?",
            (source, sha256, fingerprint),
        ).fetchone()
        return row is not None

    def remove(self, source: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM documents WHERE source = ?", (source,))

    def put(self, source: str, document: Document, outputs: list[str]) -> None:
        """Replace every row of `source` with `document`, in one transaction."""
        json_path = next((o for o in outputs if o.endswith(".json")), None)
        text_path = next((o for o in outputs if o.endswith(".txt")), None)
        signed = document.signed or {}
        with self._db:
            self._db.execute("DELETE FROM documents WHERE source = ?", (source,))
            document_id = self._db.execute(
                "INSERT INTO documents (source, sha256, fingerprint, kind, title, year,"
                " page_count, failed_pages, parties, signed_place, signed_date,"
                " json_path, text_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source,
                    document.source.sha256,
                    document.generator.get("fingerprint", ""),
                    document.kind,
                    document.title,
                    document.year,
                    document.source.page_count,
                    json.dumps(document.failed_pages),
                    json.dumps(document.parties, ensure_ascii=False),
                    signed.get("place"),
                    signed.get("date"),
                    json_path,
                    text_path,
                ),
            ).lastrowid
            self._db.executemany(
                "INSERT INTO pages (document_id, number, source, status, error,"
                " mean_confidence, text, raw_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        document_id,
                        p.number,
                        p.source,
                        p.status,
                        p.error,
                        p.mean_confidence,
                        p.text,
                        p.raw_text,
                    )
                    for p in document.pages
                ],
            )
            self._db.executemany(
                'INSERT INTO actions (document_id, page, area, goal, subgoal, activity,'
                ' responsible, "when", budget_sek, comment)'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        document_id,
                        a.page,
                        a.area,
                        a.goal,
                        a.subgoal,
                        a.activity,
                        json.dumps(a.responsible, ensure_ascii=False),
                        a.when,
                        a.budget_sek,
                        a.comment,
                    )
                    for a in document.actions
                ],
            )
            self._db.executemany(
                "INSERT INTO clauses (document_id, page, number, title, text)"
                " VALUES (?, ?, ?, ?, ?)",
                [(document_id, c.page, c.number, c.title, c.text) for c in document.clauses],
            )
            self._db.executemany(
                "INSERT INTO corrections (document_id, page, line, start, original,"
                " corrected, rule, score, applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        document_id,
                        c.page,
                        c.line,
                        c.start,
                        c.original,
                        c.corrected,
                        c.rule,
                        c.score,
                        int(c.applied),
                    )
                    for c in document.corrections
                ],
            )


@dataclass(frozen=True)
class SearchHit:
    """One matching page; `snippet` marks the matched terms with [ and ]."""

    source: str
    title: str | None
    kind: str
    year: int | None
    page: int
    snippet: str
    rank: float

    def to_dict(self) -> dict:
        return asdict(self)


def catalogue_path(path: str | Path) -> Path:
    """The catalogue file for `path`: a batch output folder or the .sqlite file itself."""
    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / FILENAME
    if not candidate.is_file():
        raise InputFileError("no catalogue here (made by `plandigit batch`)", str(path))
    return candidate


def _as_phrases(query: str) -> str:
    """Quote every word so punctuation in a plain query is not read as FTS5 syntax."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in query.split())


def search(path: str | Path, query: str, limit: int = 20) -> list[SearchHit]:
    """Pages matching `query` (FTS5 syntax, or plain words), best first.

    A query that is not valid FTS5 syntax (e.g. ``Haninge-Tyresö``) is retried with each
    word quoted as a phrase.
    """
    if not query.strip():
        raise BadArgsError("the search query is empty")
    db = _connect(catalogue_path(path), readonly=True)
    sql = (
        "SELECT d.source, d.title, d.kind, d.year, p.number,"
        " snippet(pages_fts, 0, '[', ']', '…', 12), bm25(pages_fts) AS rank"
        " FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid"
        " JOIN documents d ON d.id = p.document_id"
        " WHERE pages_fts MATCH ? ORDER BY rank, d.source, p.number LIMIT ?"
    )
    try:
        try:
            rows = db.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            rows = db.execute(sql, (_as_phrases(query), limit)).fetchall()
    except sqlite3.DatabaseError as exc:
        raise InputFileError(f"catalogue cannot be searched: {exc}", str(path)) from exc
    finally:
        db.close()
    return [SearchHit(*row) for row in rows]
