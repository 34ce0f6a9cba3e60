"""Agreement clauses: headings (also with a damaged §), text joined across lines/pages."""

from __future__ import annotations

import pytest
from conftest import load_truth

from pipeline.clauses import clean_text, heading, join_lines, read_clauses
from pipeline.evaluate import clause_accuracy
from pipeline.model import Line, Page, Word


def test_scanned_agreement_clauses_match_truth(processed) -> None:
    truth = load_truth("samarbetsavtal-2019")
    got = processed("samarbetsavtal-2019").to_dict()["clauses"]
    score = clause_accuracy(got, truth["clauses"])
    assert score.numbers_titles == score.total == len(got), got
    assert min(score.similarities) >= 0.97, score.similarities
    assert [c["page"] for c in got] == [c["page"] for c in truth["clauses"]]


@pytest.mark.parametrize(
    "text,number,title",
    [
        ("§ 1 Syfte", "1", "Syfte"),
        ("§1 Syfte", "1", "Syfte"),
        ("8 3 Ordförande", "3", "Ordförande"),
        ("$ 4 Sammanträden", "4", "Sammanträden"),
        ("§ 10 Kommitténs upplösande", "10", "Kommitténs upplösande"),
        ("§ l0 Kommitténs upplösande", "10", "Kommitténs upplösande"),
        ("& 5 Beslut om deltagande.", "5", "Beslut om deltagande"),  # specks after it
        ("8 4 Samverkansgrupp .", "4", "Samverkansgrupp"),
        ("$§ 4 Samverkansgrupp .", "4", "Samverkansgrupp"),  # a speck glued to the sign
        ("8§ 4 Sammanträden", "4", "Sammanträden"),  # '8&' with the & repaired to §
        ("§ 8 Giltighet =", "8", "Giltighet"),
        ("12 § Tvister", "12", "Tvister"),  # the statute style
    ],
)
def test_heading_shapes(text: str, number: str, title: str) -> None:
    found = heading(text)
    assert found is not None and (found.number, found.title) == (number, title)


@pytest.mark.parametrize(
    "text",
    [
        "1. Samarbetskommitténs uppdrag",  # a plan's numbered section
        "Uppsägningstid för detta avtal regleras i § 2 ovan.",
        "§ 2 ovan gäller även här.",  # a wrapped line starting with a reference
        "§ 5 Kostnadsfördelning gäller även vid uppsägning.",
        "Kommittén sammanträder minst fyra gånger per år. Kallelse och underlag skickas ut",
    ],
)
def test_not_headings(text: str) -> None:
    assert heading(text) is None


def _page(number: int, texts: list[str]) -> Page:
    lines = [
        Line(
            [Word(t, (72, 72 + 14 * i, 400, 84 + 14 * i), 95)],
            (72, 72 + 14 * i, 400, 84 + 14 * i),
            0,
            t,
        )
        for i, t in enumerate(texts)
    ]
    return Page(number=number, source="ocr", reason="test", lines=lines)


def test_clauses_across_pages_damaged_signs_and_signing_end() -> None:
    pages = [
        _page(
            1,
            [
                "Samarbetsavtal",
                "8 1 Syfte",
                "Samarbetet syftar till att stärka sam-",
                "arbetet.",
                "8 mars 2019 beslutade kommittén",
                "8 3 Fel nummer",
                "$ 2 Avtalstid",
                "Avtalet gäller",
            ],
        ),
        _page(2, ["från och med 2020.", "2", "Huddinge den 15 november 2019", "Karin Ekström"]),
    ]
    clauses = read_clauses(pages)
    assert [(c.number, c.title, c.page) for c in clauses] == [
        ("1", "Syfte", 1),
        ("2", "Avtalstid", 1),
    ]
    assert clauses[0].text == (
        "Samarbetet syftar till att stärka samarbetet. "
        "8 mars 2019 beslutade kommittén 8 3 Fel nummer"
    )
    assert clauses[1].text == "Avtalet gäller från och med 2020."


