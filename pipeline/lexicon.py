"""Swedish word knowledge for diacritic repair: frequencies, valid words, accent-free keys.

Three sources, each for what it is good at:
- wordfreq's Swedish list (frequencies; it also holds accent-less junk such as "fran",
  so it ranks candidates but does not decide what is a word),
- Debian's hunspell-sv dictionary (what is a valid Swedish word, including compounds no
  list holds),
- the domain lexicon in corrections/lexicon.tsv (names and terms of the Södertörn plans).

Hunspell's suffix rules are expanded once into every word form (about 830,000), each with
what hunspell may do with it (stand alone, begin, middle or end a compound), and stored with
the frequencies in two marisa tries. Checking a word is then a trie look-up, and a compound
is checked by splitting it into such forms under hunspell-sv's compounding settings, so no
hunspell engine runs at all. The derived lexicon is cached on disk (see `cache_dir`), keyed
by a hash of its sources, and rebuilt (a few seconds) when missing or stale; without a
writable cache it is built in memory.

Every word is also indexed under its *key*, the word folded to lower case without accents,
so that all accent variants of an OCR token are found with one look-up.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import math
import os
import pickle
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import marisa_trie

from . import __version__, atomic

HUNSPELL_BASE = Path(os.environ.get("PLANDIGIT_HUNSPELL", "/usr/share/hunspell/sv_SE"))
LEXICON_FORMAT = 3  # bump when the derived data changes meaning

_FOLD = str.maketrans({"ä": "a", "å": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "à": "a"})
ACCENTED = frozenset("åäöéÅÄÖÉ")
_SEP = "\x1f"  # key<SEP>word in the variants trie

# what a word form may do (bits of the per-word role value)
STANDALONE = 1  # a word on its own
BEGIN = 2  # first part of a compound
MIDDLE = 4  # inner part of a compound
END = 8  # last part of a compound
FORBIDDEN = 16  # hunspell marks it as a misspelling
CAPITALISED = 32  # a word on its own when capitalised (a name: "Stockholm")
LOWERCASE = 64  # a word on its own in lower case
_RULE_SHIFT = 8  # higher bits: the root's flags used by COMPOUNDRULE patterns
_COMPOUND_CHECKS = (
    "CHECKCOMPOUNDTRIPLE",
    "SIMPLIFIEDTRIPLE",
    "CHECKCOMPOUNDDUP",
    "CHECKCOMPOUNDREP",
)


def fold(word: str) -> str:
    """The accent-free lower-case key of a word (``Södertörn`` -> ``sodertorn``)."""
    return word.lower().translate(_FOLD)


def zipf(freq: float) -> float:
    """Frequency as a Zipf value (log10 per billion words); 0 for unknown."""
    return math.log10(freq) + 9 if freq > 0 else 0.0


def cache_dir() -> Path:
    """Where derived data is cached: $XDG_CACHE_HOME/plandigit or ~/.cache/plandigit."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plandigit"


NAME_KINDS = frozenset({"municipality", "organisation", "place", "name"})


@dataclass(frozen=True)
class DomainEntry:
    word: str
    kind: str
    zipf: float


# --- hunspell affix file ---------------------------------------------------------------------


@dataclass
class _Suffix:
    strip: str
    add: str
    flags: str  # continuation flags of the affixed form
    condition: re.Pattern[str] | None


@dataclass
class _Affixes:
    """The parts of a hunspell .aff file that expansion and compounding need (hunspell-sv
    has one-character flags and suffix rules only)."""

    suffixes: dict[str, list[_Suffix]] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    rep: list[tuple[str, str]] = field(default_factory=list)
    compound_rules: list[str] = field(default_factory=list)

    def flag(self, name: str) -> str:
        return self.settings.get(name, "\0")


