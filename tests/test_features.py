"""The featurisers work on a whole document at once (cleaner/textpass.py) for
speed; they must give exactly what the per-line definitions give, or the bundled
model would see other numbers than it was trained on. The definitions are
written out here line by line, as the oracle, and checked on lines chosen to
trip a vectorised version: other scripts, characters whose lower case is
longer or depends on context, digits that are not ASCII, list markers, lines
longer than the windows the features read."""

from __future__ import annotations

import copy
import math
import random
import re

import numpy as np
import pytest

from cleaner.blocks import Block
from cleaner.context import topic_overlap
from cleaner.features import SHAPE_NAMES, label_flags, line_tokens, tokens_of, shape_matrix
from cleaner.textpass import is_cjk
from cleaner.line_inputs import HASHED_FROM_LINES, LineInputCache, _token_columns, compute_line_inputs
from cleaner.textpass import TextPass
from cleaner.token_lookup import HashedVocabulary, token_columns
from cleaner.scorer import DocView, context_features

_BULLET = re.compile(r"^\s*(?:[-–—•·・･*▪▫◦●○■□►▶▸»›→⇒➔➤✓✔+>|#]+|\[\s*\]|\d{1,2}[.)](?!\d))\s*")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)](?!\d)\s")
_WORD = re.compile(r"\w+")
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w", re.IGNORECASE)
_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω]")
_SYMBOLS = re.compile(r"[\u2190-\u21ff\u2600-\u27bf\U0001F000-\U0001FAFF]")
_STEM = re.compile(r"(\w{5})\w*")
_TAGS = ("h1", "h", "p", "li", "quote", "row", "comment")


def shape_row(block: Block, is_html: bool) -> list[float]:
    """The shape features of one line, as first defined."""
    text = block.text.strip()
    head = text[:160]
    ends = head if len(text) <= 160 else head + " " + text[-80:]
    all_words = _WORD.findall(text)
    n_words = len(all_words) + sum(1 for c in text if is_cjk(c)) // 2
    words = all_words[:40]
    alpha = [w for w in words if w[0].isalpha()]
    letters = sum(map(str.isalpha, head)) or 1
    last, first = (text[-1], text[0]) if text else ("", "")
    low = ends.lower()
    url = ("http" in low or "www." in low or ".com" in low or "@" in low) and _URLISH.search(ends) is not None
    return [
        math.log1p(len(text)), math.log1p(n_words), float(last in frozenset(".!?…\"”’»)」』;。！？；")), float(last == ":"),
        float(_BULLET.match(head) is not None), float(_NUMBERED.match(head) is not None),
        sum(1 for w in alpha if w[0].isupper()) / len(alpha) if alpha else 0.0,
        len(_UPPER.findall(head)) / letters, len(re.findall(r"\d", head)) / (len(head) or 1),
        float("|" in text), float("©" in text or "(c)" in head.lower()), float(url),
        math.log1p(sum(text.count(s) for s in (". ", "? ", "! ", "。", "！", "？"))), float(first.islower()),
        float(any(c in text for c in "$€£¥")), float(is_html), block.link_ratio, math.log1p(text.count(",")),
        float(text.endswith("...") or last == "…"), float(first in frozenset("\"“”„«»‘’'‹›「")),
        float(_SYMBOLS.search(head) is not None), float("[" in text or "(" in text[:2]),
        sum(map(len, words)) / len(words) if words else 0.0, math.log1p(text.count("|")), float(last == "|"),
        *(float(block.tag == t) for t in _TAGS),
    ]


def overlap_row(texts: list[str]) -> list[float]:
    stems = [set(_STEM.findall(t[:300].lower())) for t in texts]
    seen = [s for line in stems for s in line]
    unique = {s for s in seen if seen.count(s) == 1}
    return [1.0 - len(line & unique) / len(line) if line else 0.5 for line in stems]


