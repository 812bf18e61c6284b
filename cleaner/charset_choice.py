"""Choose between legacy single-byte decodings that all read cleanly.

A text saved in Windows-1250 (Polish, Czech), Windows-1252 (Western Europe) or
Windows-1254 (Turkish) decodes without an error under every one of them, and
charset_normalizer's measure of mess rates them all 0 on a short text. Its
tie-break, letter frequencies per language, is weak on a few sentences: it read
Polish and Czech as Windows-1252 ("og³osi³", "zaène"), French as Baltic, and
German as the DOS Baltic code page ("B³rgermeister").

A wrong code page has a tell that frequencies miss: it turns a language's
accented letters into symbols inside words ("og³osi³") or into letters that no
one alphabet holds together ("bøeznu" next to "zaène": ø is Danish, è French).
So each reading is scored by how many of its non-ASCII letters one alphabet
covers, minus the symbols it puts inside words; the best reading wins, and
Windows-1252, the web's legacy default, wins a tie. The same score sets the
detector's choice against its sibling code pages, which share most letters
(ISO-8859-2 Polish read as Windows-1250: "¶rodę"), and catches its rare
confident mistake (`second_opinion`): a single line of KOI8-R Russian, which
it read as Shift JIS half-width katakana with no rival.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from typing import Iterable

# Accented letters (lower case) of languages written in legacy Latin code pages.
_ALPHABETS: tuple[str, ...] = (
    "àâçéèêëîïôœùûüÿ",  # French ("æ" only in a few loanwords: with it, Croatian "vijeće" read as Windows-1252, "vijeæe", fitted)
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "éèëïóöü",  # Dutch
    "åäöé",  # Swedish, Finnish
    "æøåé",  # Danish, Norwegian
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșşțţ",  # Romanian
    "čćđšž",  # Croatian, Slovene, Bosnian
    "çğıöşüâîû",  # Turkish
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äöõüšž",  # Estonian
    # Cyrillic code pages map the same bytes to different letters of one
    # script (Windows-1251 capitals are Mac Cyrillic's Serbian and Ukrainian
    # lower-case letters: "Мэр" reads "ћэр"), so this script goes by language.
    _RUSSIAN := "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",  # Ukrainian
    "абвгдеёжзійклмнопрстуўфхцчшыьэюя",  # Belarusian
    "абвгдежзийклмнопрстуфхцчшщъьюяѝ",  # Bulgarian
    "абвгдђежзијклљмнњопрстћуфхцчџш",  # Serbian
    "абвгдѓежзѕијклљмнњопрстќуфхцчџш",  # Macedonian
    _RUSSIAN + "әғқңөұүһі",  # Kazakh
    _RUSSIAN + "әөүҗңһҙҫҡғ",  # Tatar, Bashkir
    _RUSSIAN + "ғӣқӯҳҷңөү",  # Tajik, Kyrgyz, Mongolian
)
# Other scripts count as one alphabet each (Japanese mixes three, Korean text
# Han and Hangul: one group): their code pages do not mix letters.
_SCRIPTS = (("GREEK",), ("HEBREW",), ("ARABIC",), ("THAI",), ("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
# Enough of a reading to judge it by.
_SAMPLE = 20_000
# Non-letters that do sit inside words: apostrophes and dashes, the Catalan middle dot.
_INSIDE_WORDS = "’‘‐‑–·"
# Punctuation that a wrong code page makes of a letter ("mo¿e" for "może").
_LETTER_LIKE_PUNCTUATION = "¿¡§¶"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Marks that do open words ("¿quién", "¡basta").
_OPENING = "¿¡"
WEB_DEFAULT = "cp1252"


def misfit(text: str) -> float:
    """How implausible `text` is as a decoding, per non-ASCII character: its
    non-ASCII letters that the best-fitting alphabet lacks or that are
    capitals right after a small letter ("уЕЗПДОС", KOI8-R read as
    Windows-1251, whose cases are swapped), plus twice the symbols and
    combining marks found between two letters."""
    letters: list[str] = []
    inside = 0.0
    considered = 0
    for match in _NON_ASCII.finditer(text):
        char, i = match.group(), match.start()
        considered += 1
        if char.isalpha():
            low = char.lower()
            letters.append(low if len(low) == 1 else char)  # "İ" lower-cases to two characters
            if i and char.isupper() and text[i - 1].islower():
                inside += 0.5
            if _next_to_ascii_letter(text, i) and not unicodedata.name(char, "").startswith("LATIN"):
                inside += 0.5  # another script inside a Latin word: "ogณosiณa", "re蓰u"
            continue
        if "\x80" <= char <= "\x9f":
            inside += 0.5  # a C1 control, which no text holds: Windows-1252 quotes read as ISO-8859-x
            continue
        if char in _INSIDE_WORDS or (unicodedata.category(char)[0] in "PZC" and char not in _LETTER_LIKE_PUNCTUATION):
            continue  # quotes, dashes, spaces and controls
        # A symbol, digit or combining mark; between two letters it stands for
        # a letter, and so it does opening a word ("¹kola" for "škola").
        if i < len(text) - 1 and text[i + 1].isalpha() and (
                (i > 0 and text[i - 1].isalpha()) or (char not in _OPENING and (i == 0 or text[i - 1].isspace()))):
            inside += 1
    if not considered:
        return 0.0
    return (len(letters) - _best_cover(letters) + 2 * inside) / considered


def _next_to_ascii_letter(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isascii() and text[i - 1].isalpha()) or (
        i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isalpha())


def _best_cover(letters: list[str]) -> int:
    """The most of `letters` that one alphabet or one script holds."""
    if not letters:
        return 0
    counts = Counter(letters)
    best = max(sum(n for c, n in counts.items() if c in alphabet) for alphabet in _ALPHABETS)
    for names in _SCRIPTS:
        best = max(best, sum(n for c, n in counts.items() if unicodedata.name(c, "").startswith(names)))
    return best


def choose_reading(readings: Iterable[tuple[list[str], str]]) -> str:
    """The encoding of the most plausible reading.

    `readings` are (encodings that give this text, the text), best first by
    the detector's own order; the first of the least misfitting wins, unless
    another as good can be read as Windows-1252."""
    scored = [(misfit(text[:_SAMPLE]), encodings) for encodings, text in readings]
    if not scored:
        raise ValueError("no readings to choose from")
    lowest = min(score for score, _ in scored)
    tied = [encodings for score, encodings in scored if score <= lowest + 1e-9]
    for encodings in tied:
        if WEB_DEFAULT in encodings:
            return WEB_DEFAULT
    return tied[0][0]


# A reading this implausible is no reading: the detector took it on a short
# text (a line of KOI8-R Russian as Shift JIS half-width katakana).
IMPLAUSIBLE = 0.25
# The web's single-byte code pages, most used first (the first wins a tie).
_SINGLE_BYTE = ("cp1252", "cp1250", "cp1251", "koi8-r", "koi8-u", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256", "cp874")
# Code pages that share most of their letters, which a detector confuses on
# short texts (Polish in ISO-8859-2 read as Windows-1250: "¶rodę" for "środę").
_SIBLINGS = {
    "cp1250": ("iso8859-2",), "iso8859-2": ("cp1250",),
    "cp1252": ("iso8859-15",), "iso8859-15": ("cp1252",),
    "cp1257": ("iso8859-13", "iso8859-4"), "iso8859-13": ("cp1257",), "iso8859-4": ("cp1257",),
    "cp1251": ("koi8-r", "iso8859-5"), "koi8-r": ("cp1251",), "iso8859-5": ("cp1251",),
    "cp1253": ("iso8859-7",), "iso8859-7": ("cp1253",), "cp1254": ("iso8859-9",), "iso8859-9": ("cp1254",),
}


def second_opinion(data: bytes, reading: str, encoding: str) -> str | None:
    """A code page that reads `data` more plausibly than the detector's
    `reading` (in `encoding`): one of its siblings, or, when the reading is
    implausible, any of the web's single-byte code pages; else None."""
    best, best_score = None, misfit(reading[:_SAMPLE])
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    candidates = _SIBLINGS.get(name, ()) + (_SINGLE_BYTE if best_score > IMPLAUSIBLE else ())
    if not candidates:
        return None
    sample = data[: _SAMPLE * 2]
    for candidate in candidates:
        if candidate == name:
            continue
        try:
            score = misfit(sample.decode(candidate)[:_SAMPLE])
        except UnicodeDecodeError:
            continue  # a byte this code page leaves undefined
        if score < best_score:
            best, best_score = candidate, score
    return best