def _parse_aff(path: Path) -> _Affixes:
    aff = _Affixes()
    counted = False
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            name = parts[0]
            if name == "SFX" and len(parts) >= 5:
                add, _, flags = parts[3].partition("/")
                condition = parts[4]
                aff.suffixes.setdefault(parts[1], []).append(
                    _Suffix(
                        "" if parts[2] == "0" else parts[2],
                        "" if add == "0" else add,
                        flags,
                        None if condition == "." else re.compile(f"(?:{condition})$"),
                    )
                )
            elif name == "REP" and len(parts) == 3:
                aff.rep.append((parts[1], parts[2]))
            elif name == "COMPOUNDRULE" and len(parts) == 2:
                if counted:  # the first COMPOUNDRULE line gives the number of rules
                    aff.compound_rules.append(parts[1])
                counted = True
            elif len(parts) == 1:
                aff.settings[name] = "1"
            elif name not in ("SFX", "PFX", "REP", "MAP", "COMPOUNDRULE"):
                aff.settings[name] = parts[1]
    return aff


def _dic_entries(path: Path) -> Iterator[tuple[str, str]]:
    """(word, flags) of a hunspell .dic file; morphological fields after a tab dropped."""
    with path.open(encoding="utf-8") as handle:
        next(handle, None)  # word count
        for line in handle:
            entry = line.rstrip("\n").split("\t", 1)[0].rstrip()
            if not entry:
                continue
            word, _, flags = entry.partition("/")
            yield word, flags


def _expand(dic: Path, aff: _Affixes) -> tuple[dict[str, int], set[str]]:
    """Every word form of the dictionary with its role bits (see STANDALONE ...), and the
    entries written with a space ("ad hoc"), which hunspell uses against odd compounds."""
    forbidden_flag, needaffix = aff.flag("FORBIDDENWORD"), aff.flag("NEEDAFFIX")
    only_compound, permit = aff.flag("ONLYINCOMPOUND"), aff.flag("COMPOUNDPERMITFLAG")
    begin, middle, end = (aff.flag(n) for n in ("COMPOUNDBEGIN", "COMPOUNDMIDDLE", "COMPOUNDEND"))
    rule_flags = sorted({c for rule in aff.compound_rules for c in rule if c not in "*?"})
    rule_bit = {c: 1 << (_RULE_SHIFT + i) for i, c in enumerate(rule_flags)}
    roles: dict[str, int] = {}
    spaced: set[str] = set()

    def add(word: str, flags: str, suffix_flags: str | None) -> None:
        low = word.lower()
        bits = 0
        if forbidden_flag in flags:
            bits = FORBIDDEN
        elif suffix_flags is not None or needaffix not in flags:
            if only_compound not in flags:
                bits |= STANDALONE
            inner_ok = suffix_flags is None or permit in suffix_flags
            if begin in flags and inner_ok:
                bits |= BEGIN
            if middle in flags and inner_ok:
                bits |= MIDDLE
            if end in flags:
                bits |= END
            if bits & STANDALONE:
                bits |= CAPITALISED if word[:1].isupper() else LOWERCASE
        if bits:
            roles[low] = roles.get(low, 0) | bits

    for word, flags in _dic_entries(dic):
        if " " in word:
            if forbidden_flag not in flags:
                spaced.add(word.lower())
            continue
        add(word, flags, None)
        if forbidden_flag not in flags:
            bits = 0
            for c in flags:
                bits |= rule_bit.get(c, 0)
            if bits:
                low = word.lower()
                roles[low] = roles.get(low, 0) | bits
        for flag in flags:
            for suffix in aff.suffixes.get(flag, ()):
                if suffix.strip and not word.endswith(suffix.strip):
                    continue
                if suffix.condition is not None and not suffix.condition.search(word):
                    continue
                stem = word[: len(word) - len(suffix.strip)] if suffix.strip else word
                add(stem + suffix.add, flags + suffix.flags, suffix.flags)
    return roles, spaced


# --- the derived lexicon: build, store, load -------------------------------------------------