TRICKY = [
    "駅前の商店街では、来月から夜間の照明を増やすことが決まりました。",
    "新的公交线路将于下周一开通，每十五分钟一班！",
    "カレーの作り方",
    "・週末に行きたい絶景スポット10選",                                 # the Japanese bullet
    "･半角の中黒で始まる行",
    "Harbour Board Approves Night Ferry Trial",
    "  - Baker’s Sourdough Starter Turns Twenty And Still Bubbles  ",
    "12) Twelve steps, 3.5 kg of flour; 1,000 ml (c) 2024 © Example | Site",
    "İstanbul’da ÇOK güzel bir gün. Ödül töreni İzmir’de!",          # İ lower-cases to two characters
    "ΟΔΟΣ.ΒΑΣΙΛΕΩΣ ΟΔΥΣΣΕΥΣ σοφός; Σ",                           # capital sigma: context-dependent
    "Straße ﬁnden ǅemal ǈ Ⅻ ² ½ ٣٤٥ ١٢ ॥ ۱۲۳ 一二三 漢字テスト ー",   # ligature, titlecase, numerals
    "e\u0301te\u0301 cafe\u0301 na\u0308ive zero\u200bwidth no\u00a0break",
    "→ Read more: https://www.example.com/story?id=7 @newsroom ☀ 😀",
    "[ ] task item with [brackets] and (parentheses)",
    "“Quoted speech,” she said… and then left...",
    "Привет, МИР! Это тест. Ещё одна строка? Да! Ёлка Ω ω",
    "lone \ud800 surrogate and \U0001FAFF edge",
    "1.5 million people; 2. second item",
    " " * 420 + "- a marker after 420 spaces",
    "word " * 120,
    "Longword" * 80 + " end",
    ("A long paragraph with many words, commas, and sentences. " * 12).strip(),
    "x",
    "_under_score_ __init__ snake_case_word",
    "Related: Harbour Board Approves Night Ferry Trial",            # a label line: its first word is marked _l_
    "• À lire aussi : le marché de Noël ouvre",
    "ALSO READ | Ferry fares to rise in spring",
    "Update, 4:15 p.m.: ferries are running again",                 # a time is not a label
    "| Hollins Water | 12.4 million m³ | 91% |",                     # a Markdown table row
    "Ort | Brant Valley |",
]


def _blocks(texts: list[str], seed: int = 0) -> list[Block]:
    rng = random.Random(seed)
    tags = ["", "h1", "h", "p", "li", "quote", "row", "comment", "code"]
    return [Block(0, len(t), len(t), t, rng.choice(tags), rng.random()) for t in texts]


def _documents() -> list[list[str]]:
    """Each tricky line alone, all together, and random mixes."""
    rng = random.Random(7)
    docs = [[t] for t in TRICKY] + [TRICKY]
    for _ in range(60):
        docs.append([rng.choice(TRICKY)[: rng.choice([5, 60, 170, 310, 450, 2000])] or "y" for _ in range(rng.randint(2, 9))])
    return docs


@pytest.mark.parametrize("is_html", [False, True])
def test_shape_features_equal_the_per_line_definition(is_html):
    for texts in _documents():
        blocks = _blocks(texts)
        expected = np.asarray([shape_row(b, is_html) for b in blocks], dtype=np.float32)
        got = shape_matrix(blocks, is_html)
        assert got.dtype == np.float32 and got.shape == (len(texts), len(SHAPE_NAMES))
        mismatch = np.argwhere(got != expected)
        assert not mismatch.size, [(texts[r][:40], SHAPE_NAMES[c], got[r, c], expected[r, c]) for r, c in mismatch[:5]]


def test_tokens_equal_the_per_line_definition():
    for texts in _documents():
        assert tokens_of(texts) == [line_tokens(t) for t in texts], texts


@pytest.mark.parametrize("text, first", [
    ("Related: Harbour board approves ferry trial", "_l_related"),
    ("Read next: Five questions before you refinance", "_l_read"),
    ("- Don't miss: The village that makes the best cheese", "_l_don"),
    ("À lire aussi : le marché de Noël ouvre", "_l_à"),
    ("ALSO READ | Ferry fares to rise in spring", "_l_also"),
    ("Q: How long did the repairs take?", "_l_q"),
    ("Related research found the same pattern", "_b_related"),
    ("The ferry left at 4:15 on Tuesday", "_b_the"),
    ("Key findings:", "_b_key"),
    ("A label of far too many words here: then text", "_b_a"),
])
def test_a_line_opening_with_a_label_marks_its_first_word_apart(text, first):
    """"Related: <headline>" is a teaser; "Related research ..." is a sentence.
    The lexical model sees the first word of a line that opens with a short
    label and a colon or bar as its own token, so the two are told apart."""
    assert line_tokens(text)[-2] == first


