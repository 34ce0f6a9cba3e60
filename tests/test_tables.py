"""Table extraction: ruling lines on page images, Handlingsplan rows from words."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest
from conftest import load_truth
from PIL import Image, ImageDraw, ImageFont

from pipeline.evaluate import cell_accuracy
from pipeline.model import Line, Page, Word
from pipeline.tables import TableRow, action_rows, find_rulings, read_tables, split_section

DPI = 300
PT = 72 / DPI  # points per pixel


def _ruled_page(skew: float = 0.0, noise: float = 0.0) -> tuple[np.ndarray, list, list]:
    """A landscape A4 page with a ruled table, large title text and text in every cell."""
    width, height = round(11.69 * DPI), round(8.27 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 42)
    title = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 100)
    draw.text((200, 60), "Bilaga 1 Handlingsplan lIlTTT", font=title, fill=0)
    xs = [200, 900, 1700, 2200, 2600, 2900, 3300]
    ys = [300, 400, 600, 800, 1100, 1400]
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for y in ys[:-1]:
        for x in xs[:-1]:
            draw.text((x + 15, y + 15), "Ålll Tid", font=body, fill=0)
            draw.text((x + 15, y + 60), "|||| lilj", font=body, fill=0)
    pixels = np.asarray(image).astype(np.int16)
    if noise:
        pixels += np.random.default_rng(1).normal(0, noise, pixels.shape).astype(np.int16)
    gray = np.clip(pixels, 0, 255).astype(np.uint8)
    if skew:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1)
        gray = cv2.warpAffine(gray, matrix, (width, height), borderValue=255)
    return gray, xs, ys


@pytest.mark.parametrize("skew,noise", [(0.0, 0.0), (0.3, 25.0)])
def test_find_rulings_returns_table_lines_not_text(skew: float, noise: float) -> None:
    gray, xs, ys = _ruled_page(skew, noise)
    rulings = find_rulings(gray, PT)
    horizontal = sorted(r for r in rulings if r[2] - r[0] > r[3] - r[1])
    vertical = sorted(r for r in rulings if r[2] - r[0] <= r[3] - r[1])
    assert len(horizontal) == len(ys) and len(vertical) == len(xs)
    for line, y in zip(sorted(horizontal, key=lambda r: r[1]), ys, strict=True):
        assert abs((line[1] + line[3]) / 2 - y * PT) < 4
        assert abs(line[0] - xs[0] * PT) < 3 and abs(line[2] - xs[-1] * PT) < 3
    for line, x in zip(vertical, xs, strict=True):
        assert abs((line[0] + line[2]) / 2 - x * PT) < 4
        assert abs(line[1] - ys[0] * PT) < 3 and abs(line[3] - ys[-1] * PT) < 3


def test_find_rulings_is_cheap_at_300_dpi() -> None:
    gray, _, _ = _ruled_page(noise=25.0)
    find_rulings(gray, PT)
    start = time.perf_counter()
    find_rulings(gray, PT)
    assert time.perf_counter() - start < 0.25


def test_find_rulings_on_blank_and_text_only_pages() -> None:
    assert find_rulings(np.full((2000, 1400), 255, np.uint8), PT) == []
    gray, _, _ = _ruled_page()
    text_only = gray.copy()
    text_only[290:, :] = 255  # keep only the big title
    assert find_rulings(text_only, PT) == []


# --- table reconstruction on the samples ---------------------------------------------


@pytest.mark.parametrize("stem", ["verksamhetsplan-2022", "verksamhetsplan-2023"])
def test_scanned_plan_cells_match_truth(processed, stem: str) -> None:
    """Ruled (2022, serif 300 dpi, continued over two pages) and unruled (2023, sans
    200 dpi, header 'Namn') scanned tables: >= 95% of cells right, no invented rows."""
    truth = load_truth(stem)
    got = processed(stem).to_dict()["actions"]
    score = cell_accuracy(got, truth["actions"])
    assert score.invented == 0 and score.missing == 0, score
    assert score.accuracy >= 0.95, score.wrong
    assert [a["page"] for a in got] == [a["page"] for a in truth["actions"]]


def test_born_digital_plan_is_exact(processed) -> None:
    truth = load_truth("verksamhetsplan-2024")
    document = processed("verksamhetsplan-2024")
    assert {p.source for p in document.pages} == {"text-layer"}
    assert document.to_dict()["actions"] == truth["actions"]


# --- reconstruction logic on hand-placed words ------------------------------------------

HEADER = [("Delmål", 50), ("Aktivitet", 210), ("Ansvarig", 396), ("Tid", 520), ("Budget", 582)]


def _line(top: float, cells: list[tuple[str, float]]) -> Line:
    """A line of words at ``top`` (10 pt text), each cell's words from its x; words are
    6 pt wide per character over 10 characters, spaced like a proportional font."""
    words = []
    for text, x in cells:
        for token in text.split():
            width = 5.0 * len(token)
            words.append(Word(token, (x, top, x + width, top + 9.0), 95.0))
            x += width + 3.0
    box = (words[0].bbox[0], top, words[-1].bbox[2], top + 9.0)
    return Line(words, box, 0, " ".join(w.text for w in words))


def _page(number: int, rows: list[list[tuple[str, float]]], pitch: list[float]) -> Page:
    lines, top = [], 60.0
    for cells, step in zip(rows, pitch, strict=True):
        lines.append(_line(top, cells))
        top += step
    return Page(number=number, source="ocr", reason="test", width=842, height=595, lines=lines)


def test_unruled_rows_wrapped_cells_sections_and_page_continuation() -> None:
    page1 = _page(
        1,
        [
            HEADER,
            [("Klimat – Leda omställningen till ett klimateffektivt samhälle", 50)],
            [("Vi bidrar till en", 50), ("Kartlägga", 210), ("Haninge och", 396), ("mars", 520)],
            [("långsiktig minskning", 50), ("laddinfrastruktur", 210), ("Sodertalje", 396)],
            [("Vi bidrar", 50), ("Samordna upphandling", 210), ("Södertörn", 396)],
            [("9", 420)],  # a page number far below the table
        ],
        [22, 22, 13, 22, 200, 0],
    )
    page2 = _page(
        2,
        [
            HEADER,
            [("av utsläppen", 50), ("av fossilfria tjänster", 210), ("och Tyresö", 396)],
            [
                ("Vi motverkar", 50),
                ("Utbildning i dialog", 210),
                ("Ekonomidirektörerna", 396),
                ("Hösten", 520),
                ("25 000 kr", 582),
            ],
        ],
        [22, 22, 0],
    )
    actions = action_rows(read_tables([page1, page2]))
    assert [a.activity for a in actions] == [
        "Kartlägga laddinfrastruktur",
        "Samordna upphandling av fossilfria tjänster",  # split by the page break, joined
        "Utbildning i dialog",
    ]
    assert actions[0].subgoal == "Vi bidrar till en långsiktig minskning"
    assert actions[0].responsible == ["Haninge", "Södertälje"]
    assert actions[1].responsible == ["Södertörn", "Tyresö"]
    assert actions[1].page == 1 and actions[2].page == 2
    assert actions[2].responsible == ["Ekonomidirektörerna"]
    assert actions[2].budget_sek == 25000 and actions[0].budget_sek is None
    assert {(a.area, a.goal) for a in actions} == {
        ("Klimat", "Leda omställningen till ett klimateffektivt samhälle")
    }


def test_no_table_without_a_header() -> None:
    page = _page(1, [[("Bilaga 1 Handlingsplan", 50)], [("Löpande text om Tid", 50)]], [20, 0])
    assert read_tables([page]) == []


def test_split_section() -> None:
    assert split_section("Klimat – Leda omställningen") == ("Klimat", "Leda omställningen")
    assert split_section("Näringsliv och högskola - Stödja") == (
        "Näringsliv och högskola",
        "Stödja",
    )
    assert split_section("E-arkiv") == ("E-arkiv", None)


def test_unruled_section_wrapped_over_lines_and_a_lone_row_on_a_continued_page() -> None:
    wide = "Digitalisering – Effektivisera den kommunala servicen genom gemensamma digitala"
    page1 = _page(
        1,
        [
            HEADER,
            [(wide, 50)],
            [("lösningar för invånarna", 50)],  # the section row goes on, at the line pitch
            [("Vi delar system", 50), ("Upphandla ett", 210), ("Salem och", 396),
             ("Hösten", 520), ("4000", 582)],
            [("och kompetens", 50), ("e-arkiv", 210), ("Nykvarn", 396)],
            [("Vi delar", 50), ("Inventera", 210), ("Södertörn", 396), ("Våren", 520),
             ("14 000 kr", 582)],
            [("kompetens", 50), ("e-tjänster", 210)],
        ],
        [26, 15, 26, 15, 26, 15, 0],
    )
    page2 = _page(
        2,
        [
            HEADER,
            [("Vi ökar andelen", 50), ("Utveckla", 210), ("Botkyrka", 396), ("Våren", 520)],
            [("elever", 50), ("vuxenutbildningen", 210)],  # a little wider apart here
        ],
        [26, 17, 0],
    )
    actions = action_rows(read_tables([page1, page2]))
    assert [a.activity for a in actions] == [
        "Upphandla ett e-arkiv",
        "Inventera e-tjänster",
        "Utveckla vuxenutbildningen",
    ]
    assert {(a.area, a.goal) for a in actions} == {
        (
            "Digitalisering",
            "Effektivisera den kommunala servicen genom gemensamma digitala lösningar för "
            "invånarna",
        )
    }
    assert actions[0].subgoal == "Vi delar system och kompetens"
    assert actions[0].responsible == ["Salem", "Nykvarn"] and actions[0].budget_sek == 4000
    assert actions[2].subgoal == "Vi ökar andelen elever" and actions[2].page == 2


def test_unruled_gutter_found_when_specks_widen_a_few_words() -> None:
    """On a poor scan a speck glued to a word stretches its box into the gutter; two such
    words must not merge Delmål and Aktivitet."""
    rows, pitch = [HEADER], [22]
    for i in range(4):
        rows += [
            [("Vi delar system", 50), (f"Upphandla{i}", 210), ("Salem", 396), ("Våren", 520),
             ("4000", 582)],
            [("och kompetens", 50), ("e-arkiv", 210)],
        ]
        pitch += [13, 22]
    page = _page(1, rows, pitch)
    for line in page.lines:
        for word in line.words:
            if word.text in ("Upphandla0", "Upphandla1"):  # a speck 110 pt to the left
                word.bbox = (100.0, *word.bbox[1:])
    actions = action_rows(read_tables([page]))
    assert [a.subgoal for a in actions] == ["Vi delar system och kompetens"] * 4
    assert [a.activity for a in actions] == [f"Upphandla{i} e-arkiv" for i in range(4)]


def test_first_column_whose_header_ocr_lost_keeps_its_text_across_a_stray_gutter() -> None:
    """OCR lost the header 'Delmål', and two long sub-goal lines leave a narrow gap in
    that column that a few words cross: the column left of Aktivitet is still Delmål."""
    rows, pitch = [HEADER[1:]], [22]
    for i in range(4):
        first = "Vi delar system och kompetens" if i < 2 else "Vi delar system"
        rows += [
            [(first, 50), (f"Upphandla{i}", 210), ("Salem", 396), ("Våren", 520), ("4000", 582)],
            [("i regionen", 50), ("e-arkiv", 210)],
        ]
        pitch += [13, 22]
    actions = action_rows(read_tables([_page(1, rows, pitch)]))
    assert [a.activity for a in actions] == [f"Upphandla{i} e-arkiv" for i in range(4)]
    assert [a.subgoal for a in actions] == [
        "Vi delar system och kompetens i regionen"
    ] * 2 + ["Vi delar system i regionen"] * 2


def test_column_empty_on_the_whole_page_does_not_swallow_the_next_one() -> None:
    """No row on the page has a Tid: no gutter parts Tid from Budget, whose sums must
    not be read as times."""
    rows, pitch = [HEADER], [22]
    for i in range(3):
        rows += [
            [("Vi delar system", 50), (f"Upphandla{i}", 210), ("Salem", 396), ("4000", 582)],
            [("och kompetens", 50), ("e-arkiv", 210)],
        ]
        pitch += [13, 22]
    actions = action_rows(read_tables([_page(1, rows, pitch)]))
    assert [(a.when, a.budget_sek) for a in actions] == [(None, 4000)] * 3
    assert [a.responsible for a in actions] == [["Salem"]] * 3


@pytest.mark.parametrize("stops", [1, 4])
def test_full_stop_ending_a_cell_is_a_speck_unless_the_column_writes_them(stops: int) -> None:
    """Of eight activities one read with a final stop is a speck; when half of them end
    in one, the plan writes sentences and the stops stay (so do abbreviations)."""
    places = ["skolor", "förskolor", "bibliotek", "badhus", "idrottshallar", "fritidsgårdar"]
    texts = [f"Utreda rutiner för {p}" for p in places] + ["Ordna kurser m.fl."] * 2
    texts = [t + "." if i < stops else t for i, t in enumerate(texts)]
    rows = [TableRow(1, 10.0 * i, cells={"activity": t}) for i, t in enumerate(texts)]
    got = [a.activity for a in action_rows(rows)]
    assert got[0] == ("Utreda rutiner för skolor." if stops == 4 else "Utreda rutiner för skolor")
    assert got[-1] == "Ordna kurser m.fl."


def test_row_split_by_the_page_break_goes_on_with_a_name() -> None:
    page1 = _page(
        1,
        [
            HEADER,
            [("Vi delar system", 50), ("Kartlägga kommunal", 210), ("Botkyrka,", 396),
             ("Hösten", 520)],
            [("och kompetens", 50), ("mark för", 210), ("Södertälje,", 396)],
        ],
        [22, 13, 0],
    )
    page2 = _page(
        2,
        [
            HEADER,
            [("bostäder", 210), ("Nykvarn och Salem", 396)],  # the rest of the row
            [("Vi delar", 50), ("Inventera", 210), ("Södertörn", 396), ("Våren", 520)],
        ],
        [22, 22, 0],
    )
    actions = action_rows(read_tables([page1, page2]))
    assert [a.activity for a in actions] == ["Kartlägga kommunal mark för bostäder", "Inventera"]
    assert actions[0].responsible == ["Botkyrka", "Södertälje", "Nykvarn", "Salem"]


def test_unruled_table_continued_without_a_repeated_header() -> None:
    first = [
        HEADER,
        [("Vi delar system", 50), ("Upphandla ett", 210), ("Salem", 396), ("Våren", 520)],
        [("och kompetens", 50), ("e-arkiv", 210)],
        [("Vi delar", 50), ("Inventera", 210), ("Södertörn", 396), ("Hösten", 520)],
    ]
    page1 = _page(1, first, [22, 13, 22, 0])
    page2 = _page(
        2,
        [
            [("Verksamhetsplan 2026 – Samarbetskommittén Södertörn", 50)],  # running header
            [("Kultur – Göra kulturlivet tillgängligt för alla invånare", 50)],
            [("Vi samverkar", 50), ("Gemensam katalog", 210), ("Tyresö", 396), ("mars", 520)],
            [("om kulturskolan", 50), ("för kulturskolan", 210)],
            [("Vi samverkar", 50), ("Samordna lovaktiviteter", 210), ("Haninge", 396)],
        ],
        [40, 22, 13, 22, 0],
    )
    prose = _page(
        3,
        [
            [("Bilaga 2 Uppföljning av förra årets handlingsplan och budget", 50)],
            [("Kommittén följde upp samtliga aktiviteter vid sitt sista möte för året", 50)],
            [("och konstaterade att de flesta genomförts enligt planen och inom budget", 50)],
        ],
        [13, 13, 0],
    )
    actions = action_rows(read_tables([page1, page2, prose]))
    assert [a.activity for a in actions] == [
        "Upphandla ett e-arkiv",
        "Inventera",
        "Gemensam katalog för kulturskolan",
        "Samordna lovaktiviteter",
    ]
    assert [a.page for a in actions] == [1, 1, 2, 2]
    assert actions[2].area == "Kultur" and actions[2].subgoal == "Vi samverkar om kulturskolan"


def test_split_row_goes_on_under_a_running_header_without_a_repeated_header() -> None:
    page1 = _page(
        1,
        [
            HEADER,
            [("Vi delar system", 50), ("Upphandla ett", 210), ("Salem", 396), ("Våren", 520)],
            [("och kompetens", 50), ("e-arkiv", 210)],
            [("Vi arbetar", 50), ("Utbilda", 210), ("Södertörn", 396), ("Hösten", 520)],
        ],
        [22, 13, 22, 0],
    )
    page2 = _page(
        2,
        [
            [("tillsammans med polisen", 50)],  # only the Delmål of the split row goes on
            [("Vi delar", 50), ("Inventera", 210), ("Nykvarn", 396), ("mars", 520)],
            [("system", 50), ("e-tjänster", 210)],
        ],
        [22, 13, 0],
    )
    small = [Word("Verksamhetsplan", (50.0, 40.0, 110.0, 46.0), 95.0),
             Word("2040", (113.0, 40.0, 130.0, 46.0), 95.0)]  # running header, 6 pt high
    page2.lines.insert(0, Line(small, (50.0, 40.0, 130.0, 46.0), 0, "Verksamhetsplan 2040"))
    actions = action_rows(read_tables([page1, page2]))
    assert [a.activity for a in actions] == [
        "Upphandla ett e-arkiv",
        "Utbilda",
        "Inventera e-tjänster",
    ]
    assert actions[1].subgoal == "Vi arbetar tillsammans med polisen" and actions[1].page == 1
    assert actions[2].subgoal == "Vi delar system" and actions[2].page == 2


def test_column_filled_on_one_line_only_keeps_its_gutters() -> None:
    """A short continued page: Budget holds one amount, so tolerating one word in a
    gutter would join Tid, Budget and Kommentar; the activity's last words stay in it."""
    header = [*HEADER, ("Kommentar", 650)]
    page = _page(
        1,
        [
            header,
            [("med särskilda behov, bland annat", 210), ("med förslag på", 650)],
            [("unga vuxna, nyanlända och", 210), ("gemensamma", 650)],
            [("i dialog med", 210), ("uppföljning", 650)],
            [("de allmännyttiga bolagen", 210)],
            [("Vi samordnar", 50), ("Gemensam upphandling", 210), ("Nykvarn och Salem", 396),
             ("Juni", 520), ("15 000 kr", 582)],
            [("upphandlingar", 50), ("av skolskjutsar", 210)],
        ],
        [22, 13, 13, 13, 22, 13, 0],
    )
    first, second = read_tables([page])
    assert first.cells == {
        "activity": "med särskilda behov, bland annat unga vuxna, nyanlända och i dialog med "
        "de allmännyttiga bolagen",
        "comment": "med förslag på gemensamma uppföljning",
    }
    assert second.cells["when"] == "Juni" and second.cells["budget"] == "15 000 kr"


