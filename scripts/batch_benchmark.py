"""The batch section of scripts/benchmark.py (`--only batch`): `cleaner batch` throughput, overhead and memory.

- HTML: the AEB pages (the .html.gz files themselves, read by the batch code)
  through `run_batch`, the engine of `cleaner batch`, with 1 and 2 workers,
  next to trafilatura alone reading the same files in the same order.
- Text: a synthetic JSONL of seed-sized texts (built from training_data/
  articles with a headline list injected after the second paragraph and a
  dangling header at the end, the seed's shape) through `run_batch`, next to
  the bare `Cleaner.clean` loop over the same texts; trafilatura has no
  plain-text mode, so it has no row here.
- Overhead: one worker's batch time per document over the bare call's.
- Memory: `cleaner batch` on 1,000 and on 20,000 synthetic texts in a child
  process; peak RSS of the main process and of the largest worker.

Sides alternate within each round and the order flips every round; medians
and the min-max spread over rounds are reported.
"""

from __future__ import annotations

import gzip
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_CHARS = 4576  # ../shared/seed/kursk-article.txt
Rows = list[tuple[str, str]]


def synthetic_texts(n: int, seed: int = 3) -> list[str]:
    """n distinct seed-shaped texts from training_data/ (never from ../shared)."""
    from cleaner.training.compose import headline_list
    from cleaner.training.sources import load_sources

    sources = load_sources(ROOT / "training_data")
    rng = random.Random(seed)
    articles = [(lang, lines) for lang, items in sources.articles.items() for _, lines in items]
    texts = []
    for _ in range(n):
        lang, _ = rng.choice(articles)
        same_lang = [a for l, a in articles if l == lang]
        lines = [rng.choice(same_lang)[0].text]  # a title, then paragraphs: the seed's shape
        while sum(map(len, lines)) < SEED_CHARS - 700:
            lines += [line.text for line in rng.choice(same_lang) if line.role == "para"][:4]
        junk = headline_list(sources, lang, rng).lines
        dangling = rng.choice(sources.headers.get(lang) or sources.headers["en"])
        texts.append("\n".join([*lines[:3], *junk, *lines[3:], dangling]))
    return texts


