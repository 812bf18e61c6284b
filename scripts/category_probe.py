"""Affiliate notes, author bios and other junk, one line at a time, and content that resembles it.

    python scripts/category_probe.py [--model FILE]

Affiliate and review-sample notes, author bios and author-promo lines,
copy-link buttons, podcast, event, paywall and donation prompts, an ad
marker: each authored line below (written for this probe before the
disclosure and bio units of training_data/ were, and never trained on) goes
between the paragraphs of three authored articles (`teaser_probe.ARTICLES`),
or, in another language, into three places of an authored article in that
language. The probe prints each placement's score and, per kind, how many
placements the model removed. The content lines mention commissions,
authors, members and tickets as news, and should all stay. Since training
never sees these lines, the counts show whether a kind is learned or only
its training sentences are.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner  # noqa: E402
from teaser_probe import placed_scores, probe_cleaner, removal_score  # noqa: E402

PROBES: dict[str, list[str]] = {
    "affiliate": [
        "This article contains affiliate links. If you buy through them, we may receive a small commission at no extra cost to you.",
        "We test and review products independently. When you purchase through links on our site, we may earn an affiliate fee.",
        "Disclosure: Some links in this post are affiliate links, which means we may get paid if you click and buy.",
        "As an Amazon Associate, the site earns from qualifying purchases.",
        "Our editors choose every product on their own. We may be compensated when you shop through our retail links.",
        "Prices and availability are correct at the time of writing and may change.",
        "This post may contain affiliate links; please read our disclosure policy for details.",
        "If you buy something from a link in this story, we may earn a small share of the sale.",
    ],
    "author_bio": [
        "Jane Porter is a freelance writer covering food and travel. Follow her on Instagram @janeporterwrites.",
        "About the author: Mark Ellis has reported on energy markets for fifteen years. His new book, Power Lines, is out now.",
        "Tom Rivers is the author of three cookbooks. Find more of his recipes at tomrivers.example.",
        "Sarah Lin writes about personal finance. You can reach her at sarah@lin.example.",
    ],
    "author_promo": [
        "Sign up for Anna's weekly column and get her best tips straight to your inbox.",
        "Follow the author on X for more updates on the story.",
        "Order a signed copy of Ruth's new cookbook at ruthbakes.example.",
    ],
    "share": [
        "Click here to copy the link",
        "Copy URL",
    ],
    "prompts": [
        "Listen to the latest episode of our podcast on Apple Podcasts, Spotify or wherever you get your podcasts.",
        "Join us live on Thursday at 7pm for a free webinar with our editors. Register now.",
        "You've read 3 of 5 free articles this month. Subscribe for unlimited access.",
        "If you value our reporting, please consider making a donation.",
        "Story continues below advertisement",
    ],
    "content": [
        "The company said it would pay a commission to agents who sign up new customers before the end of the year.",
        "She became a member of the board in 2019 and was elected chair two years later.",
        "Listen to the patient, the doctor said, and most of the time the diagnosis will follow.",
        "Prices rose 4 percent in October, the fastest pace since spring.",
        "The author, who lives in Bristol, spent six years researching the book.",
        "Tickets go on sale on Friday and cost between 20 and 45 pounds.",
        "Affiliate marketing now accounts for about a tenth of the retailer's online sales, the report found.",
        "Ellis, a former energy trader, is now writing a book about the blackout.",
    ],
}


# Lines in other languages go into an authored article in their own
# language: after its first paragraph, after its second, and at its end.
OTHER_LANGUAGES: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "de": (["Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen, nach einer langen Debatte über die Kosten der Schulsanierung.",
            "Die Opposition kritisierte vor allem die Kürzungen bei den Bibliotheken und forderte eine neue Abstimmung im Frühjahr.",
            "Der Bürgermeister kündigte an, die Ausgaben im Sommer noch einmal prüfen zu lassen."],
           {"affiliate": ["Dieser Beitrag enthält Werbelinks. Kaufst du über einen solchen Link ein, bekommen wir eine kleine Provision."],
            "author_bio": ["Über die Autorin: Clara Vogt schreibt seit 2015 über Wissenschaft und Medizin."],
            "share": ["Link kopieren"],
            "content": ["Die Kommission will bis Ende des Jahres über die Beschwerde entscheiden."]}),
    "fr": (["Le conseil municipal a adopté mardi soir le budget de l'année prochaine, après plusieurs heures de discussion sur les transports.",
            "Les élus de l'opposition ont dénoncé la hausse des tarifs du stationnement et réclamé une consultation des habitants.",
            "La maire a promis un premier bilan des nouvelles lignes de bus avant l'été."],
           {"affiliate": ["Certains liens de cet article sont affiliés : un achat via ces liens peut nous rapporter une petite rémunération."],
            "author_bio": ["Julien Marchand est journaliste indépendant, spécialiste des transports."],
            "content": ["L'auteur du rapport, un ancien ingénieur de la ville, a travaillé deux ans sur le dossier."]}),
    "es": (["El ayuntamiento aprobó el martes el presupuesto del próximo año tras un largo debate sobre el coste de las obras en el puerto.",
            "La oposición criticó los recortes en cultura y pidió que se revisen las cuentas antes del verano.",
            "El alcalde aseguró que las obras comenzarán en septiembre y durarán dos años."],
           {"affiliate": ["Este artículo incluye enlaces de afiliados; si compras a través de ellos, podemos recibir una comisión."],
            "content": ["La empresa cobrará una comisión del dos por ciento por cada venta realizada en su plataforma."]}),
    "ja": (["市議会は火曜日、来年度の予算案を賛成多数で可決した。学校の改修費をめぐって議論は長時間に及んだ。",
            "野党会派は図書館の開館時間の短縮に反対し、春に改めて審議するよう求めた。",
            "市長は夏までに支出を見直す考えを示した。"],
           {"affiliate": ["※この記事には広告リンクが含まれており、購入されると当サイトに収益が発生することがあります。"]}),
    "zh": (["市议会周二通过了明年的财政预算，议员们就学校翻修的费用讨论了数个小时。",
            "反对派议员批评图书馆经费被削减，并要求在春季重新表决。",
            "市长表示，将在夏季之前对各项支出进行复核。"],
           {"affiliate": ["本文部分链接为推广链接，通过链接购买商品，本站可能获得佣金。"]}),
}


def placed_in_own_language(cleaner: Cleaner, paragraphs: list[str], line: str) -> list[float]:
    """The line's removal score after the article's first paragraph, after
    its second, and at its end (0 where it was kept)."""
    return [removal_score(cleaner, "\n\n".join([*paragraphs[:at], line, *paragraphs[at:]]), line) for at in (1, 2, 3)]


def placements() -> list[tuple[str, str, str]]:
    """(kind, language, line) of every probe line, English first."""
    rows = [(kind, "en", line) for kind, lines in PROBES.items() for line in lines]
    rows += [(kind, lang, line) for lang, (_, kinds) in OTHER_LANGUAGES.items() for kind, lines in kinds.items() for line in lines]
    return rows


def main(argv: list[str] | None = None) -> int:
    cleaner = probe_cleaner(argv, __doc__.splitlines()[0])
    removed: dict[str, list[int]] = {kind: [0, 0] for kind in PROBES}
    print("| kind | language | scores in three placements | line |\n| --- | --- | --- | --- |")
    for kind, lang, line in placements():
        scores = placed_scores(cleaner, line) if lang == "en" else placed_in_own_language(cleaner, OTHER_LANGUAGES[lang][0], line)
        removed[kind][0] += sum(score > 0 for score in scores)
        removed[kind][1] += len(scores)
        print(f"| {kind} | {lang} | {' '.join(f'{score:.2f}' for score in scores)} | {line} |")
    print("\nremoved: " + "; ".join(f"{kind} {got} of {of}" for kind, (got, of) in removed.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