def test_ruled_one_line_row_whose_rulings_were_too_short_is_not_a_section() -> None:
    """A one-line row under its own section row: its column rulings are shorter than a
    ruling must be, so no inner ruling crosses it, yet its cells keep to the columns."""
    page = _page(
        1,
        [
            HEADER,
            [("Vi delar", 50), ("Inventera", 210), ("Södertörn", 396), ("Våren", 520)],
            [("Kompetens – Rätt kompetens för arbetsgivarna", 55)],
            [("Vi samverkar", 50), ("Genomföra Rådslag", 210), ("Södertörn", 396),
             ("Mars", 520), ("110 000 kr", 582)],
        ],
        [22, 22, 22, 0],
    )
    left, right, ys = 45.0, 700.0, [55.0, 78.0, 100.0, 122.0, 144.0]
    inner = [205.0, 391.0, 515.0, 577.0]
    page.rulings = [(left, y - 0.5, right, y + 0.5) for y in ys]
    page.rulings += [(x - 0.5, ys[0], x + 0.5, ys[2]) for x in [left, *inner, right]]
    page.rulings += [(x - 0.5, ys[2], x + 0.5, ys[4]) for x in (left, right)]
    actions = action_rows(read_tables([page]))
    assert [a.activity for a in actions] == ["Inventera", "Genomföra Rådslag"]
    assert (actions[1].area, actions[1].goal) == ("Kompetens", "Rätt kompetens för arbetsgivarna")
    assert actions[1].when == "Mars" and actions[1].budget_sek == 110000


