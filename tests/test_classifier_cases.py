"""The classifier on small authored cases: junk of each label goes, content that
looks like junk (subheadings, quotes, fact lists, recipe steps) stays."""

from __future__ import annotations

import pytest

from .conftest import PAGE_HEAD, PAGE_TAIL

P1 = "The regional water authority said on Monday that reservoir levels had recovered to 84 per cent of capacity after a wet spring, the highest figure for the time of year since 2014."
P2 = "Engineers had warned in January that a dry summer could force hosepipe restrictions for the first time in a decade, and the authority spent the winter repairing leaking mains across the district."
P3 = "Customers will see no change to their bills this year, the authority said, although a planned review of charges will go ahead in the autumn as scheduled."


def _doc(*middle: str) -> str:
    return "\n".join([P1, P2, *middle, P3]) + "\n"


def _removed_lines(cleaner, text: str) -> dict[str, str]:
    result = cleaner.clean(text, kind="text")
    return {line: span.label for span in result.removed for line in span.text.splitlines() if line.strip()}


JUNK_CASES = {
    "headline_list": ["You Might Also Like:", "- Grandma's Simple Trick Melts Belly Fat Overnight", "- These 9 Celebrities Are Unrecognisable Today", "- Man Finds Rare Coin Worth Thousands In His Garden"],
    "read_more": ["READ MORE: Why the city's buses keep running late"],
    "promo": ["Get our free weekly newsletter with the best stories of the week. Sign up now!"],
    "ad": ["ADVERTISEMENT"],
    "share": ["Share on Facebook", "Share on X", "Copy link"],
    "legal": ["We use cookies to personalise content and ads and to analyse our traffic. Accept all cookies?"],
    "meta": ["(Photo: Dana Whitfield/Riverside Pictures)", "By Dana Whitfield, Environment Correspondent"],
    "comments": ["Comments (14)", "Leave a comment", "You must be logged in to post a comment."],
}
# Comment chrome the bundled model keeps in its case's document, under its
# text threshold of 0.65 (docs/known-limits.md), with the reason; each has
# its own strict xfail, which fails once a model removes the line.
COMMENT_LINES_KEPT = {
    # 0.649 in context (the model before, at a threshold of 0.60, removed it).
    "Comments (14)": "a comment counter scores just under the threshold",
    # Glued under the two lines above, 0.44 in context (the models before: 0.41 and 0.58).
    "You must be logged in to post a comment.": "a sentence-shaped comment prompt under removed comment chrome stays",
}


@pytest.mark.parametrize("label", sorted(JUNK_CASES))
def test_junk_of_each_label_is_removed(cleaner, label):
    lines = JUNK_CASES[label]
    removed = _removed_lines(cleaner, _doc(*lines))
    for line in lines:
        assert line in removed or line in COMMENT_LINES_KEPT, f"{line!r} was kept"
    assert label in set(removed.values())
    for content in (P1, P2, P3):
        assert content not in removed


@pytest.mark.parametrize("line", [pytest.param(line, marks=pytest.mark.xfail(strict=True, reason=why))
                                  for line, why in COMMENT_LINES_KEPT.items()])
def test_comment_chrome_the_model_keeps_is_removed(cleaner, line):
    removed = _removed_lines(cleaner, _doc(*JUNK_CASES["comments"]))
    assert removed.get(line) == "comments"


HARD_NEGATIVES = {
    "subheading": ["Dry Summer Fears Ease", P2],
    "fact list": ["By the numbers:", "- 84% of capacity", "- 212 leaks repaired", "- 3 reservoirs refilled"],
    "recipe steps": ["1. Fill the jug with cold water.", "2. Boil it for one minute.", "3. Let it cool before drinking."],
    "short quote": ["“We were lucky with the rain,” the director said."],
    "news about a newsletter": ["The authority said sign-ups to its drought-alert newsletter had tripled since January."],
}


@pytest.mark.parametrize("kind", sorted(HARD_NEGATIVES))
def test_content_that_looks_like_junk_is_kept(cleaner, kind):
    removed = _removed_lines(cleaner, _doc(*HARD_NEGATIVES[kind]))
    assert removed == {}, f"{kind}: removed {removed}"


