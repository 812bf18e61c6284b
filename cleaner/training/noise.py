"""Odd-but-real content lines, generated.

Extracted article bodies are messier than authored prose: bare URLs, handles,
rows of a results table, product names, prices and times on their own line,
lines in scripts the model has never seen, one-word exclamations. A model
trained only on tidy prose learns "anything untidy is junk" and deletes them.
These generators make such lines (labelled content) from random parts, so the
model learns that untidiness alone is not junk; the words are random, so
nothing here can be memorised.
"""

from __future__ import annotations

import random
from typing import Sequence

from .sources import CELL_SEPARATOR

_SCRIPTS = {
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщыэюя",
    "greek": "αβγδεζηθικλμνξοπρστυφχψω",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "devanagari": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
    "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年",
    "latin": "abcdefghijklmnoprstuvyzäöüéèàçñ",
}
_TLDS = ("com", "org", "net", "de", "fr", "io", "co.uk", "es")


def _word(rng: random.Random, alphabet: str, lo: int = 2, hi: int = 9) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def _name(rng: random.Random) -> str:
    return f"{_word(rng, _SCRIPTS['latin'], 3, 7).title()} {_word(rng, _SCRIPTS['latin'], 4, 9).title()}"


def foreign_line(rng: random.Random) -> str:
    script = rng.choice([k for k in _SCRIPTS if k != "latin"])
    alphabet = _SCRIPTS[script]
    if script == "cjk":
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 60))) + rng.choice(("。", "", "！"))
    words = [_word(rng, alphabet) for _ in range(rng.randint(1, 25))]
    return " ".join(words) + rng.choice((".", "", ":", "!", "?"))


def url_line(rng: random.Random) -> str:
    host = f"{_word(rng, 'abcdefghijklmnopqrstuvwxyz', 4, 10)}.{rng.choice(_TLDS)}"
    path = "/".join(_word(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 2, 10) for _ in range(rng.randint(0, 3)))
    return rng.choice(("http://", "https://", "https://www.", "www.")) + host + (f"/{path}" if path else "")


def handle_line(rng: random.Random) -> str:
    handle = "@" + _word(rng, "abcdefghijklmnopqrstuvwxyz_", 4, 14)
    return rng.choice((handle, f"{_name(rng)} ({handle})", f"{rng.choice(('Account', 'Author', 'Host'))}: {handle}"))


def table_rows(rng: random.Random) -> list[str]:
    """Rows of a results table, often under a row of column names; cells
    joined by CELL_SEPARATOR (the composer renders them as a table)."""
    cols = rng.randint(2, 6)
    rows = [
        CELL_SEPARATOR.join([str(i + 1), _name(rng)] + [str(rng.randint(0, 3000)) for _ in range(cols)])
        for i in range(rng.randint(3, 8))
    ]
    if rng.random() < 0.4:
        first = rng.choice(("Pos.", "No.", "#", "Rk", _word(rng, _SCRIPTS["latin"], 2, 4).title() + "."))
        rows.insert(0, CELL_SEPARATOR.join([first] + [_word(rng, _SCRIPTS["latin"], 2, 9).title() for _ in range(cols + 1)]))
    return rows


def item_names(rng: random.Random) -> list[str]:
    brand = _word(rng, _SCRIPTS["latin"], 4, 8).title()
    return [
        f"{brand} {_word(rng, _SCRIPTS['latin'], 3, 9).title()}" + rng.choice(("", f" {rng.randint(2, 900)}", " Pro", " Mini", f" {_word(rng, 'abcdefghij', 3, 6).title()}"))
        for _ in range(rng.randint(2, 7))
    ]


def short_fact(rng: random.Random) -> str:
    return rng.choice((
        f"{rng.randint(1, 12)} {rng.choice(('a.m.', 'p.m.'))}",
        f"Score {rng.randint(1, 9)}.{rng.randint(0, 9)} out of {rng.choice((5, 10))}",
        f"{rng.choice(('Meal', 'Step', 'Day', 'Round', 'Week', 'Part', 'Stage'))} {rng.randint(1, 12)}",
        f"{rng.choice(('Price', 'Cost', 'Weight', 'Range', 'Height', 'Capacity'))}: {rng.randint(2, 999)} {rng.choice(('$', '€', 'kg', 'km', 'm', 'litres'))}",
        f"{rng.randint(1, 99)}% {rng.choice(('votes', 'yes', 'no', 'turnout', 'голосов', 'Stimmen'))}",
        _name(rng),
        _name(rng).upper(),
        f"{_word(rng, _SCRIPTS['latin'], 4, 9).upper()} {_word(rng, _SCRIPTS['latin'], 3, 8).upper()}",
        f"<{_word(rng, _SCRIPTS['latin'], 3, 8).title()}: {_name(rng)}>",
        rng.choice(("Enjoy!", "Cheers!", "Now get cooking!", "Stay tuned.", "See you there!", "That's all for now 🙂", "Good luck!", "Thanks, everyone.")),
        f"{rng.randint(1, 28)} {rng.choice(('January', 'March', 'June', 'September'))} {rng.randint(1990, 2026)}",
        "***",
        "* * *",
    ))