def test_speck_before_a_word_does_not_carry_it_into_the_next_column() -> None:
    """A speck read glued before a word ('"in') stretches its box to the left, over the
    gutter: the word stays in its own column, by its letters' place."""
    header = [*HEADER, ("Kommentar", 652)]
    rows = [
        header,
        [("Vi samverkar", 50), ("Genomföra Rådslag", 210), ("Södertörn", 396), ("Mars", 520),
         ("100 000 kr", 582), ("Alla bjuds", 652)],
        [("in", 652)],
        [("Vi samverkar", 50), ("Nätverksträffar", 210), ("Södertörn", 396), ("Löpande", 520)],
    ]
    page = _page(1, rows, [22, 13, 22, 0])
    word = page.lines[2].words[0]
    word.text, word.bbox = '"in', (628.0, *word.bbox[1:])  # the speck 24 pt to the left
    actions = action_rows(read_tables([page]))
    assert [(a.budget_sek, a.comment) for a in actions] == [(100000, "Alla bjuds in"), (None, None)]


def test_speck_read_between_two_words_is_a_space() -> None:
    """A speck between two words read as ':' or an apostrophe and glued to both
    ('Kartlägga:behovet', "en'långsiktig") parts them; a colon before a space stays."""
    rows = [
        HEADER,
        [("Vi når en'hållbar nivå", 50), ("Kartlägga:behovet", 210),
         ("Salem", 396), ("Våren", 520), ("0 kr", 582)],
        [("Vi samverkar", 50), ("Rådslag: planering", 210), ("Salem", 396), ("Mars", 520)],
        [("Vi samverkar", 50), ("Samråd'om lov", 210), ("Salem", 396), ("Maj", 520)],
    ]
    actions = action_rows(read_tables([_page(1, rows, [22, 22, 22, 0])]))
    assert [(a.subgoal, a.activity) for a in actions] == [
        ("Vi når en hållbar nivå", "Kartlägga behovet"),
        ("Vi samverkar", "Rådslag: planering"),
        ("Vi samverkar", "Samråd om lov"),
    ]