# A single teaser opening with a label, between two paragraphs. Before label
# lines had a token of their own, the headline's words outvoted the label and
# all but two of these stayed.
INLINE_TEASERS = [
    "Related: Town Hall Clock Restored After Two-Year Repair",
    "Trending: Heron spotted fishing in the shopping centre fountain",
    "Don't miss: Our guide to the best riverside pubs this summer",
    "See also: What a hosepipe ban means for your garden",
    "Lesen Sie auch: Neue Fähre zwischen den Inseln geplant",
    pytest.param("À lire aussi : la piscine municipale rouvre en juin", marks=pytest.mark.xfail(
        strict=True, reason="scores 0.59 against 0.65 with the bundled model (docs/known-limits.md)")),
]
LABELLED_CONTENT = [
    "Update: The authority said on Tuesday that the figures had been confirmed by an independent auditor.",
    "Q: Will bills go up this year?",
    "Note: Capacity figures are for the end of each month.",
    "Related research by the authority found that leaks fell by a third after the repairs.",
]


@pytest.mark.parametrize("line", INLINE_TEASERS)
def test_an_inline_teaser_opening_with_a_label_is_removed(cleaner, line):
    assert _removed_lines(cleaner, _doc(line)) == {line: "read_more"}


@pytest.mark.parametrize("line", LABELLED_CONTENT)
def test_content_opening_with_a_label_is_kept(cleaner, line):
    assert _removed_lines(cleaner, _doc(line)) == {}


def test_dangling_header_at_the_end_is_removed(cleaner):
    text = "\n".join([P1, P2, P3, "Trending Stories Today:"])
    removed = _removed_lines(cleaner, text)
    assert removed == {"Trending Stories Today:": "headline_list"}


def test_keep_leaves_a_label_in(cleaner):
    from cleaner import Cleaner

    text = _doc("ADVERTISEMENT")
    assert "ADVERTISEMENT" not in cleaner.clean(text, kind="text").text
    kept = Cleaner(keep=["ad"]).clean(text, kind="text")
    assert "ADVERTISEMENT" in kept.text and kept.removed == ()
    assert any(d.label == "ad" and not d.removed and "keep" in d.reason for d in kept.blocks)


def test_threshold_one_removes_nothing():
    from cleaner import Cleaner

    assert Cleaner(threshold=1.0).clean(_doc("ADVERTISEMENT"), kind="text").removed == ()


@pytest.mark.parametrize("line", ["Another short text.", "The council approved the budget on Tuesday.", "Hello world"])
def test_a_single_line_of_text_is_kept(cleaner, line):
    assert cleaner.clean(line, kind="text").text == line


def _probe_output(script: str) -> str:
    """What one of the probe scripts prints for the bundled model."""
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.run([sys.executable, f"scripts/{script}"], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, check=True).stdout


def test_teaser_probe_stays_above_its_floor():
    """scripts/teaser_probe.py (the README's figures): 16 authored teasers
    opening with a label, each in three articles, and 12 content lines that
    open with a label. The bundled model removes 42 teaser placements and 3
    content ones (a "Correction:" note, which is meta); the two before it 41
    and 43, the model before label lines had their own token removed 24
    teasers, the one before the table data 48. Seeds of one recipe spread
    widely here (21 to 45 over the fifteen models trained on 2026-11-28,
    each at its own thresholds), so seeds whose model falls under 36 are not
    shipped (cleaner/training/__init__.py)."""
    import re

    out = _probe_output("teaser_probe.py")
    teasers, of_teasers, content, of_content = map(int, re.search(
        r"teasers removed: (\d+) of (\d+); content lines removed: (\d+) of (\d+)", out).groups())
    assert (of_teasers, of_content) == (48, 36)
    assert teasers >= 39 and content <= 3, out.splitlines()[-1]


# scripts/category_probe.py, per kind: (placements, fewest removed, most removed).
# The bundled model removes affiliate 15, author_bio 12, author_promo 6,
# share 9, prompts 12 and content 0; the model before, trained without the
# disclosure, bio and author-promo units of 2026-11-28, removed 3, 6, 3, 6,
# 15 and 0. The floors leave room for a retrain's seed (README, Quality).
CATEGORY_FLOORS = {
    "affiliate": (39, 12, 39), "author_bio": (18, 9, 18), "author_promo": (9, 4, 9),
    "share": (9, 8, 9), "prompts": (15, 12, 15), "content": (33, 0, 1),
}


