"""Evaluate diacritic repair (issue 3): what each mechanism earns, and how fast it is.

Prints, for a pairs file (`damaged<TAB>correct`, default ../shared/reference/dev-pairs.tsv):
word error rate before/after, precision and recall of the changes, the share of words
changed in clean Swedish text, and the same figures with each mechanism switched off in
turn. Then a held-out check: Swedish text written for this purpose and never tuned on
(tests/data/correction/heldout.txt) is rendered, read with `tesseract -l eng`, corrected
and scored against its truth. `--benchmark` times start-up and a 40-page document in a
fresh process; `--confusions` prints character confusion counts from OCR of the tuning
text (to re-estimate corrections/confusions.tsv).

    .venv/bin/python scripts/evaluate_correction.py [--pairs FILE] [--no-ocr] [--benchmark]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.correct import MECHANISMS, Corrector  # noqa: E402
from pipeline.evaluate import wer  # noqa: E402

DATA = ROOT / "tests" / "data" / "correction"
DEFAULT_PAIRS = ROOT.parent / "shared" / "reference" / "dev-pairs.tsv"
FONTS = {
    "dejavu-sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "liberation-sans": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "liberation-serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "noto-sans-mono": "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
    # never used for tuning: a check that the corrector is not fitted to the fonts above
    "nimbus-sans": "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
    "c059": "/usr/share/fonts/opentype/urw-base35/C059-Roman.otf",
    "p052": "/usr/share/fonts/opentype/urw-base35/P052-Roman.otf",
}
TUNING_FONTS = (
    "dejavu-sans",
    "dejavu-serif",
    "liberation-sans",
    "liberation-serif",
    "noto-sans-mono",
)
TUNING_TEXTS = ("tune.txt", "tune2.txt", "tune3.txt")
TARGETS = frozenset("åäöé§")


def read_pairs(path: Path) -> tuple[list[str], list[str]]:
    damaged, truth = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            a, b = line.split("\t", 1)
            damaged.append(a)
            truth.append(b)
    return damaged, truth


def clean_texts() -> list[str]:
    """Clean Swedish for the precision check: our own written texts and the samples'
    ground truth (whatever exists)."""
    lines = []
    for path in sorted(DATA.glob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    for truth in sorted((ROOT / "samples" / "truth").glob("*.json")):
        data = json.loads(truth.read_text(encoding="utf-8"))
        for page in data.get("pages", []):
            lines += page.get("text", "").splitlines()
    return lines


def change_counts(damaged: list[str], output: list[str], truth: list[str]) -> tuple[int, int, int]:
    """(words that needed a change, words changed, words changed to the right form).

    Words are aligned damaged->truth and damaged->output; unequal blocks (splits) count
    as one unit compared by their joined text."""
    needed = changed = good = 0
    for d, o, t in zip(damaged, output, truth, strict=True):
        dw, ow, tw = d.split(), o.split(), t.split()
        to_truth = _units(dw, tw)
        to_out = _units(dw, ow)
        for span, target in to_truth.items():
            got = to_out.get(span, " ".join(dw[span[0] : span[1]]))
            source = " ".join(dw[span[0] : span[1]])
            needed += source != target
            if got != source:
                changed += 1
                good += got == target
        changed += sum(
            1 for s, g in to_out.items() if s not in to_truth and g != " ".join(dw[s[0] : s[1]])
        )
    return needed, changed, good


def _units(source: list[str], target: list[str]) -> dict[tuple[int, int], str]:
    units: dict[tuple[int, int], str] = {}
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(source, target).as_list():
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                units[(i1 + k, i1 + k + 1)] = target[j1 + k]
        elif i2 > i1:
            units[(i1, i2)] = " ".join(target[j1:j2])
    return units


def measure(corrector: Corrector, damaged: list[str], truth: list[str], clean: list[str]) -> dict:
    output, _ = corrector.correct_lines(damaged)
    needed, changed, good = change_counts(damaged, output, truth)
    clean_out, _ = corrector.correct_lines(clean)
    clean_words = sum(len(line.split()) for line in clean)
    clean_changed = sum(
        sum(1 for a, b in zip(x.split(), y.split(), strict=False) if a != b)
        + abs(len(x.split()) - len(y.split()))
        for x, y in zip(clean, clean_out, strict=True)
    )
    return {
        "wer_before": wer(" ".join(damaged), " ".join(truth)),
        "wer_after": wer(" ".join(output), " ".join(truth)),
        "precision": good / changed if changed else 1.0,
        "recall": good / needed if needed else 1.0,
        "clean_changed": clean_changed / clean_words if clean_words else 0.0,
        "clean_words": clean_words,
        "output": output,
        "clean_diff": [(x, y) for x, y in zip(clean, clean_out, strict=True) if x != y],
    }


def render_ocr(lines: list[str], font: str, lang: str = "eng", size: int = 36) -> list[str]:
    """Render lines with Pillow (one text line per line) and read them back with tesseract."""
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(FONTS[font], size)
    height = int(size * 1.6)
    width = max(int(face.getlength(line)) for line in lines) + 120
    image = Image.new("L", (width, height * len(lines) + 100), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 50 + i * height), line, font=face, fill=0)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        image.save(png, dpi=(300, 300))
        result = subprocess.run(
            ["tesseract", str(png), "-", "-l", lang, "--psm", "6"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    return [line for line in result.stdout.splitlines() if line.strip()]


def pct(x: float) -> str:
    return f"{100 * x:5.2f}%"


def report_ablation(
    damaged: list[str], truth: list[str], clean: list[str], folder: str | None
) -> None:
    print(
        f"{'configuration':<22}{'WER after':>10}{'precision':>11}{'recall':>9}{'clean changed':>15}"
    )
    for off in (None, *MECHANISMS):
        corrector = Corrector(folder, disabled=() if off is None else (off,))
        m = measure(corrector, damaged, truth, clean)
        label = "all mechanisms" if off is None else f"without {off}"
        print(
            f"{label:<22}{pct(m['wer_after']):>10}{pct(m['precision']):>11}{pct(m['recall']):>9}"
            f"{pct(m['clean_changed']):>15}"
        )


HELD_OUT = {
    # Each was written as a blind test, measured once, and only then were its residual
    # errors read (the fixes made were general, but none is blind any more). Blind
    # averages over the 16 renderings: heldout3 1.41%; heldout4 (skola, socialtjänst,
    # kultur, vatten, upphandling) 1.23%; heldout5 (krisberedskap, äldreomsorg,
    # digitalisering, trafik, bostäder) 0.88% (0.48-1.43%), measured after the heldout4 round;
    # heldout6 (folkhälsa, arbetsmarknad, miljö, ekonomi) 0.98% (0.73-2.55%) after that;
    # heldout7 (besöksnäring, friluftsliv, kompetensförsörjning, bredband) 1.19% (0.81-2.02%);
    # heldout8 (trygghet, klimatanpassning, energi, medborgardialog) 0.72% (0.30-1.48%), the
    # last, measured on the final corrector and not used for any change.
    "heldout.txt": "seen",
    "heldout2.txt": "seen",
    "heldout3.txt": "seen",
    "heldout4.txt": "seen",
    "heldout5.txt": "seen",
    "heldout6.txt": "seen",
    "heldout7.txt": "seen",
    "heldout8.txt": "blind when measured (0.72%); its errors were read but not acted on",
}
HELD_OUT_SIZES = (36, 44)  # pixels at 300 dpi: about 9 and 10.5 point type


def heldout(corrector: Corrector, show: bool = False) -> None:
    """Fresh `tesseract -l eng` of Swedish text kept out of tuning, corrected and scored,
    in every font (the last three were never used for tuning) at two type sizes."""
    for name, status in HELD_OUT.items():
        path = DATA / name
        truth = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        print(f"\nHeld-out {name} ({status}): fresh tesseract -l eng OCR, corrected")
        scores = []
        for font in FONTS:
            if not Path(FONTS[font]).is_file():
                continue
            cells = []
            for size in HELD_OUT_SIZES:
                ocr = render_ocr(truth, font, size=size)
                fixed, _ = corrector.correct_lines(ocr)
                before = wer(" ".join(ocr), " ".join(truth))
                after = wer(" ".join(fixed), " ".join(truth))
                scores.append(after)
                cells.append(f"{size}px {pct(before)} -> {pct(after)}")
                for a, b in zip(fixed, truth, strict=False):
                    if show and a.split() != b.split():
                        print(f"      got:  {a}\n      want: {b}")
            print(f"  {font:<17} WER " + "   ".join(cells))
        if scores:
            print(f"  {'average':<17} WER after {pct(sum(scores) / len(scores))}")


BENCHMARK_CHILD = """
import json, sys, time
started = time.perf_counter()
from pipeline.correct import Corrector
corrector = Corrector(sys.argv[1] or None)
startup = time.perf_counter() - started
lines = [line for line in open(sys.argv[2], encoding="utf-8").read().splitlines() if line.strip()]
document = (lines * (1 + 1800 // len(lines)))[:1800]
started = time.perf_counter()
corrector.correct_lines(document)
first = time.perf_counter() - started
started = time.perf_counter()
corrector.correct_lines(document)
again = time.perf_counter() - started
words = len(set(" ".join(lines).split()))
print(json.dumps({"startup": startup, "first": first, "again": again, "words": words}))
"""


def benchmark(folder: str | None) -> None:
    """A 40-page document (1800 lines, 45 a page) of legacy OCR text, the reference text's
    lines cycled, corrected in a fresh process: start-up (imports, tokenizer, lexicon from
    its disk cache), the first document (cold look-up caches) and the next one. Also the
    one-off build of the lexicon cache, in a process with an empty cache folder."""
    source = ROOT.parent / "shared" / "reference" / "verksamhetsplan-2019-legacy-ocr.txt"

    def run(env: dict[str, str]) -> dict:
        result = subprocess.run(
            [sys.executable, "-c", BENCHMARK_CHILD, folder or "", str(source)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        return json.loads(result.stdout.splitlines()[-1])

    with tempfile.TemporaryDirectory() as empty:
        cold = run({**os.environ, "XDG_CACHE_HOME": empty})
    runs = [run(dict(os.environ)) for _ in range(3)]
    best = {k: min(r[k] for r in runs) for k in ("startup", "first", "again")}
    print(
        f"\nBenchmark (fresh process, best of 3): start-up {best['startup']:.2f} s; 40 pages "
        f"(1800 lines, {runs[0]['words']} distinct words): first document {best['first']:.2f} s, "
        f"next document {best['again']:.2f} s. Start-up building the lexicon cache "
        f"(once per machine): {cold['startup']:.2f} s"
    )


def _changed_blocks(got: str, want: str) -> list[tuple[str, str]]:
    """Aligned (OCR, truth) segments that differ; neighbouring edits joined into one block,
    so "dé" read for "ö" counts as one confusion."""
    blocks: list[list[int]] = []
    last_equal = True
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(got, want).as_list():
        if tag == "equal":
            last_equal = True
        elif last_equal or not blocks:
            blocks.append([i1, i2, j1, j2])
            last_equal = False
        else:
            blocks[-1][1], blocks[-1][3] = i2, j2
    return [(got[i1:i2], want[j1:j2]) for i1, i2, j1, j2 in blocks]


def confusions(sizes: tuple[int, ...] = (32, 40, 48), min_count: int = 2) -> None:
    """Estimate confusions.tsv weights: the tuning texts rendered in the tuning fonts and
    sizes, read with tesseract -l eng, aligned with the truth; weight = how often OCR printed
    `observed` for an intended å/ä/ö/é/§ (share of all occurrences of that character)."""
    counts: Counter[tuple[str, str]] = Counter()
    intended: Counter[str] = Counter()
    for name in TUNING_TEXTS:
        truth = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]
        for font in TUNING_FONTS:
            for size in sizes:
                ocr = render_ocr(truth, font, "eng", size=size)
                if len(ocr) != len(truth):
                    continue  # lines merged or lost: no line alignment
                for got, want in zip(ocr, truth, strict=True):
                    intended.update(c for c in want.lower() if c in TARGETS)
                    for observed, target in _changed_blocks(got, want):
                        target = target.lower()
                        if len(target) == 1 and target in TARGETS and len(observed) <= 2:
                            counts[(observed.lower(), target)] += 1
    print(f"# estimated from {sum(intended.values())} intended characters: {dict(intended)}")
    for (observed, target), n in sorted(counts.items(), key=lambda x: (x[0][1], -x[1])):
        if n >= min_count and observed:
            print(f"{observed}\t{target}\t{n / intended[target]:.3f}\t# {n}/{intended[target]}")


def swe_residuals(folder: str | None) -> None:
    """The correction must not make tesseract -l swe output worse: each narrative or
    agreement page of the samples rendered at 300 dpi, read with -l swe, corrected (a
    document's pages together) and compared with its truth (CER before -> after)."""
    import pypdfium2

    from pipeline.evaluate import cer, fold_whitespace

    corrector = Corrector(folder)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    print("\nResidual errors of tesseract -l swe on the sample scans (CER before -> after)")
    for truth_path in sorted((ROOT / "samples" / "truth").glob("*.json")):
        data = json.loads(truth_path.read_text(encoding="utf-8"))
        pdf_path = ROOT / "samples" / str(data.get("file", ""))
        pages = [
            p
            for p in data.get("pages", [])
            if p.get("layout") in ("narrative", "agreement") and pdf_path.is_file()
        ]
        if not pages:
            continue
        pdf = pypdfium2.PdfDocument(str(pdf_path))
        texts = []
        with tempfile.TemporaryDirectory() as tmp:
            for page in pages:
                image = pdf[page["number"] - 1].render(scale=300 / 72).to_pil().convert("L")
                image = image.rotate(page.get("rotation", 0), expand=True, fillcolor=255)
                png = Path(tmp) / f"page{page['number']}.png"
                image.save(png, dpi=(300, 300))
                result = subprocess.run(
                    ["tesseract", str(png), "-", "-l", "swe"],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                )
                texts.append(result.stdout.splitlines())
        fixed_all, records = corrector.correct_lines([line for text in texts for line in text])
        offset = 0
        for page, lines in zip(pages, texts, strict=True):
            fixed = fixed_all[offset : offset + len(lines)]
            offset += len(lines)
            truth = fold_whitespace(page["text"])
            before = cer(fold_whitespace("\n".join(lines)), truth)
            after = cer(fold_whitespace("\n".join(fixed)), truth)
            changed = [(a, b) for a, b in zip(lines, fixed, strict=True) if a != b]
            print(
                f"  {data['file']:<26} p{page['number']} {page['layout']:<9} "
                f"{page['condition']:<12} CER {pct(before)} -> {pct(after)}  "
                f"({len(changed)} lines changed)"
            )
            for a, b in changed:
                print(f"      {a}\n   -> {b}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--corrections", default=None, help="correction data folder")
    parser.add_argument("--no-ocr", action="store_true", help="skip the held-out OCR check")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--benchmark", action="store_true")
    parser.add_argument("--confusions", action="store_true")
    parser.add_argument("--swe", action="store_true", help="residuals of -l swe on the samples")
    parser.add_argument("--show", action="store_true", help="print lines still wrong")
    args = parser.parse_args()
    if args.confusions:
        confusions()
        return
    if args.swe:
        swe_residuals(args.corrections)
        return
    damaged, truth = read_pairs(args.pairs)
    clean = clean_texts()
    corrector = Corrector(args.corrections)
    m = measure(corrector, damaged, truth, clean)
    print(f"Pairs {args.pairs} ({len(damaged)} lines)")
    print(
        f"  WER before {pct(m['wer_before'])}  after {pct(m['wer_after'])}  "
        f"precision {pct(m['precision'])}  recall {pct(m['recall'])}"
    )
    print(f"Clean text: {pct(m['clean_changed'])} of {m['clean_words']} words changed")
    for a, b in m["clean_diff"]:
        print(f"    {a}\n -> {b}")
    if args.show:
        for out, want in zip(m["output"], truth, strict=True):
            if out.split() != want.split():
                print(f"      got:  {out}\n      want: {want}")
    if not args.no_ablation:
        print()
        report_ablation(damaged, truth, clean, args.corrections)
    if not args.no_ocr:
        heldout(corrector, args.show)
    if args.benchmark:
        benchmark(args.corrections)


if __name__ == "__main__":
    main()
