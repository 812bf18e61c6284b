"""Training: authored sources -> composed labelled documents -> fitted model."""