def pseudo_prose(rng: random.Random) -> str:
    """A sentence in a Latin-script language the model has never seen."""
    words = [_word(rng, _SCRIPTS["latin"], 1, 10) for _ in range(rng.randint(6, 30))]
    words[0] = words[0].title()
    return " ".join(words) + rng.choice((".", ".", "", "?", "!"))


def phrase(rng: random.Random, vocabulary: Sequence[str], lo: int = 1, hi: int = 4) -> str:
    words = [rng.choice(vocabulary) for _ in range(rng.randint(lo, hi))]
    text = " ".join(words)
    return text.title() if rng.random() < 0.4 else text[:1].upper() + text[1:]


def labelled_values(rng: random.Random, vocabulary: Sequence[str]) -> list[str]:
    """Rows like "Name (Group B): third appearance" or "Day 2: walk to the harbour"."""
    style = rng.randint(0, 2)
    rows = []
    for i in range(rng.randint(2, 7)):
        if style == 0:
            rows.append(f"{phrase(rng, vocabulary, 1, 2)} ({phrase(rng, vocabulary, 1, 1)} {rng.choice('ABCDEFGH')}): {phrase(rng, vocabulary, 1, 3)}")
        elif style == 1:
            rows.append(f"{rng.choice(('Day', 'Stage', 'Step', 'Week', 'Tag', 'Jour', 'Día'))} {i + 1}: {phrase(rng, vocabulary, 3, 9).lower()}")
        else:
            rows.append(f"{phrase(rng, vocabulary, 1, 3).upper()} {rng.uniform(1, 900):.2f} {rng.uniform(-9, 9):+.2f} {rng.uniform(-5, 5):+.2f}%")
    return rows


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def contact_line(rng: random.Random, vocabulary: Sequence[str]) -> str:
    """Opening hours, phone numbers, addresses: practical lines in guides."""
    a, b = sorted(rng.sample(range(7), 2))
    return rng.choice((
        f"{_DAYS[a]} – {_DAYS[b]} {rng.randint(1, 11)}{rng.choice(('AM', 'PM', 'am', 'pm', ':00'))}",
        f"{_DAYS[a]}–{_DAYS[b]}: {rng.randint(6, 11)}:00–{rng.randint(12, 23)}:00",
        f"{rng.randint(1, 99):02d}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        f"+{rng.randint(1, 99)} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        f"{rng.randint(1, 200)} {phrase(rng, vocabulary, 1, 2).title()} {rng.choice(('Road', 'Street', 'Avenue', 'Straße', 'rue', 'Calle'))}",
        f"{phrase(rng, vocabulary, 1, 2).title()}: {rng.choice(('free', 'closed', 'open daily', '€' + str(rng.randint(2, 40)), str(rng.randint(2, 40)) + ' minutes'))}",
    ))


def noise_unit(rng: random.Random, vocabulary: Sequence[str] = ()) -> tuple[list[str], str]:
    """A unit of odd content lines and its role ("para" lines, a "ul" list or table "row"s)."""
    roll = rng.random()
    if vocabulary and roll < 0.15:
        if roll < 0.07:
            return [phrase(rng, vocabulary, 1, 3).upper()], "sub"
        return [contact_line(rng, vocabulary) for _ in range(rng.randint(1, 4))], rng.choice(("para", "ul"))
    roll = rng.random()
    if vocabulary and roll < 0.35:
        if roll < 0.12:
            return [phrase(rng, vocabulary) for _ in range(rng.randint(2, 8))], "ul"
        if roll < 0.22:
            return labelled_values(rng, vocabulary), rng.choice(("para", "ul"))
        if roll < 0.3:
            return [pseudo_prose(rng) for _ in range(rng.randint(1, 3))], "para"
        return [phrase(rng, vocabulary, 4, 12)], "para"
    roll = rng.random()
    if roll < 0.2:
        return [foreign_line(rng) for _ in range(rng.randint(1, 3))], "para"
    if roll < 0.32:
        return [url_line(rng) for _ in range(rng.randint(1, 3))], "para"
    if roll < 0.4:
        return [handle_line(rng) for _ in range(rng.randint(1, 4))], "ul"
    if roll < 0.55:
        return table_rows(rng), "row"
    if roll < 0.7:
        return item_names(rng), "ul"
    return [short_fact(rng)], "para"