def test_join_lines_rejoins_hyphenated_words_only() -> None:
    assert join_lines(["Södertörnskommunernas sam-", "arbetskommitté"]) == (
        "Södertörnskommunernas samarbetskommitté"
    )
    assert join_lines(["med YH-", "nätverket och"]) == "med YH-nätverket och"
    assert join_lines(["Syfte och", "mål"]) == "Syfte och mål"
    # the first part of a compound ('vård- och omsorg') keeps its hyphen and the space
    assert join_lines(["elever på vård-", "och omsorgsprogrammet"]) == (
        "elever på vård- och omsorgsprogrammet"
    )
    assert join_lines(["mark- eller", "vattenområden"]) == "mark- eller vattenområden"


def _placed(number: int, rows: list[tuple[float, float, str]]) -> Page:
    """A page of lines at (top, word height, text)."""
    lines = []
    for top, height, text in rows:
        words, x = [], 72.0
        for token in text.split():
            words.append(Word(token, (x, top, x + 6 * len(token), top + height), 95))
            x += 6 * len(token) + 4
        lines.append(Line(words, (72, top, x - 4, top + height), 0, text))
    return Page(number=number, source="ocr", reason="test", lines=lines)


def test_running_header_and_glued_sign_stay_out_of_clauses() -> None:
    body = [(72 + 16 * i, 9.0, t) for i, t in enumerate([
        "Avtal om samverkan",
        "§ 1 Syfte",
        "Kommunerna samverkar om upphandling av varor och tjänster",
        "för att sänka kostnaderna och höja",
    ])]
    pages = [
        _placed(1, [*body, (800, 6.0, "Sida 1 av 2")]),
        _placed(2, [
            (30, 6.5, "Avtal om samverkan, 2022"),  # running header: small, set apart
            (74, 9.0, "kvaliteten i & 2 och i $ 3."),
            (82, 9.0, "§ 1 Syfte"),  # wrapped reference to an earlier clause
            (90, 9.0, "82 Ansvar ."),  # the damaged § read together with the number
            (106, 9.0, "Kommunerna svarar » för sina kostnader.:"),
            (800, 6.0, "Sida 2 av 2"),
        ]),
    ]
    clauses = read_clauses(pages)
    assert [(c.number, c.title) for c in clauses] == [("1", "Syfte"), ("2", "Ansvar")]
    assert clauses[0].text == (
        "Kommunerna samverkar om upphandling av varor och tjänster för att sänka "
        "kostnaderna och höja kvaliteten i § 2 och i § 3. § 1 Syfte"
    )
    assert clauses[1].text == "Kommunerna svarar för sina kostnader."


def test_clean_text_keeps_numbers_and_signs_that_are_text() -> None:
    assert clean_text("inom 8 dagar och A & B") == "inom 8 dagar och A & B"
    assert clean_text("enligt 8 4 om kostnader") == "enligt § 4 om kostnader"
    assert clean_text("avtal, och '") == "avtal, och"


def test_sub_item_letter_read_as_a_capital() -> None:
    # sans fonts: OCR reads the item letter c (or o, s, v) as its capital
    pages = [
        _page(
            1,
            [
                "§ 4 Tjänster",
                "Lönecentret utför",
                "a) löneberäkning,",
                "b) rapportering, och",
                "C) support till chefer.",
                "§ 5 Ansvar",
                "Parterna ansvarar för",
                "A) underlag och",
                "B) attester.",
                "Se punkt C) ovan.",
            ],
        )
    ]
    clauses = read_clauses(pages)
    assert clauses[0].text == (
        "Lönecentret utför a) löneberäkning, b) rapportering, och c) support till chefer."
    )
    # a list in capitals stays as written
    assert clauses[1].text == "Parterna ansvarar för A) underlag och B) attester. Se punkt C) ovan."