def _source_hash(hunspell: Path) -> str:
    import importlib.metadata

    digest = hashlib.sha256(f"{LEXICON_FORMAT}|{__version__}".encode())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        digest.update(importlib.metadata.version("wordfreq").encode())
    for suffix in (".dic", ".aff"):
        path = hunspell.with_suffix(suffix)
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _build(hunspell: Path) -> bytes:
    """The derived lexicon as one blob: word trie, variants trie, frequencies, roles."""
    import wordfreq

    dic, aff_path = hunspell.with_suffix(".dic"), hunspell.with_suffix(".aff")
    if dic.is_file() and aff_path.is_file():
        aff = _parse_aff(aff_path)
        roles, spaced = _expand(dic, aff)
    else:
        aff, roles, spaced = _Affixes(), {}, set()
    freq = wordfreq.get_frequency_dict("sv")
    words = marisa_trie.Trie(roles.keys() | freq.keys())
    frequencies = array.array("f", bytes(4 * len(words)))
    role_values = array.array("I", bytes(4 * len(words)))
    variants = []
    for word, index in words.items():
        frequencies[index] = freq.get(word, 0.0)
        role_values[index] = roles.get(word, 0)
        key = fold(word)
        if key != word and word.isalpha():
            variants.append(key + _SEP + word)
    rule_flags = sorted({c for rule in aff.compound_rules for c in rule if c not in "*?"})
    meta = {
        "format": LEXICON_FORMAT,
        "rep": aff.rep,
        "compound_rules": aff.compound_rules,
        "rule_flags": "".join(rule_flags),
        "compound_min": int(aff.settings.get("COMPOUNDMIN", "3")),
        "checks": sorted(n for n in _COMPOUND_CHECKS if n in aff.settings),
        "spaced": sorted(spaced),
        "compounds": bool(aff.settings.get("COMPOUNDBEGIN") or aff.compound_rules),
    }
    return pickle.dumps(
        (
            meta,
            words.tobytes(),
            marisa_trie.Trie(variants).tobytes(),
            frequencies.tobytes(),
            role_values.tobytes(),
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def _load_blob(hunspell: Path, path: Path) -> bytes:
    """The cached blob for these sources, built and cached when missing. A cache that
    cannot be read or written is not an error: the lexicon is then built in memory."""
    with contextlib.suppress(OSError):
        return path.read_bytes()
    blob = _build(hunspell)
    with contextlib.suppress(OSError):
        atomic.write_bytes(path, blob)
        for old in path.parent.glob("lexicon-*.pickle"):  # stale: other sources or versions
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    return blob


def _unpack(
    blob: bytes,
) -> tuple[dict, marisa_trie.Trie, marisa_trie.Trie, array.array, array.array]:
    meta, words, variants, freq_bytes, role_bytes = pickle.loads(blob)
    if meta.get("format") != LEXICON_FORMAT:
        raise ValueError(f"lexicon format {meta.get('format')}, expected {LEXICON_FORMAT}")
    freqs, roles = array.array("f"), array.array("I")
    freqs.frombytes(freq_bytes)
    roles.frombytes(role_bytes)
    if len(freqs) != len(roles):
        raise ValueError("lexicon arrays differ in length")
    return (
        meta,
        marisa_trie.Trie().frombytes(words),
        marisa_trie.Trie().frombytes(variants),
        freqs,
        roles,
    )


class _WordLists:
    """The general Swedish word lists (wordfreq + expanded hunspell), loaded once per
    process; look-ups are memoised."""

    def __init__(self, hunspell: Path) -> None:
        self.hunspell_base = hunspell
        path = cache_dir() / f"lexicon-{_source_hash(hunspell)}.pickle"
        try:
            meta, words, variants, freqs, roles = _unpack(_load_blob(hunspell, path))
        except Exception:  # a damaged cache file: build afresh and replace it
            blob = _build(hunspell)
            with contextlib.suppress(OSError):
                atomic.write_bytes(path, blob)
            meta, words, variants, freqs, roles = _unpack(blob)
        self.words: marisa_trie.Trie = words
        self._variants: marisa_trie.Trie = variants
        self._freq = freqs
        self._roles = roles
        self._rep = [(re.compile(p), r.replace("_", " ")) for p, r in meta["rep"]]
        bit = {c: 1 << (_RULE_SHIFT + i) for i, c in enumerate(meta["rule_flags"])}
        self._rules = [_compile_rule(rule, bit) for rule in meta["compound_rules"]]
        self._min = max(1, meta["compound_min"])
        self._checks = frozenset(meta["checks"])
        self._spaced = frozenset(meta["spaced"])
        self._compounds = meta["compounds"]
        self._valid: dict[str, bool] = {}
        self._by_key: dict[str, list[str]] = {}
        self._parts: dict[str, str | None] = {}

    # --- single words ---

    def roles(self, low: str) -> int:
        index = self.words.get(low, -1)
        return self._roles[index] if index >= 0 else 0

    def known_frequency(self, low: str) -> float:
        """Frequency in wordfreq's list (0 if it is not there)."""
        index = self.words.get(low, -1)
        return self._freq[index] if index >= 0 else 0.0

    def frequency(self, low: str) -> float:
        """Frequency in wordfreq's list; hunspell-only words get a floor of 1e-9."""
        index = self.words.get(low, -1)
        if index < 0:
            return 0.0
        freq = self._freq[index]
        if freq > 0:
            return freq
        return 1e-9 if self._roles[index] & STANDALONE else 0.0

    def variants(self, key: str) -> list[str]:
        """All known words with this accent-free key, most frequent first."""
        found = self._by_key.get(key)
        if found is None:
            found = [w.partition(_SEP)[2] for w in self._variants.keys(key + _SEP)]
            if key.isalpha() and key in self.words:
                found.append(key)
            found.sort(key=self.frequency, reverse=True)
            self._by_key[key] = found
        return found

    def part(self, key: str) -> str | None:
        """The most frequent word with this key that hunspell lets begin or continue a
        compound ("åter" in återbruk, not the commoner "äter"), else the most frequent
        common word with it."""
        if key in self._parts:
            return self._parts[key]
        best = None
        if len(key) >= 3:
            words = self.variants(key)
            flagged = [w for w in words if self._roles[self.words.get(w, -1)] & (BEGIN | MIDDLE)]
            common = [w for w in words if self._freq[self.words.get(w, -1)] >= 1e-6]
            best = (flagged or common or [None])[0]
        self._parts[key] = best
        return best

    def valid(self, low: str, compound: bool = True) -> bool:
        """Known to hunspell-sv (or common in the word list, see `_common`);
        `compound=False` skips the compound analysis."""
        roles = self.roles(low)
        if roles & STANDALONE or self._common(low):
            return True
        if not compound or roles & FORBIDDEN or not self._compounds:
            return False
        hit = self._valid.get(low)
        if hit is None:
            hit = self._compound(low, 0, "") or self._rule_compound(low, [], "")
            self._valid[low] = hit
        return hit

    def _common(self, low: str) -> bool:
        """Frequent in the word list and not the accent-less shadow of a far more frequent
        word ("pa" for "på"): a word without asking hunspell."""
        freq = self.known_frequency(low)
        if freq < 1e-6 or not low.isalpha():
            return False
        return not any(
            w != low and self.known_frequency(w) > 10 * freq for w in self.variants(fold(low))
        )

    # --- compounds, as hunspell-sv forms them ---

    def _compound(self, rest: str, depth: int, prev: str) -> bool:
        """Can `rest` end a compound (depth > 0) or be split into begin + middle* + end
        parts? Each adjacent pair must pass hunspell's compound checks."""
        if depth and self.roles(rest) & END and not self._bad_pair(prev, rest, last=True):
            return True
        if len(rest) < 2 * self._min:
            return False
        role = MIDDLE if depth else BEGIN
        for head in self.words.prefixes(rest):
            if not self._min <= len(head) <= len(rest) - self._min:
                continue
            if not self.roles(head) & role:
                continue
            if depth and self._bad_pair(prev, head, last=False):
                continue
            if self._compound(rest[len(head) :], depth + 1, head):
                return True
        if "SIMPLIFIEDTRIPLE" in self._checks:  # "fall" + "lucka" written "fallucka"
            for pos in range(self._min, len(rest) - self._min + 1):
                head = rest[:pos]
                if head[-1] != rest[pos] or not self.roles(head + head[-1]) & role:
                    continue
                if depth and self._bad_pair(prev, head, last=False):
                    continue
                if self._compound(rest[pos:], depth + 1, head):
                    return True
        return False

    def _rule_compound(self, rest: str, parts: list[int], prev: str) -> bool:
        """Compounds by COMPOUNDRULE patterns over dictionary roots (numerals and the like)."""
        if not self._rules:
            return False
        if parts:
            flags = self.roles(rest)
            if flags >> _RULE_SHIFT and not self._bad_pair(prev, rest, last=True):
                if any(_rule_match(rule, [*parts, flags], full=True) for rule in self._rules):
                    return True
        if len(rest) < 2 * self._min:
            return False
        for head in self.words.prefixes(rest):
            if not self._min <= len(head) <= len(rest) - self._min:
                continue
            flags = self.roles(head)
            if not flags >> _RULE_SHIFT:
                continue
            if parts and self._bad_pair(prev, head, last=False):
                continue
            seq = [*parts, flags]
            if any(_rule_match(rule, seq, full=False) for rule in self._rules):
                if self._rule_compound(rest[len(head) :], seq, head):
                    return True
        return False

    def _bad_pair(self, left: str, right: str, last: bool) -> bool:
        if f"{left} {right}" in self._spaced:
            return True
        if "CHECKCOMPOUNDTRIPLE" in self._checks and (
            len(set(left[-2:] + right[:1])) == 1 or len(set(left[-1:] + right[:2])) == 1
        ):
            return True
        if "CHECKCOMPOUNDDUP" in self._checks and last and left == right:
            return True
        if "CHECKCOMPOUNDREP" in self._checks:  # a common misspelling of a real word
            joined = left + right
            for pattern, replacement in self._rep:
                for match in pattern.finditer(joined):
                    candidate = joined[: match.start()] + replacement + joined[match.end() :]
                    if self.roles(candidate) & STANDALONE or candidate in self._spaced:
                        return True
        return False


def _compile_rule(rule: str, bit: dict[str, int]) -> list[tuple[int, str]]:
    """A COMPOUNDRULE such as ``4?5?4?23U*Y`` as (flag bit, quantifier) items."""
    items: list[tuple[int, str]] = []
    for c in rule:
        if c in "*?" and items:
            items[-1] = (items[-1][0], c)
        else:
            items.append((bit.get(c, 0), ""))
    return items


def _rule_match(rule: list[tuple[int, str]], parts: list[int], full: bool) -> bool:
    """Do the parts' flags match the rule (whole, or as a beginning)?"""

    def closure(states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            i = todo.pop()
            if i < len(rule) and rule[i][1] in ("*", "?") and i + 1 not in states:
                states.add(i + 1)
                todo.append(i + 1)
        return states

    states = closure({0})
    for flags in parts:
        step: set[int] = set()
        for i in states:
            if i < len(rule) and rule[i][0] & flags:
                step.add(i if rule[i][1] == "*" else i + 1)
        states = closure(step)
        if not states:
            return False
    return len(rule) in states if full else True


@functools.lru_cache(maxsize=4)
def word_lists(hunspell: Path = HUNSPELL_BASE) -> _WordLists:
    return _WordLists(hunspell)


class Lexicon:
    """General word lists with a domain lexicon on top; cheap to build after the first."""

    def __init__(self, domain: Iterable[DomainEntry] = (), hunspell: Path = HUNSPELL_BASE):
        self.base = word_lists(hunspell)
        self.domain: dict[str, str] = {}  # lower -> surface form with its capitals
        self.names: dict[str, str] = {}  # names that keep their capitals (not "länsstyrelsen")
        self._freq: dict[str, float] = {}
        self._by_key: dict[str, list[str]] = {}
        for entry in domain:
            for word in entry.word.split():
                low = word.lower()
                if " " not in entry.word or not self.base.known_frequency(low):
                    self.domain.setdefault(low, word)
                    common = self.base.roles(low) & LOWERCASE
                    if entry.kind in NAME_KINDS and word != low and not common:
                        self.names.setdefault(low, word)
                freq = 10 ** (entry.zipf - 9)
                if entry.kind == "colloquial":  # rarer in official prose than in the lists
                    self._freq[low] = freq
                    continue
                self._freq[low] = max(self._freq.get(low, 0.0), self.base.frequency(low), freq)
                if word.isalpha():
                    self._by_key.setdefault(fold(word), []).append(low)
        for key, words in self._by_key.items():
            merged = set(words) | set(self.base.variants(key))
            self._by_key[key] = sorted(merged, key=self.frequency, reverse=True)

    def part(self, key: str) -> str | None:
        """The most frequent compound part with this accent-free key."""
        return self.base.part(key)

    def proper(self, word: str) -> bool:
        """Is the word a name (in the domain lexicon, or capitalised only in hunspell)?"""
        low = word.lower()
        return low in self.names or self.base.roles(low) & (CAPITALISED | LOWERCASE) == CAPITALISED

    def is_part(self, word: str) -> bool:
        """May this word (as spelled) be the first or a middle part of a compound?"""
        low = word.lower()
        return bool(
            self.base.roles(low) & (BEGIN | MIDDLE) or self.base.known_frequency(low) >= 1e-6
        )

    def compound_parts(self, parts: Iterable[str]) -> bool:
        """Are these parts (a linking -s included) ones hunspell lets begin, continue and
        end a compound? For compounds built of parts that hunspell itself rejects whole."""
        *heads, tail = [p.lower() for p in parts]
        if not self.base.roles(tail) & END:
            return False
        for head in heads:
            roles = self.base.roles(head)
            if head.endswith("s") and not roles & (BEGIN | MIDDLE):
                roles = self.base.roles(head[:-1])
            if not roles & (BEGIN | MIDDLE):
                return False
        return True

    def stems(self, word: str) -> list[str]:
        """Known words the word begins with (its stem among them), longest first."""
        return sorted(self.base.words.prefixes(word.lower()), key=len, reverse=True)

    def frequency(self, word: str) -> float:
        """Relative frequency of a word (lower-cased); hunspell-only words get a floor."""
        low = word.lower()
        return self._freq.get(low) or self.base.frequency(low)

    def variants(self, key: str) -> list[str]:
        """All known words with this accent-free key, most frequent first."""
        return self._by_key.get(key) or self.base.variants(key)

    def surface(self, word: str) -> str:
        """The word with the capitals it always has (domain names: Södertörn, StorSthlm)."""
        return self.names.get(word.lower(), word)

    def valid(self, word: str, compound: bool = True) -> bool:
        """Is this a Swedish word (domain lexicon or hunspell; compounds only if asked)?"""
        low = word.lower()
        return low in self.domain or self.base.valid(low, compound)

    def trusted(self, word: str) -> bool:
        """A word the lists vouch for without hunspell: accented words in the frequency
        list (accent-less junk such as "fran" is common there, accented junk is not)."""
        low = word.lower()
        return low in self.domain or bool(
            ACCENTED & set(low) and self.frequency(low) >= 1e-8 and low.isalpha()
        )
