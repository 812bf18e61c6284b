"""Training: authored sources -> composed labelled documents -> fitted model."""

# What `cleaner train` does by default, and so how the bundled model is made;
# here, not in train.py, so the command line can show them without importing
# scikit-learn.
# The seed was picked among 5 to 9 on the composed dev sets alone (recall
# at the previous model's content loss, text and HTML; README, Quality),
# among the seeds whose model keeps the authored label-led teaser probe
# (scripts/teaser_probe.py) in its usual range: with the same recipe, seeds
# differ by up to 0.03 in text recall there, and by half the probe.
# 8,000 + 4,800 documents instead of 5,000 + 3,000 (2026-11-28): higher dev
# average precision for every seed tried, text and HTML, and higher mean dev
# recall, for 55% more training time.
DEFAULT_SEED = 8
DEFAULT_TEXT_DOCS = 8000
DEFAULT_HTML_DOCS = 4800
