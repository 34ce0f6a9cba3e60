"""The expanded hunspell lexicon: affix expansion and compounding on a small dictionary
written here, agreement with a reference hunspell (spylls) on real Swedish, and the disk
cache (built once, reused, rebuilt when damaged, optional)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import lexicon
from pipeline.lexicon import STANDALONE, _WordLists, fold, word_lists

ROOT = Path(__file__).resolve().parent.parent
TUNE = ROOT / "tests" / "data" / "correction" / "tune.txt"

AFF = """SET UTF-8
FORBIDDENWORD %
NEEDAFFIX ¤
COMPOUNDMIN 1
CHECKCOMPOUNDTRIPLE
SIMPLIFIEDTRIPLE
CHECKCOMPOUNDDUP
CHECKCOMPOUNDREP
COMPOUNDPERMITFLAG W
COMPOUNDBEGIN X
COMPOUNDMIDDLE U
COMPOUNDEND Y
ONLYINCOMPOUND Z
COMPOUNDRULE 1
COMPOUNDRULE 12
REP 1
REP e ä
SFX A Y 1
SFX A 0 en [^e]
SFX z Y 1
SFX z a 0/WXZ a
"""
DIC = """12
bil/AXY
hus/AUY
sill/XY
lada/AY
flicka/Az
fallhus/%
hes/Y
bilhäs
kör/¤A
tre/1
tio/2
"""


def _write_small(folder: Path) -> Path:
    (folder / "mini.aff").write_text(AFF, encoding="utf-8")
    (folder / "mini.dic").write_text(DIC, encoding="utf-8")
    return folder / "mini"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> _WordLists:
    """Word lists from the small dictionary above (built once for the module)."""
    folder = tmp_path_factory.mktemp("small")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        return _WordLists(_write_small(folder))


@pytest.fixture()
def cached_small(tmp_path, monkeypatch) -> Path:
    """The small dictionary with its own cache folder, built and cached once."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    base = _write_small(tmp_path)
    _WordLists(base)
    return base


def _alone(lists: _WordLists, word: str) -> bool:
    return bool(lists.roles(word) & STANDALONE)


def test_suffix_rules_expand_and_flags_decide_standalone(small):
    assert _alone(small, "bilen") and _alone(small, "lada") and _alone(small, "bilhäs")
    assert _alone(small, "kören") and not _alone(small, "kör")  # NEEDAFFIX
    assert not _alone(small, "flick")  # ONLYINCOMPOUND form made from "flicka"
    assert not small.valid("fallhus")  # FORBIDDENWORD, though a compound would allow it


@pytest.mark.parametrize(
    "word, ok",
    [
        ("bilhus", True),  # begin + end
        ("bilhusbil", True),  # begin + middle + end
        ("bilhusen", True),  # the last part may carry a suffix
        ("flickbil", True),  # a compound-only begin form made by a suffix rule
        ("sillada", True),  # sill + lada with the triple letter simplified
        ("silllada", False),  # triple letters at the boundary
        ("husbilhus", False),  # "hus" may not begin a compound
        ("bilenhus", False),  # an inflected form may not begin one
        ("bilbil", False),  # the same word twice at the end
        ("bilhes", False),  # REP e->ä makes the real word "bilhäs": a misspelling
        ("tretio", True),  # COMPOUNDRULE 12
        ("tiotre", False),
    ],
)
def test_compounds_follow_the_dictionary_settings(small, word, ok):
    assert not _alone(small, word)
    assert small.valid(word) is ok


def test_variants_and_parts_by_accent_free_key(small):
    assert "bilhäs" in small.variants("bilhas")
    assert small.part("flick") == "flick"  # a compound-only begin form is a part


def test_a_flagged_compound_part_beats_a_commoner_word():
    lists = word_lists()  # the real hunspell-sv: "äter" is commoner, only "åter" begins compounds
    assert lists.frequency("äter") > lists.frequency("åter")
    assert lists.part("ater") == "åter"  # Aterbruksparker -> Återbruksparker


def test_agrees_with_reference_hunspell_on_swedish():
    """Real Swedish words, their accent-free damage and two-word compounds, checked by
    the expanded lexicon and by spylls (a full hunspell port)."""
    spylls = pytest.importorskip("spylls.hunspell")
    base = lexicon.HUNSPELL_BASE
    if not base.with_suffix(".dic").is_file():
        pytest.skip("hunspell-sv not installed")
    reference = spylls.Dictionary.from_files(str(base)).lookuper
    forbidden = reference.aff.FORBIDDENWORD

    def hunspell(low: str) -> bool:
        for form in (low, low.capitalize()):
            if forbidden and reference.dic.has_flag(form, forbidden, for_all=True):
                continue
            if any(reference.good_forms(form, capitalization=False)):
                return True
        return False

    words = sorted(set(re.findall(r"[a-zåäöé]{4,}", TUNE.read_text(encoding="utf-8").lower())))
    sample = words[:150] + [fold(w) for w in words if fold(w) != w][:60]
    sample += [a + b for a, b in zip(words[:60], words[60:120], strict=True)]
    lists = word_lists()
    disagree = [w for w in sample if lists.valid(w) != hunspell(w)]
    assert len(sample) >= 200
    assert len(disagree) <= len(sample) // 50, disagree


def test_cache_is_built_once_and_reused(tmp_path, monkeypatch, cached_small):
    cached = list((tmp_path / "cache" / "plandigit").glob("lexicon-*.pickle"))
    assert len(cached) == 1

    def no_build(_):
        raise AssertionError("rebuilt although the cache is valid")

    monkeypatch.setattr(lexicon, "_build", no_build)
    again = _WordLists(cached_small)
    assert again.valid("bilhusbil") and not again.valid("husbilhus")


def test_damaged_cache_is_rebuilt_and_stale_files_removed(tmp_path, cached_small):
    folder = tmp_path / "cache" / "plandigit"
    (cached,) = folder.glob("lexicon-*.pickle")
    cached.write_bytes(b"not a lexicon")
    assert _WordLists(cached_small).valid("bilhusbil")
    assert cached.read_bytes() != b"not a lexicon"
    # the dictionary changes: a new cache file replaces the old one
    (tmp_path / "mini.dic").write_text(DIC.replace("12\n", "13\n") + "båt/XY\n", encoding="utf-8")
    assert _WordLists(cached_small).valid("båthus")
    assert [p.name for p in folder.glob("lexicon-*.pickle")] != [cached.name]
    assert len(list(folder.glob("lexicon-*.pickle"))) == 1


def test_unwritable_cache_still_works(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # no folder can be made under a file
    lists = _WordLists(_write_small(tmp_path))
    assert lists.valid("flickbil") and not _alone(lists, "flick")
