"""The SQLite catalogue: rows per document, FTS5 search kept in step on replace/remove."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.catalogue import Catalogue, search
from pipeline.errors import BadArgsError, InputFileError
from pipeline.model import (
    ActionRow,
    Clause,
    Correction,
    Document,
    Line,
    Page,
    SourceInfo,
    Word,
    compose_text,
)


def _page(number: int, text: str) -> Page:
    lines = []
    for block, line_text in enumerate(text.split("\n")):
        words = [Word(w, (0.0, 0.0, 10.0, 10.0), 95.0) for w in line_text.split()]
        lines.append(Line(words, (0.0, 0.0, 100.0, 10.0), block, line_text))
    body = compose_text(lines)
    return Page(number, "ocr", "no text layer", lines=lines, text=body, raw_text=body)


def _document(sha: str, *texts: str) -> Document:
    document = Document(
        SourceInfo("plan.pdf", sha * 64, len(texts)),
        pages=[_page(i + 1, t) for i, t in enumerate(texts)],
        kind="plan",
        title="Verksamhetsplan 2022",
        year=2022,
    )
    document.actions = [
        ActionRow(
            "Miljö",
            "Minskad klimatpåverkan",
            None,
            "Ta fram en klimatplan",
            ["Huddinge", "Botkyrka"],
            "2022",
            50000,
            None,
            2,
        )
    ]
    document.clauses = [Clause("§ 1", "Syfte", "Samarbetet syftar till ...", 1)]
    document.corrections = [Correction(1, 0, "Sddertorn", "Södertörn", "dictionary", 0.9, True, 1)]
    document.generator = {"fingerprint": "f" * 64}
    return document


@pytest.fixture
def catalogue(tmp_path):
    with Catalogue(tmp_path / "catalogue.sqlite") as catalogue:
        yield catalogue


def test_rows_for_every_table(catalogue, tmp_path):
    catalogue.put(
        "a/plan.pdf",
        _document("a", "Södertörns kommuner", "Handlingsplan"),
        ["a/plan.json", "a/plan.txt"],
    )
    db = sqlite3.connect(tmp_path / "catalogue.sqlite")
    counts = {
        t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("documents", "pages", "actions", "clauses", "corrections")
    }
    assert counts == {"documents": 1, "pages": 2, "actions": 1, "clauses": 1, "corrections": 1}
    row = db.execute("SELECT source, title, year, json_path, text_path FROM documents").fetchone()
    assert row == ("a/plan.pdf", "Verksamhetsplan 2022", 2022, "a/plan.json", "a/plan.txt")
    assert db.execute('SELECT responsible, "when" FROM actions').fetchone() == (
        '["Huddinge", "Botkyrka"]',
        "2022",
    )
    assert catalogue.has("a/plan.pdf", "a" * 64, "f" * 64)
    assert not catalogue.has("a/plan.pdf", "b" * 64, "f" * 64)


def test_search_finds_pages_with_snippets_and_folds_diacritics(catalogue, tmp_path):
    catalogue.put(
        "a/plan.pdf",
        _document("a", "Inledning om samarbetet", "Södertörns kommuner samverkar i nätverk"),
        [],
    )
    catalogue.put("b/plan.pdf", _document("b", "Budget och ekonomi"), [])
    hits = search(tmp_path, "Södertörns")
    assert [(h.source, h.page) for h in hits] == [("a/plan.pdf", 2)]
    assert "[Södertörns]" in hits[0].snippet
    assert hits[0].title == "Verksamhetsplan 2022"
    # an old English-model OCR lost the diacritics; the query without them still matches
    assert [(h.source, h.page) for h in search(tmp_path / "catalogue.sqlite", "Sodertorns")] == [
        ("a/plan.pdf", 2)
    ]
    either = search(tmp_path, "budget OR nätverk")  # FTS5 query syntax
    assert sorted((h.source, h.page) for h in either) == [("a/plan.pdf", 2), ("b/plan.pdf", 1)]


def test_plain_words_with_punctuation_are_searched_as_phrases(catalogue, tmp_path):
    catalogue.put("a/plan.pdf", _document("a", "Avtal mellan Haninge-Tyresö och Nykvarn"), [])
    hits = search(tmp_path, "Haninge-Tyresö")
    assert [h.page for h in hits] == [1]


def test_replacing_a_document_replaces_its_index_entries(catalogue, tmp_path):
    catalogue.put("a/plan.pdf", _document("a", "gammal text om skolan"), [])
    catalogue.put("a/plan.pdf", _document("b", "ny text om vården", "andra sidan"), [])
    assert search(tmp_path, "skolan") == []
    assert [h.page for h in search(tmp_path, "vården")] == [1]
    catalogue.remove("a/plan.pdf")
    assert search(tmp_path, "vården") == []
    db = sqlite3.connect(tmp_path / "catalogue.sqlite")
    db.execute("INSERT INTO pages_fts(pages_fts) VALUES ('integrity-check')")
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM actions").fetchone()[0] == 0


def test_search_errors(tmp_path, catalogue):
    with pytest.raises(InputFileError, match="no catalogue"):
        search(tmp_path / "elsewhere", "plan")
    with pytest.raises(BadArgsError):
        search(tmp_path, "  ")
