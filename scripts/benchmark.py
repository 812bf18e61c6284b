"""Speed, load time, model size and memory of the cleaner against trafilatura alone.

    python scripts/benchmark.py [--shared ../shared] [--limit N] [--rounds R] [--text-docs N]
    python scripts/benchmark.py --only batch     # the batch section alone (scripts/batch_benchmark.py)
    python scripts/benchmark.py --only core --against-model OLD.joblib   # the bundled model against another

Everything runs in one process. The AEB pages are decompressed and decoded into
memory first, so only extraction is timed. Each side is warmed up on a few
documents, then the sides run alternately (the order flips every round, so
drift such as CPU frequency changes hits both equally) and the medians are
reported. Peak RSS is the process high-water mark after each phase; tracemalloc
peaks come from separate, untimed passes over a few documents, since tracing
slows Python code.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from cleaner.baselines import JUSTEXT, missing_reason  # noqa: E402
from cleaner.evaluation import import_object, load_aeb, load_seed  # noqa: E402

Pass = Callable[[str], Any]
Sides = dict[str, tuple[Pass, Sequence[str]]]
Rows = list[tuple[str, str]]
MB = 1024 * 1024


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="default: ../shared")
    parser.add_argument("--limit", type=int, help="use only the first N AEB pages")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per side (default 3)")
    parser.add_argument("--text-docs", type=int, default=200, help="seed copies for the text phase (default 200)")
    parser.add_argument("--trace-docs", type=int, default=10, help="documents per tracemalloc pass; 0 turns it off")
    parser.add_argument("--cleaner", default="cleaner:Cleaner", help="factory of the cleaner under test (MODULE:ATTR)")
    parser.add_argument("--models", type=Path, default=ROOT / "models", help="model folder to size (default: models)")
    parser.add_argument("--against-model", type=Path,
                        help="also time this model file (your own, so trusted) in the same rounds, on HTML and on unseen "
                             "text: a retrained model against the previous one, free of the machine's drift between runs")
    parser.add_argument("--only", choices=("all", "core", "batch"), default="all", help="core: one document at a time; batch: `cleaner batch` (default: both)")
    parser.add_argument("--batch-repeat", type=int, default=3, help="batch HTML input: the AEB folder this many times (default 3)")
    parser.add_argument("--batch-text-docs", type=int, default=10000,
                        help="synthetic seed-sized texts for batch throughput (default 10000: with 2000 a run lasts under a "
                             "second, and starting the workers is then a few per cent of it)")
    parser.add_argument("--memory-docs", default="1000,20000", help="document counts compared for peak memory (default 1000,20000)")
    return parser.parse_args(argv)


def peak_rss_mb() -> float:
    """Process high-water mark; ru_maxrss is KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024


def run_pass(fn: Pass, docs: Sequence[str]) -> float:
    """Seconds to run fn over every document."""
    start = time.perf_counter()
    for doc in docs:
        fn(doc)
    return time.perf_counter() - start


def traced_peak_mb(fn: Callable[[], Any], repeat: int = 2) -> float:
    """Peak Python allocation while fn runs, from the last of ``repeat`` traced runs.

    The first traced run of a code path can show a few MB of one-off
    allocations even after untraced warm-up, so it is discarded.
    """
    peak = 0
    for _ in range(repeat):
        tracemalloc.start()
        try:
            fn()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return peak / MB


def timed_rounds(sides: Sides, rounds: int) -> dict[str, list[float]]:
    """docs/s of each side per round, sides alternating and the order flipping each round."""
    rates: dict[str, list[float]] = {name: [] for name in sides}
    names = list(sides)
    for round_no in range(rounds):
        for name in names if round_no % 2 == 0 else reversed(names):
            fn, docs = sides[name]
            rates[name].append(len(docs) / run_pass(fn, docs))
    return rates


