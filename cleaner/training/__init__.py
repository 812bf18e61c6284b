"""Training: authored sources -> composed labelled documents -> fitted model."""

# What `cleaner train` does by default, and so how the bundled model is made;
# here, not in train.py, so the command line can show them without importing
# scikit-learn.
DEFAULT_SEED = 5
DEFAULT_TEXT_DOCS = 5000
DEFAULT_HTML_DOCS = 3000