def write_jsonl(path: Path, texts: list[str], n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"doc-{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_batch_rate(inputs: list[str], jobs: int, out: Path, expect: int, cpu: list[float] | None = None) -> float:
    """docs/s of `run_batch` (what `cleaner batch` calls) over inputs into a
    JSONL file; appends the CPU ms per document (all processes) to `cpu`."""
    from cleaner.batch_run import BatchJob, run_batch

    start, start_cpu = time.perf_counter(), cpu_seconds()
    summary = run_batch(BatchJob(tuple(inputs), str(out), jobs=jobs))
    seconds = time.perf_counter() - start
    assert summary.documents == expect, (summary.documents, expect)
    if cpu is not None:
        cpu.append((cpu_seconds() - start_cpu) * 1000 / expect)
    return expect / seconds


def cpu_row(kind: str, cpu: dict[int, list[float]]) -> tuple[str, str]:
    """CPU per document with 1 and 2 workers: what the speed-up on two idle
    cores can be at most, whatever else the machine was running meanwhile."""
    one, two = statistics.median(cpu[1]), statistics.median(cpu[2])
    return (f"{kind}: CPU per document, all processes, jobs 1 / jobs 2 (2 × ratio = speed-up bound on 2 idle cores)",
            f"{one:.2f} / {two:.2f} ms (bound {2 * one / two:.2f}×)")


def alternate(sides: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {name: [] for name in sides}
    names = list(sides)
    for round_no in range(rounds):
        for name in names if round_no % 2 == 0 else reversed(names):
            rates[name].append(sides[name]())
    return rates


def cell(rates: list[float]) -> str:
    return f"{statistics.median(rates):.1f} docs/s (rounds {min(rates):.1f}–{max(rates):.1f})"


def ratio(rates: dict[str, list[float]], a: str, b: str) -> str:
    """Median of the per-round ratios a/b, with their spread (same round, same machine load)."""
    per_round = [x / y for x, y in zip(rates[a], rates[b])]
    return f"{statistics.median(per_round):.2f} (rounds {min(per_round):.2f}–{max(per_round):.2f})"


def html_rows(shared: Path, repeat: int, rounds: int, work: Path) -> Rows:
    import trafilatura

    folder = shared / "eval" / "aeb" / "html"
    files = sorted(folder.glob("*.html.gz"))
    inputs = [str(folder)] * repeat
    n = len(files) * repeat

    def trafilatura_alone() -> float:
        start = time.perf_counter()
        for _ in range(repeat):
            for file in files:
                trafilatura.extract(gzip.decompress(file.read_bytes()))
        return n / (time.perf_counter() - start)

    cpu: dict[int, list[float]] = {1: [], 2: []}
    sides = {
        "trafilatura": trafilatura_alone,
        "batch1": lambda: run_batch_rate(inputs, 1, work / "html1.jsonl", n, cpu[1]),
        "batch2": lambda: run_batch_rate(inputs, 2, work / "html2.jsonl", n, cpu[2]),
    }
    run_batch_rate([str(f) for f in files[:5]], 1, work / "warm.jsonl", 5)
    trafilatura.extract(gzip.decompress(files[0].read_bytes()))
    rates = alternate(sides, rounds)
    return [
        (f"HTML: {n} AEB pages ({len(files)} × {repeat}), trafilatura.extract alone, 1 process", cell(rates["trafilatura"])),
        ("HTML: `cleaner batch` engine, --jobs 1", cell(rates["batch1"])),
        ("HTML: `cleaner batch` engine, --jobs 2", cell(rates["batch2"])),
        ("HTML: jobs 1 / trafilatura alone (target ≥ 0.85)", ratio(rates, "batch1", "trafilatura")),
        ("HTML: jobs 2 / trafilatura alone", ratio(rates, "batch2", "trafilatura")),
        ("HTML: jobs 2 / jobs 1 (target ≥ 1.7)", ratio(rates, "batch2", "batch1")),
        cpu_row("HTML", cpu),
    ]


def text_rows(n: int, rounds: int, work: Path) -> Rows:
    from cleaner import Cleaner

    texts = synthetic_texts(200)
    source = work / "texts.jsonl"
    write_jsonl(source, texts, n)
    docs = [json.loads(line)["text"] for line in source.open(encoding="utf-8")]
    cleaner = Cleaner()

    def bare() -> float:
        start = time.perf_counter()
        for doc in docs:
            cleaner.clean(doc, kind="text")
        return n / (time.perf_counter() - start)

    cpu: dict[int, list[float]] = {1: [], 2: []}
    sides = {
        "bare": bare,
        "batch1": lambda: run_batch_rate([str(source)], 1, work / "text1.jsonl", n, cpu[1]),
        "batch2": lambda: run_batch_rate([str(source)], 2, work / "text2.jsonl", n, cpu[2]),
    }
    for doc in docs[:20]:
        cleaner.clean(doc, kind="text")
    rates = alternate(sides, rounds)
    overhead = [b / o - 1 for b, o in zip(rates["bare"], rates["batch1"])]
    size = sum(map(len, texts)) / len(texts)
    return [
        (f"text: {n:,} synthetic seed-sized texts (mean {size:,.0f} chars), bare Cleaner.clean loop", cell(rates["bare"])),
        ("text: `cleaner batch` engine, JSONL in and out, --jobs 1", cell(rates["batch1"])),
        ("text: `cleaner batch` engine, JSONL in and out, --jobs 2", cell(rates["batch2"])),
        ("text: jobs 2 / jobs 1 (target ≥ 1.7)", ratio(rates, "batch2", "batch1")),
        cpu_row("text", cpu),
        ("text: batch overhead per document over the bare call, jobs 1 (target ≤ 10%)",
         f"{statistics.median(overhead):+.1%} (rounds {min(overhead):+.1%} to {max(overhead):+.1%})"),
    ]


_MEMORY_CHILD = """
import resource, sys
from cleaner.cli import run
sys.argv = ["cleaner", "batch", *sys.argv[1:]]
try:
    run()
except SystemExit as exit:
    assert not exit.code, exit.code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss(args: list[str]) -> tuple[float, float]:
    """(main, largest worker) peak RSS in MB of `cleaner batch ARGS` in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    main, children = done.stdout.split()[-2:]
    return int(main) / 1024, int(children) / 1024


def memory_rows(sizes: tuple[int, int], work: Path) -> Rows:
    texts = synthetic_texts(200)
    rows: Rows = []
    for mode in ([], ["--unordered"]):
        peaks = {}
        for n in sizes:
            source = work / f"mem{n}.jsonl"
            if not source.exists():
                write_jsonl(source, texts, n)
            peaks[n] = peak_rss([str(source), "-o", str(work / "mem-out.jsonl"), "--jobs", "2", "--quiet", *mode])
        (small, large) = sizes
        label = "unordered" if mode else "ordered"
        growth_main = peaks[large][0] / peaks[small][0] - 1
        growth_worker = peaks[large][1] / peaks[small][1] - 1
        rows.append((f"peak RSS, `cleaner batch --jobs 2` ({label}), main / largest worker: {small:,} texts", f"{peaks[small][0]:.0f} / {peaks[small][1]:.0f} MB"))
        rows.append((f"peak RSS, same ({label}): {large:,} texts", f"{peaks[large][0]:.0f} / {peaks[large][1]:.0f} MB ({growth_main:+.1%} / {growth_worker:+.1%}; target within 10%)"))
    return rows


def batch_rows(shared: Path, rounds: int, repeat: int, text_docs: int, memory_sizes: tuple[int, int]) -> Rows:
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        work = Path(tmp)
        rows = html_rows(shared, repeat, rounds, work)
        rows += text_rows(text_docs, rounds, work)
        rows += memory_rows(memory_sizes, work)
    return rows