def test_category_probe_stays_within_its_bounds():
    """Affiliate notes, author bios, author promos and copy-link buttons,
    lines no training unit holds, are removed in most placements, and
    content about commissions, authors and tickets stays."""
    import re

    out = _probe_output("category_probe.py")
    counts = {kind: (int(got), int(of)) for kind, got, of in re.findall(r"(\w+) (\d+) of (\d+)", out.splitlines()[-1])}
    assert set(counts) == set(CATEGORY_FLOORS), out.splitlines()[-1]
    for kind, (of, fewest, most) in CATEGORY_FLOORS.items():
        got, placements = counts[kind]
        assert placements == of and fewest <= got <= most, (kind, out.splitlines()[-1])


# Tables in an article: a row of cells reads like a share bar or a teaser with
# its section ("Sport | ..."), and the first models, which never saw a table,
# removed most of them.
RESERVOIRS = [("Reservoir", "Capacity", "Level in May"), ("Hollins Water", "12.4 million m³", "91%"),
              ("Crag Fold", "8.1 million m³", "78%"), ("Lower Brant", "5.6 million m³", "84%")]
METERS = [("Metered homes", "Unmetered homes"), ("pay for the water they use", "pay a fixed charge set by the property"),
          ("see a leak on the next bill", "notice a leak only when it shows"), ("can lower the bill by saving water", "gain nothing from saving water")]
TABLE_STYLES = {
    "bars": lambda row: " | ".join(row),
    "markdown": lambda row: "| " + " | ".join(row) + " |",
    "tabs": "\t".join,
}


# A two-column table of short phrases written with bars ("Metered homes |
# Unmetered homes") reads like a teaser with its site name after it; it is
# kept when Markdown or tabs mark it as a table, not otherwise (docs/known-limits.md).
TABLE_CASES = [(style, table) for style in sorted(TABLE_STYLES) for table in ("figures", "pros-and-cons")
               if (style, table) != ("bars", "pros-and-cons")]


@pytest.mark.parametrize("style,table", TABLE_CASES)
def test_a_table_in_text_is_kept(cleaner, style, table):
    rows = [TABLE_STYLES[style](row) for row in {"figures": RESERVOIRS, "pros-and-cons": METERS}[table]]
    removed = _removed_lines(cleaner, _doc("The authority's figures for its three largest reservoirs:", *rows))
    assert removed == {}, f"removed {removed}"


def _page(*middle: str) -> str:
    """The article of P1, P2, P3 as a page, with `middle` after P2."""
    return PAGE_HEAD + "".join(middle) + PAGE_TAIL


def _table(rows, header: bool = True, side_keys: bool = False) -> str:
    def row(cells, tag="td"):
        tags = ["th" if side_keys and i == 0 else tag for i in range(len(cells))]
        return "<tr>" + "".join(f"<{t}>{c}</{t}>" for t, c in zip(tags, cells)) + "</tr>"
    head = f"<thead>{row(rows[0], 'th')}</thead>" if header else row(rows[0])
    return f"<table>{head}<tbody>{''.join(row(r) for r in rows[1:])}</tbody></table>"


SPECS = [("Opened", "1932"), ("Dam height", "38 metres"), ("Surface area", "146 hectares"), ("Owner", "Brant Valley Water")]


@pytest.mark.parametrize("table", [_table(RESERVOIRS), _table(METERS), _table(SPECS, header=False, side_keys=True)],
                         ids=["figures", "pros-and-cons", "spec-sheet"])
def test_a_table_in_html_is_kept(cleaner, table):
    result = cleaner.clean(_page("<h2>How the reservoirs stand</h2>", table), kind="html")
    rows = [d for d in result.blocks if d.tag == "row"]
    assert len(rows) >= 3, "the extraction lost the table"
    assert [d.text for d in rows if d.removed] == []
    assert result.restore() == result.base


def test_teasers_laid_out_in_a_table_are_removed(cleaner):
    rows = "".join(f'<tr><td><a href="/s/{i}">{t}</a></td><td>{h}:0{i}</td></tr>'
                   for i, (t, h) in enumerate(zip(["Doctors Stunned By This One Weird Morning Habit", "You Won't Believe What This Allotment Sold For",
                                                   "Celebrities Who Look Unrecognisable Today", "This Village Pub Has A Secret Nobody Noticed"], (9, 11, 14, 16))))
    result = cleaner.clean(_page(f"<h3>Most read</h3><table>{rows}</table>"), kind="html")
    assert "Allotment" not in result.text and "Unrecognisable" not in result.text
    assert P3 in result.text


