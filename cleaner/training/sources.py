"""Read the authored sources in training_data/ (format: training_data/FORMAT.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

_PREFIXES = (("# ", "title"), ("## ", "sub"), ("- ", "ul"), ("> ", "quote"))
_ORDERED = re.compile(r"^\d{1,3}[.)]\s+")
_TABLE_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")  # "| --- | --- |": the row above is a header
TABLE_ROLES = ("thead", "row")
CELL_SEPARATOR = " | "  # between a table row's cells, as `extract.py` renders them
BOILERPLATE_FILES = ("read_more", "promo", "ad", "share", "meta", "comments", "legal")


@dataclass(frozen=True, slots=True)
class Line:
    role: str  # title | sub | ul | ol | quote | para | thead | row (table rows: cells joined by CELL_SEPARATOR)
    text: str


@dataclass(slots=True)
class Sources:
    """Everything the composer draws from, by language."""

    articles: dict[str, list[tuple[str, list[Line]]]] = field(default_factory=dict)
    hard_negatives: dict[str, list[list[Line]]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    teasers: dict[str, list[str]] = field(default_factory=dict)
    boilerplate: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)
    _vocabulary: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _hard_pools: dict[str, tuple[list[list[Line]], list[list[Line]]] | None] = field(default_factory=dict, repr=False)

    def vocabulary(self, lang: str) -> list[str]:
        """Words of the articles in `lang`, for generating odd content lines."""
        if lang not in self._vocabulary:
            words = {w.strip(".,;:!?\"“”„«»()'’") for _, lines in self.articles.get(lang, []) for l in lines for w in l.text.split()}
            self._vocabulary[lang] = sorted(w for w in words if len(w) > 2 and w.isalpha())
        return self._vocabulary[lang]

    def hard_negative_pools(self, lang: str) -> tuple[list[list[Line]], list[list[Line]]] | None:
        """The hard negatives of `lang` (English ones if it has none), split
        into (tables, the rest) once; None when there are none."""
        if lang not in self._hard_pools:
            units = self.hard_negatives.get(lang) or self.hard_negatives.get("en")
            self._hard_pools[lang] = ([u for u in units if u[-1].role in TABLE_ROLES],
                                      [u for u in units if u[-1].role not in TABLE_ROLES]) if units else None
        return self._hard_pools[lang]

    @property
    def languages(self) -> list[str]:
        return sorted(lang for lang, articles in self.articles.items() if articles)


def parse_line(raw: str) -> Line:
    if raw.startswith("|"):
        return Line("row", table_cells(raw))
    for prefix, role in _PREFIXES:
        if raw.startswith(prefix):
            return Line(role, raw[len(prefix):].strip())
    match = _ORDERED.match(raw)
    if match:
        return Line("ol", raw[match.end():].strip())
    return Line("para", raw.strip())


def table_cells(raw: str) -> str:
    """A Markdown table row's cells, joined by CELL_SEPARATOR without the
    outer bars (the way extraction renders a table row)."""
    return CELL_SEPARATOR.join(cell.strip() for cell in raw.strip().strip("|").split("|"))


def parse_lines(raws: list[str]) -> list[Line]:
    """`parse_line` of each line, where a table's rule line ("| --- |") is
    dropped and turns the row above it into a header row."""
    lines: list[Line] = []
    for raw in raws:
        if _TABLE_RULE.match(raw):
            if lines and lines[-1].role == "row":
                lines[-1] = Line("thead", lines[-1].text)
            continue
        lines.append(parse_line(raw))
    return lines


def _read(path: Path) -> str:
    """A source file's text; an InputError naming it when it cannot be read
    (a damaged copy of training_data/ was an internal error, naming nothing)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"training data file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot read training data file {path}: {exc.strerror or exc}") from None


def _units(path: Path) -> list[list[str]]:
    """Blank-line separated units of a file."""
    if not path.exists():
        return []
    units, current = [], []
    for raw in _read(path).splitlines():
        if raw.strip():
            current.append(raw.strip())
        elif current:
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [l.strip() for l in _read(path).splitlines() if l.strip()]


def check_data_folder(root: Path) -> None:
    """InputError unless `root` has the folders of training_data/ (checked
    by `cleaner train` before anything else, and by `load_sources`)."""
    for part in ("articles", "boilerplate", "hard_negatives"):
        if not (root / part).is_dir():
            raise InputError(f"{root} has no {part}/ folder: point --data at a copy of training_data/")


def load_sources(root: Path) -> Sources:
    """Load every article, hard negative and boilerplate unit under `root`;
    InputError naming what is missing (`check_data_folder`, `_check`)."""
    check_data_folder(root)
    sources = Sources()
    for lang_dir in sorted(d for d in (root / "articles").iterdir() if d.is_dir()):
        articles = []
        for path in sorted(lang_dir.glob("*.md")):
            lines = parse_lines(_lines(path))
            if lines:
                articles.append((f"{lang_dir.name}/{path.stem}", lines))
        if articles:
            sources.articles[lang_dir.name] = articles
    for path in sorted((root / "hard_negatives").glob("*.txt")):
        sources.hard_negatives[path.stem] = [parse_lines(unit) for unit in _units(path)]
    for lang_dir in sorted(d for d in (root / "boilerplate").iterdir() if d.is_dir()):
        lang = lang_dir.name
        sources.headers[lang] = _lines(lang_dir / "headline_headers.txt")
        sources.teasers[lang] = _lines(lang_dir / "teasers.txt")
        sources.boilerplate[lang] = {name: _units(lang_dir / f"{name}.txt") for name in BOILERPLATE_FILES}
    _check(root, sources)
    return sources


def _check(root: Path, sources: Sources) -> None:
    """Every language with articles has every boilerplate file, none empty:
    composing draws from each (an empty teasers.txt was an IndexError, a
    language without boilerplate a KeyError)."""
    if not sources.articles:
        raise InputError(f"{root / 'articles'} holds no articles (LANG/NAME.md files)")
    for lang in sources.articles:
        found = {"headline_headers": sources.headers.get(lang), "teasers": sources.teasers.get(lang),
                 **(sources.boilerplate.get(lang) or {})}
        for name in ("headline_headers", "teasers", *BOILERPLATE_FILES):
            if not found.get(name):
                raise InputError(f"training data: {root / 'boilerplate' / lang / (name + '.txt')} is missing or empty "
                                   f"(every language with articles needs each boilerplate file)")
