"""The batch section of scripts/benchmark.py (`--only batch`): `cleaner batch` throughput, overhead and memory.

- HTML: the AEB pages (the .html.gz files themselves, read by the batch code)
  through `run_batch`, the engine of `cleaner batch`, with 1 and 2 workers,
  next to trafilatura alone reading the same files in the same order.
- Text: a synthetic JSONL of seed-sized texts (built from training_data/
  articles with a headline list injected after the second paragraph and a
  dangling header at the end, the seed's shape) through `run_batch`, next to
  the bare `Cleaner.clean` loop and the bare `Cleaner.clean_each` loop (32
  texts a call, as the batch workers do) over the same texts; trafilatura has no
  plain-text mode, so it has no row here.
- Overhead: one worker's batch time per document over the bare clean_each
  call's (the same engine, no I/O), and over a hand-written loop that reads
  and writes the same JSONL around clean_each and does nothing else (so the
  difference is the batch machinery proper: timer, error records, order).
- Memory: `cleaner batch` on 1,000 and on 20,000 synthetic texts in a child
  process; peak RSS of the main process and of the largest worker.
- WARC: the cost of reading a page out of a .warc.gz (warcio), to set against
  the cost of cleaning it.

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
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_CHARS = 4576  # ../shared/seed/kursk-article.txt
Rows = list[tuple[str, str]]


TOGETHER = 32  # as cleaner.batch._CHUNK: documents per clean_each call


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


class Timings:
    """Per side and round: documents per second (wall clock) and CPU ms per
    document over all processes. Other work on the machine slows the wall
    clock of every side; CPU time barely moves with it, so it is reported too."""

    def __init__(self) -> None:
        self.rate: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def measure(self, name: str, n: int, fn: Callable[[], object]) -> None:
        start, start_cpu = time.perf_counter(), cpu_seconds()
        fn()
        self.rate.setdefault(name, []).append(n / (time.perf_counter() - start))
        self.cpu.setdefault(name, []).append((cpu_seconds() - start_cpu) * 1000 / n)

    def cell(self, name: str) -> str:
        rates, cpu = self.rate[name], self.cpu[name]
        return (f"{statistics.median(rates):.1f} docs/s (rounds {min(rates):.1f}–{max(rates):.1f}); "
                f"CPU {statistics.median(cpu):.2f} ms/doc")

    def ratio(self, a: str, b: str) -> str:
        """Median of the per-round wall-clock ratios a/b with their spread (same
        round, so the same machine load), and the ratio of median CPU per document."""
        per_round = [x / y for x, y in zip(self.rate[a], self.rate[b])]
        cpu = statistics.median(self.cpu[b]) / statistics.median(self.cpu[a])
        return f"{statistics.median(per_round):.2f} (rounds {min(per_round):.2f}–{max(per_round):.2f}); by CPU time {cpu:.2f}"

    def overhead(self, slow: str, fast: str) -> str:
        """How much more time per document `slow` takes than `fast`: median
        and spread of the per-round ratios, and the ratio of median CPU time."""
        per_round = [f / s - 1 for f, s in zip(self.rate[fast], self.rate[slow])]
        cpu = statistics.median(self.cpu[slow]) / statistics.median(self.cpu[fast]) - 1
        return f"{statistics.median(per_round):+.1%} (rounds {min(per_round):+.1%} to {max(per_round):+.1%}); by CPU time {cpu:+.1%}"

    def scaling(self, one: str, two: str) -> str:
        """Wall-clock speed-up of two workers, and its bound from CPU time:
        two idle cores can give at most 2 × (CPU/doc with one) / (CPU/doc with two)."""
        bound = 2 * statistics.median(self.cpu[one]) / statistics.median(self.cpu[two])
        per_round = [x / y for x, y in zip(self.rate[two], self.rate[one])]
        return f"{statistics.median(per_round):.2f} (rounds {min(per_round):.2f}–{max(per_round):.2f}); bound on 2 idle cores by CPU time {bound:.2f}"


def run_sides(sides: dict[str, Callable[[], object]], n: int, rounds: int) -> Timings:
    """Each side once per round, alternating, the order flipped every round."""
    timings = Timings()
    names = list(sides)
    for round_no in range(rounds):
        for name in names if round_no % 2 == 0 else reversed(names):
            timings.measure(name, n, sides[name])
    return timings


def batch_run(inputs: list[str], jobs: int, out: Path, expect: int) -> None:
    """`run_batch`, what `cleaner batch` calls, over inputs into a JSONL file."""
    from cleaner.batch_run import BatchJob, run_batch

    summary = run_batch(BatchJob(tuple(inputs), str(out), jobs=jobs))
    assert summary.documents == expect, (summary.documents, expect)


def html_rows(shared: Path, repeat: int, rounds: int, work: Path) -> Rows:
    import trafilatura

    folder = shared / "eval" / "aeb" / "html"
    files = sorted(folder.glob("*.html.gz"))
    inputs = [str(folder)] * repeat
    n = len(files) * repeat

    def trafilatura_alone() -> None:
        for _ in range(repeat):
            for file in files:
                trafilatura.extract(gzip.decompress(file.read_bytes()))

    batch_run([str(f) for f in files[:5]], 1, work / "warm.jsonl", 5)
    trafilatura.extract(gzip.decompress(files[0].read_bytes()))
    t = run_sides({
        "trafilatura": trafilatura_alone,
        "batch1": lambda: batch_run(inputs, 1, work / "html1.jsonl", n),
        "batch2": lambda: batch_run(inputs, 2, work / "html2.jsonl", n),
    }, n, rounds)
    return [
        (f"HTML: {n} AEB pages ({len(files)} × {repeat}, .html.gz files), trafilatura.extract alone, 1 process", t.cell("trafilatura")),
        ("HTML: `cleaner batch` engine, --jobs 1", t.cell("batch1")),
        ("HTML: `cleaner batch` engine, --jobs 2", t.cell("batch2")),
        ("HTML: jobs 1 / trafilatura alone (target ≥ 0.85)", t.ratio("batch1", "trafilatura")),
        ("HTML: jobs 2 / jobs 1 (target ≥ 1.7)", t.scaling("batch1", "batch2")),
    ]


def text_rows(n: int, rounds: int, work: Path) -> Rows:
    from cleaner import Cleaner

    texts = synthetic_texts(200)
    source = work / "texts.jsonl"
    write_jsonl(source, texts, n)
    docs = [json.loads(line)["text"] for line in source.open(encoding="utf-8")]
    cleaner = Cleaner()
    cleaner.model.classifier.lexical.prepare()  # as `cleaner batch` does before it starts

    def bare() -> None:
        for doc in docs:
            cleaner.clean(doc, kind="text")

    def bare_together() -> None:
        for start in range(0, len(docs), TOGETHER):
            cleaner.clean_each(docs[start: start + TOGETHER], kind="text")

    def by_hand() -> None:
        """What a user would write around clean_each without `cleaner batch`:
        the same JSONL in and out (orjson), 32 texts a call, and nothing else
        (no time limit, no error records, no ordering or resume care)."""
        import orjson

        with source.open("rb") as lines, (work / "by-hand.jsonl").open("wb") as out:
            records = [orjson.loads(line) for line in lines]
            for start in range(0, len(records), TOGETHER):
                chunk = records[start: start + TOGETHER]
                for record, result in zip(chunk, cleaner.clean_each([r["text"] for r in chunk], kind="text")):
                    out.write(orjson.dumps({"source": record["id"], **result.to_dict(include_text=True)}) + b"\n")

    for doc in docs[:20]:
        cleaner.clean(doc, kind="text")
    t = run_sides({
        "bare": bare,
        "bare_together": bare_together,
        "by_hand": by_hand,
        "batch1": lambda: batch_run([str(source)], 1, work / "text1.jsonl", n),
        "batch2": lambda: batch_run([str(source)], 2, work / "text2.jsonl", n),
    }, n, rounds)
    size = sum(map(len, texts)) / len(texts)
    return [
        (f"text: {n:,} synthetic seed-sized texts (mean {size:,.0f} chars), bare Cleaner.clean loop", t.cell("bare")),
        (f"text: the same, bare Cleaner.clean_each loop, {TOGETHER} texts per call (what batch workers call)", t.cell("bare_together")),
        ("text: `cleaner batch` engine, JSONL in and out, --jobs 1", t.cell("batch1")),
        ("text: `cleaner batch` engine, JSONL in and out, --jobs 2", t.cell("batch2")),
        ("text: jobs 2 / jobs 1 (target ≥ 1.7)", t.scaling("batch1", "batch2")),
        ("text: --jobs 1 speed over the bare Cleaner.clean loop", t.ratio("batch1", "bare")),
        ("text: a hand-written JSONL loop around clean_each (orjson in and out, 32 a call, nothing else)", t.cell("by_hand")),
        ("text: batch overhead per document over the bare clean_each call (no I/O), jobs 1 (target ≤ 10%)", t.overhead("batch1", "bare_together")),
        ("text: batch overhead per document over the hand-written JSONL loop, jobs 1", t.overhead("batch1", "by_hand")),
    ]


# The child reports its own peak from /proc (VmHWM): Linux keeps ru_maxrss
# across exec, so a child started by a large process (this benchmark, after
# its text rounds) would report the benchmark's size instead of its own, the
# same for 1,000 and 20,000 documents, and growth would go unseen. The workers
# are forked, not exec'd: RUSAGE_CHILDREN is theirs.
_MEMORY_CHILD = """
import resource, sys
from cleaner.cli import run
sys.argv = ["cleaner", "batch", *sys.argv[1:]]
try:
    run()