_ZH_NEWS = ["河西区将在明年春天前完成三座老旧桥梁的加固工程，区交通局周三在发布会上公布了具体时间表。",
            "据介绍，三座桥梁均建于上世纪八十年代，近年来检测中多次发现桥墩出现裂缝。",
            "施工安排",
            "第一阶段将从下月起封闭北桥的两条车道，预计持续四十天，其间公交线路临时绕行。",
            "交通局表示，施工期间将在附近路口增派交警疏导，并通过广播及时发布路况信息。"]
_ZH_TEASERS = ["热门推荐", "- 这种早餐千万别再吃了，医生都说不好", "- 月薪三千如何存下十万？他的方法绝了", "- 今年最火的旅游城市竟然是它"]
_JA_NEWS = ["市は来年度から、駅前の駐輪場を全面的に建て替える計画を明らかにした。",
            "現在の施設は築四十年を超え、屋根の老朽化が進んでいるという。",
            "工事の日程",
            "工事は二期に分けて行い、期間中は近くの公園に仮設の駐輪場を設ける予定だ。",
            "市の担当者は「利用者の皆さまにはご不便をおかけするが、理解をお願いしたい」と話している。"]
_JA_JUNK = ["この記事をシェアする", "メールマガジンに登録すると、毎朝最新ニュースをお届けします"]


@pytest.mark.parametrize("layout", ["middle", "end", "blank lines"])
def test_chinese_and_japanese_articles_stay_and_their_clear_junk_stands_out(cleaner, layout):
    """Chinese and Japanese put no spaces between words; their lines are read
    as character pairs (`features.cjk_words`). Every article line stays,
    short subheadings ("施工安排", "工事の日程") included, and the clearest junk
    (a list header, a share prompt) scores well above every article line.
    Whether it clears the threshold varies with the training seed: with the
    bundled model the header scores 0.77 to 0.85 against 0.65 (the model
    before: 0.59 to 0.66 against 0.60), its teasers 0.63 to 0.64, and the
    share prompt 0.36 to 0.47, so it is not asserted (docs/known-limits.md)."""
    def place(news: list[str], junk: list[str]) -> str:
        if layout == "middle":
            return "\n".join([*news[:4], *junk, news[4]])
        if layout == "end":
            return "\n".join([*news, *junk])
        return "\n\n".join([*news[:2], "\n".join(junk), *news[2:]])

    for news, junk, clearest in ((_ZH_NEWS, _ZH_TEASERS, "热门推荐"), (_JA_NEWS, _JA_JUNK, "この記事をシェアする")):
        result = cleaner.clean(place(news, junk), kind="text")
        assert not any(b.removed for b in result.blocks if b.text in news)
        article = max(b.junk_score for b in result.blocks if b.text in news)
        assert next(b.junk_score for b in result.blocks if b.text == clearest) > article + 0.2


_JA_FACTS = ["新しい駐輪場の概要は次の通り。", "・収容台数：約1200台", "・利用時間：午前5時～午前1時", "・料金：1日150円、定期券は月1800円"]
_JA_TEASERS = ["あわせて読みたい", "・知らないと損する！電気代を半分にする意外な方法", "・人気俳優の現在の姿にファン驚き",
               "・週末に行きたい絶景スポット10選"]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_japanese_list_set_with_the_japanese_bullet_is_judged_as_a_list(cleaner, gap):
    """"・" is the usual Japanese bullet. Read as a list marker, a teaser list
    is decided as a whole (its items share one score) and so is a fact list,
    which stays. Before, neither was a list and each teaser was judged alone.
    Whether the teasers clear the threshold varies with the training seed
    (the bundled model: 0.52 to 0.62 against 0.65, their header 0.59 to 0.66;
    the model before: 0.39 to 0.42 against 0.60)."""
    text = gap.join([*_JA_NEWS[:2], *_JA_FACTS, _JA_NEWS[4], *_JA_TEASERS])
    blocks = {b.text: b for b in cleaner.clean(text, kind="text").blocks}
    teasers, facts = [blocks[t] for t in _JA_TEASERS[1:]], [blocks[t] for t in _JA_FACTS[1:]]
    assert all(b.list_size == 3 for b in teasers + facts)
    assert len({b.junk_score for b in teasers}) == 1 and len({b.junk_score for b in facts}) == 1
    assert not any(b.removed for b in facts) and teasers[0].junk_score > facts[0].junk_score + 0.2