def test_chinese_and_japanese_are_cut_into_character_pairs():
    """Without spaces a whole clause was one token, seen once; two prompts
    worded differently now share the pairs of the words they share."""
    first = line_tokens("扫码关注本报公众号")
    second = line_tokens("欢迎关注我们的公众号，获取更多资讯")
    assert {"关注", "公众", "众号"} <= set(first) & set(second)
    assert first[:4] == ["扫码", "码关", "关注", "注本"]
    assert first[-2:] == ["_b_扫码", "_e_众号"]
    # Latin words inside a run keep their own token; a lone ideograph stays itself.
    assert line_tokens("下载App，立即领取")[:3] == ["下载", "app", "立即"]
    assert line_tokens("第3期 雨")[:3] == ["第", "3", "期"]
    assert line_tokens("ニュースを読む")[:3] == ["ニュ", "ュー", "ース"]
    # Korean is written with spaces: its words stay whole.
    assert line_tokens("오늘의 주요 뉴스")[:3] == ["오늘의", "주요", "뉴스"]


def test_topic_overlap_equals_the_per_line_definition():
    for texts in _documents():
        assert topic_overlap(texts).tolist() == overlap_row(texts), texts


def test_topic_overlap_counts_stems_shared_across_lines():
    texts = ["Reservoir levels recovered after rain", "The reservoir authority said levels recovered", "Celebrities unrecognisable today"]
    assert topic_overlap(texts).tolist() == overlap_row(texts)
    assert topic_overlap(texts)[2] == 0.0  # nothing in the teaser recurs


def _reference_scores(scorer, view):
    """Both stages computed afresh, as in training: no cached line inputs."""
    probs, shapes = scorer.stage_one(view)
    return probs, scorer.context.predict_proba(context_features(view, probs, shapes))


def test_scores_from_cached_line_inputs_equal_fresh_ones(cleaner):
    """predict_doc reuses the inputs of lines it has seen; the scores must not
    depend on what was cleaned before: first sight, second sight, and a document
    mixing seen and unseen lines all give the reference numbers exactly."""
    scorer = copy.deepcopy(cleaner.model.classifier)  # its own, empty cache
    first = ["Councillors voted 9 to 2 on Tuesday to approve the harbour plan.", "Share this article", "İstanbul ΟΔΟΣ straße"]
    second = ["A new opening paragraph about the harbour plan and its cost.", "Share this article", *TRICKY[:6]]
    for texts in (first, first, second, TRICKY, second):
        view = DocView.from_blocks(_blocks(texts), is_html=False)
        probs, junk = scorer.predict_doc(view)
        expected_probs, expected_junk = _reference_scores(scorer, view)
        assert np.array_equal(probs, expected_probs) and np.array_equal(junk, expected_junk)


def test_line_input_cache_stays_within_its_capacity(cleaner):
    lexical = cleaner.model.classifier.lexical
    cache = LineInputCache(capacity=5)
    blocks = _blocks(TRICKY)
    for start in range(0, len(blocks), 3):
        cache.inputs(blocks[start: start + 3], False, lexical)
        assert len(cache._lines) <= 5
    again = cache.inputs(blocks, False, lexical)
    fresh = compute_line_inputs(blocks, False, lexical)
    for a, b in zip(again, fresh):
        assert np.array_equal(a.shape, b.shape) and np.array_equal(a.probs, b.probs)
        assert a.marker == b.marker and np.array_equal(a.stems, b.stems)