except SystemExit as exit:
    assert not exit.code, exit.code
try:
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
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


def write_warc(path: Path, pages: int) -> int:
    """A crawl-like .warc.gz from training_data/ articles: per page a request,
    an HTML response (~30 KB, with navigation and a script as real pages
    have), and for every tenth page an image response and a metadata record.
    Returns the HTML payload bytes."""
    import html as html_lib
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    articles = [p.read_text(encoding="utf-8").splitlines() for p in sorted((ROOT / "training_data" / "articles").rglob("*.md"))]
    nav = "".join(f'<li><a href="/section/{j}">Section {j}</a></li>' for j in range(200))
    script = "<script>var data = [" + ",".join(str(j) for j in range(4000)) + "];</script>"
    total = 0
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i in range(pages):
            uri = f"https://news.example/{i}"
            body = "".join(f"<p>{html_lib.escape(line.lstrip('#-> '))}</p>" for line in articles[i % len(articles)] if line.strip())
            page = f"<!doctype html><html><head><meta charset='utf-8'>{script}</head><body><nav><ul>{nav}</ul></nav><article>{body}</article></body></html>".encode()
            total += len(page)
            request = StatusAndHeaders(f"GET /{i} HTTP/1.1", [("Host", "news.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page), http_headers=headers))
            if i % 10 == 0:
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(uri + ".png", "response", payload=io.BytesIO(b"\x89PNG" + bytes(5000)), http_headers=image))
                writer.write_record(writer.create_warc_record(uri, "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\n"), warc_content_type="application/warc-fields"))
    return total


def warc_rows(pages: int, rounds: int, work: Path) -> Rows:
    """What reading a WARC costs per page, next to what cleaning the page costs."""
    from cleaner.warc import warc_pages

    archive = work / "crawl.warc.gz"
    size = write_warc(archive, pages)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        count = sum(1 for _ in warc_pages(archive))
        times.append((time.perf_counter() - start) * 1000 / count)
    return [(f"WARC: reading {count:,} HTML responses (mean {size / count / 1024:.0f} KB) from a .warc.gz with warcio, per page",
             f"{statistics.median(times):.2f} ms (rounds {min(times):.2f}–{max(times):.2f})")]


def batch_rows(shared: Path, rounds: int, repeat: int, text_docs: int, memory_sizes: tuple[int, int]) -> Iterator[Rows]:
    """The rows of each part as soon as it is measured (the whole takes minutes)."""
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        work = Path(tmp)
        yield warc_rows(3000, rounds, work)
        yield html_rows(shared, repeat, rounds, work)
        yield text_rows(text_docs, rounds, work)
        yield memory_rows(memory_sizes, work)