def model_files(folder: Path) -> tuple[int, list[str]]:
    """Total bytes and relative names of the files under the model folder."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return sum(p.stat().st_size for p in files), [str(p.relative_to(folder)) for p in files]


def rate_cell(rates: list[float]) -> str:
    median = statistics.median(rates)
    return f"{median:.1f} docs/s ({1000 / median:.2f} ms/doc; rounds {min(rates):.1f}–{max(rates):.1f})"


def cold_start_seconds(spec: str) -> float:
    """Import and first construction in a fresh interpreter: what a shell user
    waits for before the first page is cleaned. This process has imported too
    much already to measure it here."""
    module, _, attr = spec.partition(":")
    code = f"import time; t = time.perf_counter(); import {module}; {module}.{attr}(); print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def measure_load(args: argparse.Namespace, rows: Rows) -> tuple[Callable[[], Any], Any]:
    """Time a cold start and the first construction here; return the factory and the cleaner."""
    factory = import_object(args.cleaner)
    imported = time.perf_counter()
    cleaner = factory()
    loaded = time.perf_counter()
    size, names = model_files(args.models)
    rows.append(("cold start: import + first Cleaner() in a new process", f"{cold_start_seconds(args.cleaner):.3f} s"))
    rows.append(("model load: first Cleaner()", f"{loaded - imported:.3f} s"))
    rows.append(("model files", f"{size / MB:.2f} MB ({', '.join(names) or f'none under {args.models}'})"))
    rows.append(("peak RSS, after model load", f"{peak_rss_mb():.0f} MB"))
    return factory, cleaner


def measure_speed(sides: Sides, rounds: int, rows: Rows) -> None:
    """Warm each side up, then time them alternately."""
    for fn, docs in sides.values():
        run_pass(fn, docs[:5])
    rates = timed_rounds(sides, rounds)
    ratio = statistics.median(rates["html"]) / statistics.median(rates["trafilatura"])
    rows.append(("trafilatura.extract(html)", rate_cell(rates["trafilatura"])))
    rows.append(('Cleaner().clean(html, kind="html")', rate_cell(rates["html"])))
    rows.append(("speed ratio cleaner html / trafilatura", f"{ratio:.2f} (cleaner takes {1 / ratio:.2f}× the time)"))
    if "html_fast" in rates:
        fast = statistics.median(rates["html_fast"])
        rows.append(("trafilatura.extract(html, fast=True)", rate_cell(rates["trafilatura_fast"])))
        rows.append(('Cleaner(extract_options=ExtractOptions(fast=True)).clean(html) (--fast)', rate_cell(rates["html_fast"])))
        rows.append(("speed ratio cleaner --fast html / trafilatura (default settings)", f"{fast / statistics.median(rates['trafilatura']):.2f}"))
        rows.append(("speed ratio cleaner --fast html / trafilatura fast=True", f"{fast / statistics.median(rates['trafilatura_fast']):.2f}"))
    if "justext" in rates:
        versus = statistics.median(rates["html"]) / statistics.median(rates["justext"])
        rows.append(("jusText (default settings, stop words chosen per page; cleaner/baselines.py)", rate_cell(rates["justext"])))
        rows.append(("speed ratio cleaner html / jusText", f"{versus:.2f}"))
    rows.append(('Cleaner().clean(text, kind="text"), seed-sized, repeated (line cache warm)', rate_cell(rates["text"])))
    rows.append(('the same, every line unseen (line cache emptied before each document)', rate_cell(rates["text_first_sight"])))
    for name, label in (("text_together", f"{TOGETHER} seed-sized texts per call, repeated"),
                        ("text_together_first_sight", f"{TOGETHER} seed-sized texts per call, every line unseen"),
                        ("text_mixed_first_sight", f"{TOGETHER} distinct synthetic texts in 14 languages per call, every line unseen")):
        groups = sides[name][1]
        per_doc = [rate * sum(map(len, groups)) / len(groups) for rate in rates[name]]  # calls/s to docs/s
        rows.append((f"Cleaner().clean_each(texts), {label}", rate_cell(per_doc)))
    if "html_against" in rates:
        rows.extend(against_rows(rates))
    rows.append(("peak RSS, after timed rounds", f"{peak_rss_mb():.0f} MB"))


def against_rows(rates: dict[str, list[float]]) -> Rows:
    """The --against-model sides, and the cleaner under test over them round
    by round (each round times both, so drift cancels)."""
    rows: Rows = [("--against-model: clean(html)", rate_cell(rates["html_against"])),
                  ("--against-model: the same, over trafilatura", f"{statistics.median(rates['html_against']) / statistics.median(rates['trafilatura']):.2f}"),
                  ("--against-model: one unseen text per clean", rate_cell(rates["text_first_sight_against"]))]
    for side, label in (("html", "HTML"), ("text_first_sight", "unseen text")):
        per_round = [mine / theirs for mine, theirs in zip(rates[side], rates[f"{side}_against"])]
        rows.append((f"cleaner under test / --against-model, {label}",
                     f"{statistics.median(per_round):.2f} (rounds {min(per_round):.2f}–{max(per_round):.2f})"))
    return rows


def measure_allocations(factory: Callable[[], Any], sides: Sides, n: int, rows: Rows) -> None:
    """tracemalloc peaks of model construction and of each side over n documents."""
    rows.append(("tracemalloc peak, Cleaner()", f"{traced_peak_mb(factory):.1f} MB"))
    for name, (fn, docs) in sides.items():
        peak = traced_peak_mb(lambda: run_pass(fn, docs[:n]))
        unit = f"calls of {TOGETHER} docs" if name.startswith("text_together") else "docs"
        rows.append((f"tracemalloc peak, {name} pass over {min(n, len(docs))} {unit}", f"{peak:.1f} MB"))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print("| measure | value |\n| --- | --- |", flush=True)
    if args.only in ("all", "core"):
        print_rows(core_rows(args))
    if args.only in ("all", "batch"):
        from batch_benchmark import batch_rows

        small, large = (int(n) for n in args.memory_docs.split(","))
        for rows in batch_rows(args.shared, args.rounds, args.batch_repeat, args.batch_text_docs, (small, large)):
            print_rows(rows)
    return 0


def print_rows(rows: Rows) -> None:
    print("\n".join(f"| {measure} | {value} |" for measure, value in rows), flush=True)


TOGETHER = 32  # documents per clean_each call: what `cleaner batch` and clean_many pass


def first_sight_together(cleaner: Any, docs: list[str]) -> Any:
    """clean_each with the line cache emptied first (the copies in one call
    are all computed: a line is looked up before the call, not during it)."""
    cleaner.model.classifier.forget_lines()
    return cleaner.clean_each(docs, kind="text")


def first_sight(cleaner: Any, doc: str) -> Any:
    """Clean with the scorer's per-line cache emptied first: what a document
    whose lines the process has never seen costs (the seed copies repeat)."""
    cleaner.model.classifier.forget_lines()
    return cleaner.clean(doc, kind="text")


def mixed_groups(n: int = 320) -> list[list[str]]:
    """n distinct seed-shaped texts from training_data/, TOGETHER per group."""
    from batch_benchmark import synthetic_texts

    texts = synthetic_texts(n, seed=11)
    return [texts[i: i + TOGETHER] for i in range(0, len(texts), TOGETHER)]


def core_rows(args: argparse.Namespace) -> Rows:
    """One document at a time: load, speed against trafilatura, memory."""
    pages = [page.html for page in load_aeb(args.shared, args.limit)]
    texts = [load_seed(args.shared).text] * args.text_docs
    groups = [texts[i: i + TOGETHER] for i in range(0, len(texts), TOGETHER)]
    rows: Rows = [
        ("documents", f"{len(pages)} AEB pages ({sum(map(len, pages)) / MB:.1f} MB), {len(texts)} seed-sized texts"),
        ("peak RSS, trafilatura imported, inputs in memory", f"{peak_rss_mb():.0f} MB"),
    ]
    run_pass(trafilatura.extract, pages[:5])
    rows.append(("peak RSS, after trafilatura warm-up", f"{peak_rss_mb():.0f} MB"))
    factory, cleaner = measure_load(args, rows)
    # The steady state: what `cleaner batch` sets up before it starts and a
    # long in-process run reaches by itself (the hash table and the sparse
    # product are built once enough lines have asked for them).
    cleaner.model.classifier.lexical.prepare()
    from cleaner import Cleaner, ExtractOptions

    fast = Cleaner(extract_options=ExtractOptions(fast=True))  # the bundled model, as --fast runs it
    sides: Sides = {
        "trafilatura": (trafilatura.extract, pages),
        "html": (lambda doc: cleaner.clean(doc, kind="html"), pages),
        "trafilatura_fast": (lambda doc: trafilatura.extract(doc, fast=True), pages),
        "html_fast": (lambda doc: fast.clean(doc, kind="html"), pages),
        "text": (lambda doc: cleaner.clean(doc, kind="text"), texts),
        "text_first_sight": (lambda doc: first_sight(cleaner, doc), texts),
        "text_together": (lambda group: cleaner.clean_each(group, kind="text"), groups),
        "text_together_first_sight": (lambda group: first_sight_together(cleaner, group), groups),
        # The seed is one English page: distinct pages in many languages and
        # scripts are what a crawl brings (synthetic, from training_data/).
        "text_mixed_first_sight": (lambda group: first_sight_together(cleaner, group), mixed_groups()),
    }
    if args.against_model:
        other = Cleaner(model_path=args.against_model, trust_model=True)
        other.model.classifier.lexical.prepare()
        sides["html_against"] = (lambda doc: other.clean(doc, kind="html"), pages)
        sides["text_first_sight_against"] = (lambda doc: first_sight(other, doc), texts)
    if missing_reason("justext") is None:
        sides["justext"] = (lambda doc: JUSTEXT.run(doc, "html"), pages)
    measure_speed(sides, args.rounds, rows)
    if args.trace_docs > 0:
        measure_allocations(factory, sides, args.trace_docs, rows)
    return rows


if __name__ == "__main__":
    sys.exit(main())