def test_long_lines_are_scored_but_not_kept_in_the_cache(cleaner):
    # Keys hold their text: 4,096 long paragraphs kept made a process grow by
    # the size of what it cleaned (200 one-line pages of 200 KB: +45 MB).
    from cleaner.line_inputs import LONGEST_CACHED

    lexical = cleaner.model.classifier.lexical
    cache = LineInputCache()
    long_line = "The harbour board met again to discuss the plan for the pier. " * (LONGEST_CACHED // 40)
    blocks = _blocks(["Share this article", long_line])
    got = cache.inputs(blocks, False, lexical)
    assert [key[0] for key in cache._lines] == ["Share this article"]
    fresh = compute_line_inputs(blocks, False, lexical)
    assert all(np.array_equal(a.probs, b.probs) for a, b in zip(got, fresh))


def test_hashed_token_lookup_equals_looking_up_the_token_strings(cleaner):
    """Many lines at once skip making token strings (token_lookup.py): every
    line's known columns, in order, and its token count must be those of
    looking up `line_tokens` in the vocabulary."""
    lexical = cleaner.model.classifier.lexical
    table = lexical.hashed()
    assert table is not None
    vocabulary = lexical.vocabulary
    rng = random.Random(3)
    known_words = [t for t in list(vocabulary)[:5000] if " " not in t and not t.startswith("_")]
    made = [" ".join(rng.choice(known_words) for _ in range(rng.randint(1, 60))) for _ in range(200)]
    marked = [rng.choice(["- ", "• ", "12) ", "  3. ", "[ ] ", ">> ", ""]) + line for line in made]
    long_lines = [line * 6 for line in made[:20]]
    for texts in [*_documents(), marked, long_lines, marked + TRICKY]:
        text_pass = TextPass(texts)
        if len(texts) >= HASHED_FROM_LINES:  # the hashed path, with lines holding "İ", kana or Han redone from strings
            columns, line, n_tokens = _token_columns(texts, text_pass, lexical, label_flags(texts))
        elif text_pass.tokens_fast:
            columns, line, n_tokens = token_columns(texts, text_pass, table, label_flags(texts))
        else:
            continue
        expected = [[vocabulary.get(t, -1) for t in line_tokens(text)] for text in texts]
        assert n_tokens.tolist() == [len(e) for e in expected]
        got = [columns[line == i].tolist() for i in range(len(texts))]
        assert got == expected, texts
    assert any(c >= 0 for c in columns.tolist())  # the made lines use known words


def test_the_hash_table_is_built_only_once_enough_lines_have_asked_for_it(cleaner):
    """One page from a shell looks its tokens up as strings (building the
    table costs about 0.1 s); after HASH_AFTER_LINES lines the table is built
    and used, and the columns are the same before and after."""
    import copy

    from cleaner.scorer import HASH_AFTER_LINES

    lexical = copy.deepcopy(cleaner.model.classifier.lexical)  # run-time state is not copied
    assert "_hashed" not in lexical.__dict__
    texts = [f"Read more: harbour ferry timetable change number {i}" for i in range(HASHED_FROM_LINES * 4)]
    text_pass = TextPass(texts)
    first = _token_columns(texts, text_pass, lexical, label_flags(texts))
    assert "_hashed" not in lexical.__dict__
    for _ in range(HASH_AFTER_LINES // len(texts)):
        _token_columns(texts, text_pass, lexical, label_flags(texts))
    assert lexical.__dict__.get("_hashed") is not None
    after = _token_columns(texts, text_pass, lexical, label_flags(texts))
    assert all(np.array_equal(a, b) for a, b in zip(first, after))
    assert "_lines_before_hashing" not in lexical.__getstate__()


def test_the_sparse_product_is_set_up_only_once_enough_entries_have_asked_for_it(cleaner):
    """One large page in a fresh process adds its token weights with
    bincount (the sparse product's setup costs about 0.14 s); once
    SPARSE_AFTER_ENTRIES entries have gone through, the product takes over,
    with the same sums to the bit."""
    import copy

    from cleaner.scorer import SPARSE_AFTER_ENTRIES, SPARSE_FROM_ENTRIES

    lexical = copy.deepcopy(cleaner.model.classifier.lexical)  # run-time state is not copied
    rng = np.random.default_rng(4)
    n_rows, n_entries = 300, SPARSE_FROM_ENTRIES * 4
    rows = np.sort(rng.integers(0, n_rows, n_entries))
    cols = rng.integers(0, len(lexical.vocabulary), n_entries)
    vals = rng.random(n_entries)
    first = lexical._word_sums(rows, cols, vals, n_rows)
    assert "_word_coef64" not in lexical.__dict__
    while "_word_coef64" not in lexical.__dict__:
        lexical._word_sums(rows, cols, vals, n_rows)
    assert lexical.__dict__["_entries_before_sparse"] >= SPARSE_AFTER_ENTRIES
    assert np.array_equal(first, lexical._word_sums(rows, cols, vals, n_rows))
    assert "_entries_before_sparse" not in lexical.__getstate__()


def test_a_vocabulary_that_cannot_be_hashed_is_looked_up_as_strings(monkeypatch):
    import cleaner.token_lookup as token_lookup

    assert HashedVocabulary.build({"alpha": 0, "beta": 1}) is not None
    assert HashedVocabulary.build({"with\nnewline": 0}) is None
    assert HashedVocabulary.build({}) is None
    monkeypatch.setattr(token_lookup, "_B", 1)  # a hash that is the sum of the code points
    monkeypatch.setattr(token_lookup, "_B_INV", 1)
    assert HashedVocabulary.build({"ab": 0, "ba": 1}) is None  # collide: refused


def test_one_turkish_line_leaves_the_other_lines_on_the_fast_paths(cleaner, monkeypatch):
    """"İ" is the one character whose lower case is two: its lines take the
    per-line definitions, the rest of the chunk does not (one Turkish page
    used to send a whole chunk of 32 documents down the slow paths)."""
    import cleaner.features as features_module

    lexical = cleaner.model.classifier.lexical
    assert lexical.hashed() is not None  # so that _token_columns takes the hashed path
    texts = [f"Line {i} about the harbour plan and its ferry timetable." for i in range(40)]
    texts[7] = "İstanbul’da ÇOK güzel bir gün. Ödül töreni İzmir’de!"
    texts[30] = "- İzmir ferry timetable changes"
    text_pass = TextPass(texts)
    assert not text_pass.lower_safe and text_pass.unsafe_lines.tolist() == [i in (7, 30) for i in range(40)]
    per_line = []
    monkeypatch.setattr(features_module, "line_tokens", lambda t: per_line.append(t) or line_tokens(t))
    assert tokens_of(texts, text_pass) == [line_tokens(t) for t in texts]
    assert per_line == [texts[7], texts[30]]
    columns, line, n_tokens = _token_columns(texts, text_pass, lexical, label_flags(texts))
    expected = [[lexical.vocabulary.get(t, -1) for t in line_tokens(text)] for text in texts]
    assert n_tokens.tolist() == [len(e) for e in expected]
    assert [columns[line == i].tolist() for i in range(len(texts))] == expected
    assert topic_overlap(texts, text_pass).tolist() == overlap_row(texts)


def test_word_sums_by_bincount_and_by_sparse_product_are_equal_to_the_bit(cleaner, monkeypatch):
    """Stage one adds each line's token weights with a bincount for a few
    lines and with a sparse matrix product for many (faster); a line must
    score the same either way, alone or among other documents' lines."""
    import cleaner.scorer as scorer_module

    lexical = cleaner.model.classifier.lexical
    lexical.prepare()  # so the sparse product is set up (`LexicalWeights._word_sums`)
    rng = random.Random(5)
    known_words = [t for t in list(lexical.vocabulary)[:8000] if " " not in t and not t.startswith("_")]
    texts = [" ".join(rng.choice(known_words) for _ in range(rng.randint(1, 60))) for _ in range(400)] + TRICKY
    text_pass = TextPass(texts)
    columns, line, n_tokens = _token_columns(texts, text_pass, lexical, label_flags(texts))
    known = columns >= 0
    rows, cols = line[known], columns[known]
    vals = (1.0 / np.sqrt(np.maximum(n_tokens, 1)))[rows]
    sums = {}
    for name, threshold in (("bincount", 10**9), ("sparse", 0), ("sparse again", 0)):
        monkeypatch.setattr(scorer_module, "SPARSE_FROM_ENTRIES", threshold)
        sums[name] = lexical._word_sums(rows, cols, vals, len(texts))
    assert len(cols) > scorer_module.SPARSE_FROM_ENTRIES and sums["bincount"].any()
    assert np.array_equal(sums["bincount"], sums["sparse"]) and np.array_equal(sums["sparse"], sums["sparse again"])


def test_the_cjk_character_class_and_is_cjk_agree():
    """The tokeniser finds runs with a regex class, the text pass with
    comparisons: a character one counts and the other does not would send
    its line down the wrong path."""
    from cleaner.textpass import CJK_CHARS, is_cjk

    in_class = re.compile(f"[{CJK_CHARS}]")
    assert all((in_class.match(chr(c)) is not None) == is_cjk(chr(c)) for c in range(0x2F00, 0xFB00))
