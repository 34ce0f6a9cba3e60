"""Municipalities, amounts, dates, and what a document is (kind, title, year, parties)."""

from __future__ import annotations

import pytest
from conftest import load_truth

from pipeline.entities import (
    canonical_place,
    document_title,
    municipalities_in,
    parse_amount,
    parse_date,
    signing,
    split_responsible,
    when_text,
)
from pipeline.model import Line, Word


@pytest.mark.parametrize(
    "text,name",
    [
        ("Sodertalje", "Södertälje"),
        ("S6dertälje", "Södertälje"),
        ("Nykvarns kommun", "Nykvarn"),
        ("Nynashamn", "Nynäshamn"),
        ("Tyreso", "Tyresö"),
        ("Södertörn", "Södertörn"),
        ("Sodertorn", "Södertörn"),
        ("Ekonomidirektörerna", None),
        ("Haninge", "Haninge"),
        ("och", None),
    ],
)
def test_canonical_place(text: str, name: str | None) -> None:
    assert canonical_place(text) == name


def test_split_responsible() -> None:
    assert split_responsible("Haninge, Botkyrka och Huddinge") == [
        "Haninge",
        "Botkyrka",
        "Huddinge",
    ]
    assert split_responsible("Huddinge och Haninge") == ["Huddinge", "Haninge"]
    assert split_responsible("Haninge och: Huddinge") == ["Haninge", "Huddinge"]  # a speck
    assert split_responsible("Sodertalje & Nykvarn samt Salem") == [
        "Södertälje",
        "Nykvarn",
        "Salem",
    ]
    assert split_responsible("Södertörn") == ["Södertörn"]
    assert split_responsible("Ekonomidirektörerna") == ["Ekonomidirektörerna"]
    assert split_responsible("Ekonomi- och finansdirektörerna") == [
        "Ekonomi- och finansdirektörerna"
    ]
    # one name a line in the cell (joined with spaces), or slashes
    assert split_responsible("Huddinge Botkyrka") == ["Huddinge", "Botkyrka"]
    assert split_responsible("Tyresö/Haninge kommun") == ["Tyresö", "Haninge"]
    assert split_responsible("Region Stockholm") == ["Region Stockholm"]


@pytest.mark.parametrize(
    "text,amount",
    [
        ("120 000 kr", 120000),
        ("4000", 4000),
        ("1,5 mkr", 1500000),
        ("50 tkr", 50000),
        ("100.000 kr", 100000),
        ("", None),
        ("Ingår", None),
    ],
)
def test_parse_amount(text: str, amount: int | None) -> None:
    assert parse_amount(text) == amount


def test_parse_date_and_signing() -> None:
    assert parse_date("15 november 2019") == "2019-11-15"
    assert parse_date("2019-11-15") == "2019-11-15"
    assert parse_date("den 15/11 2019") == "2019-11-15"
    assert parse_date("32 november 2019") is None
    assert signing(["Text", "Huddinge den 15 november 2019", "Karin Ekström"]) == {
        "place": "Huddinge",
        "date": "2019-11-15",
    }
    assert signing(["Avtalet gäller från och med den 1 januari 2020 och tills vidare."]) is None


def test_municipalities_in_preamble_with_genitives_and_damage() -> None:
    text = "Avtal mellan Botkyrka kommun, Nykvarns kommun, Sodertalje kommun och Tyresö kommun."
    assert municipalities_in(text) == ["Botkyrka", "Nykvarn", "Södertälje", "Tyresö"]


@pytest.mark.parametrize(
    "stem", ["samarbetsavtal-2019", "verksamhetsplan-2022", "verksamhetsplan-2024"]
)
def test_document_description_matches_truth(processed, stem: str) -> None:
    truth = load_truth(stem)
    document = processed(stem)
    assert (document.kind, document.title, document.year) == (
        truth["kind"],
        truth["title"],
        truth["year"],
    )
    assert document.parties == truth["parties"]
    assert document.signed == truth["signed"]


@pytest.mark.parametrize(
    "cell,written",
    [
        ("Januari-mars", "Januari–mars"),
        ("våren - hösten", "våren – hösten"),
        ("2025-06-30", "2025-06-30"),
        ("10 april", "10 april"),
        ("marsipan-juni", "marsipan-juni"),
        ("10 april.", "10 april"),  # a speck after the date
        ("Löpande.", "Löpande"),
        ("dec.", "dec."),  # an abbreviation keeps its stop
    ],
)
def test_when_ranges_take_the_en_dash(cell: str, written: str) -> None:
    assert when_text(cell) == written


def test_title_wrapped_over_lines_of_different_letter_shapes() -> None:
    def line(top: float, words: list[tuple[str, float]]) -> Line:
        placed = [Word(t, (72.0, top, 72.0 + 10 * len(t), top + h), 95.0) for t, h in words]
        return Line(placed, (72.0, top, 400.0, top + 20), 0, " ".join(t for t, _ in words))

    lines = [
        line(70, [("Samverkansavtal", 14.6), ("om", 10.0), ("gemensam", 14.5)]),
        line(100, [("upphandling", 20.2)]),  # descenders and ascenders: a taller box
        line(140, [("Parter:", 12.0), ("Botkyrka", 12.1), ("kommun", 9.0)]),
    ]
    assert document_title(lines) == "Samverkansavtal om gemensam upphandling"


def test_title_keeps_the_hyphen_of_a_compound_part() -> None:
    # 'mark- och exploatering' is one title line's text, not a word broken at a line end
    def line(top: float, text: str, h: float) -> Line:
        words = [Word(t, (72.0, top, 72.0 + 10 * len(t), top + h), 95.0) for t in text.split()]
        return Line(words, (72.0, top, 400.0, top + 20), 0, text)

    lines = [
        line(70, "Avtal om gemensam mark- och", 14.6),
        line(100, "exploateringsgrupp", 20.2),
        line(140, "Mellan Salems kommun och Botkyrka kommun", 9.0),
    ]
    assert document_title(lines) == "Avtal om gemensam mark- och exploateringsgrupp"
    lines[0] = line(70, "Avtal om gemensam exploaterings-", 20.2)
    lines[1] = line(100, "grupp", 20.2)
    assert document_title(lines) == "Avtal om gemensam exploateringsgrupp"


@pytest.mark.parametrize(
    "line,place,date",
    [
        ("Huddinge 2019-11-15", "Huddinge", "2019-11-15"),
        ("Ort och datum: Södertälje, 3 dec. 2020", "Södertälje", "2020-12-03"),
        ("Nykvarns kommun den 2 maj 2021", "Nykvarn", "2021-05-02"),
        ("Avtalet gäller den 1 januari 2020", None, None),  # clause text, not a signing
        ("Den 1 januari 2020", None, None),
    ],
)
def test_signing_line_shapes(line: str, place: str | None, date: str | None) -> None:
    found = signing([line])
    assert (found["place"], found["date"]) == (place, date) if place else found is None
