"""Swedish word knowledge for diacritic repair: frequencies, valid words, accent-free keys.

Three sources, each for what it is good at:
- wordfreq's Swedish list (frequencies; it also holds accent-less junk such as "fran",
  so it ranks candidates but does not decide what is a word),
- Debian's hunspell-sv dictionary through spylls (what is a valid Swedish word, including
  compounds no list holds),
- the domain lexicon in corrections/lexicon.tsv (names and terms of the Södertörn plans).

Every word is indexed under its *key*, the word folded to lower case without accents, so
that all accent variants of an OCR token are found with one dictionary look-up.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HUNSPELL_BASE = Path(os.environ.get("PLANDIGIT_HUNSPELL", "/usr/share/hunspell/sv_SE"))

_FOLD = str.maketrans({"ä": "a", "å": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "à": "a"})
ACCENTED = frozenset("åäöéÅÄÖÉ")

# hunspell-sv flags: compound begin / middle (see sv_SE.aff)
_COMPOUND_PART_FLAGS = frozenset("XU")
_FORBIDDEN_FLAGS = frozenset("%¤")


def fold(word: str) -> str:
    """The accent-free lower-case key of a word (``Södertörn`` -> ``sodertorn``)."""
    return word.lower().translate(_FOLD)


def zipf(freq: float) -> float:
    """Frequency as a Zipf value (log10 per billion words); 0 for unknown."""
    return math.log10(freq) + 9 if freq > 0 else 0.0


@dataclass(frozen=True)
class DomainEntry:
    word: str
    kind: str
    zipf: float


class _WordLists:
    """The general Swedish word lists (wordfreq + hunspell), loaded once per process."""

    def __init__(self, hunspell: Path) -> None:
        import wordfreq

        self.freq: dict[str, float] = wordfreq.get_frequency_dict("sv")
        self.stems: set[str] = set()
        self.compound_parts: set[str] = set()
        self.hunspell_base = hunspell
        self._hunspell = None
        self._valid: dict[tuple[str, bool], bool] = {}
        self._read_stems(hunspell.with_suffix(".dic"))
        self.by_key: dict[str, list[str]] = {}
        for word in self.freq.keys() | self.stems:
            if word.isalpha():
                self.by_key.setdefault(fold(word), []).append(word)
        for words in self.by_key.values():
            words.sort(key=self.frequency, reverse=True)
        self.part_keys: dict[str, str] = {}  # key -> most frequent compound part
        for word in self.compound_parts | {w for w, f in self.freq.items() if f >= 1e-6}:
            if len(word) >= 3 and word.isalpha():
                key = fold(word)
                best = self.part_keys.get(key)
                if best is None or self.frequency(word) > self.frequency(best):
                    self.part_keys[key] = word

    def _read_stems(self, dic: Path) -> None:
        if not dic.is_file():
            return
        with dic.open(encoding="utf-8") as handle:
            next(handle, None)  # word count
            for line in handle:
                stem, _, flags = line.rstrip("\n").partition("/")
                if not stem or _FORBIDDEN_FLAGS & set(flags):
                    continue
                self.stems.add(stem.lower())
                if _COMPOUND_PART_FLAGS & set(flags):
                    self.compound_parts.add(stem.lower())

    def frequency(self, low: str) -> float:
        freq = self.freq.get(low)
        if freq is not None:
            return freq
        return 1e-9 if low in self.stems else 0.0

    def valid(self, low: str, compound: bool = True) -> bool:
        """Known to hunspell-sv; `compound=False` skips the slow compound analysis."""
        if low in self.stems or self._common(low):
            return True
        hit = self._valid.get((low, compound))
        if hit is None:
            hit = self._check(low, compound)
            self._valid[(low, compound)] = hit
        return hit

    def _common(self, low: str) -> bool:
        """Frequent in the word list and not the accent-less shadow of a far more frequent
        word ("pa" for "på"): a word without asking hunspell (which takes milliseconds)."""
        freq = self.freq.get(low, 0.0)
        if freq < 1e-6 or not low.isalpha():
            return False
        twins = self.by_key.get(fold(low), ())
        return not any(w != low and self.freq.get(w, 0.0) > 10 * freq for w in twins)

    def _check(self, low: str, compound: bool) -> bool:
        if self._hunspell is None:
            if not self.hunspell_base.with_suffix(".dic").is_file():
                return False
            from spylls.hunspell import Dictionary

            self._hunspell = Dictionary.from_files(str(self.hunspell_base))
        lookup = self._hunspell.lookuper
        forbidden = lookup.aff.FORBIDDENWORD
        for form in (low, low.capitalize()):
            if forbidden and lookup.dic.has_flag(form, forbidden, for_all=True):
                continue
            if any(lookup.good_forms(form, capitalization=False, compound_forms=False)):
                return True
            if compound and any(lookup.good_forms(form, capitalization=False, affix_forms=False)):
                return True
        return False


@functools.lru_cache(maxsize=4)
def word_lists(hunspell: Path = HUNSPELL_BASE) -> _WordLists:
    return _WordLists(hunspell)


class Lexicon:
    """General word lists with a domain lexicon on top; cheap to build after the first."""

    def __init__(self, domain: Iterable[DomainEntry] = (), hunspell: Path = HUNSPELL_BASE):
        self.base = word_lists(hunspell)
        self.domain: dict[str, str] = {}  # lower -> surface form with its capitals
        self._freq: dict[str, float] = {}
        self._by_key: dict[str, list[str]] = {}
        for entry in domain:
            for word in entry.word.split():
                low = word.lower()
                if " " not in entry.word or low not in self.base.freq:
                    self.domain.setdefault(low, word)
                freq = 10 ** (entry.zipf - 9)
                self._freq[low] = max(self._freq.get(low, 0.0), self.base.frequency(low), freq)
                if word.isalpha():
                    self._by_key.setdefault(fold(word), []).append(low)
        for key, words in self._by_key.items():
            merged = set(words) | set(self.base.by_key.get(key, ()))
            self._by_key[key] = sorted(merged, key=self.frequency, reverse=True)

    @property
    def part_keys(self) -> dict[str, str]:
        return self.base.part_keys

    def frequency(self, word: str) -> float:
        """Relative frequency of a word (lower-cased); hunspell-only words get a floor."""
        low = word.lower()
        return self._freq.get(low) or self.base.frequency(low)

    def variants(self, key: str) -> list[str]:
        """All known words with this accent-free key, most frequent first."""
        return self._by_key.get(key) or self.base.by_key.get(key, [])

    def surface(self, word: str) -> str:
        """The word with the capitals it normally has (domain proper nouns)."""
        return self.domain.get(word.lower(), word)

    def valid(self, word: str, compound: bool = True) -> bool:
        """Is this a Swedish word (domain lexicon or hunspell; compounds only if asked)?"""
        low = word.lower()
        return low in self.domain or self.base.valid(low, compound)

    def trusted(self, word: str) -> bool:
        """A word the lists vouch for without hunspell: accented words in the frequency
        list (accent-less junk such as "fran" is common there, accented junk is not)."""
        low = word.lower()
        return low in self.domain or (
            ACCENTED & set(low) and self.frequency(low) >= 1e-8 and low.isalpha()
        )
