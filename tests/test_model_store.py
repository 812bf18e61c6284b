"""Model loading: the bundled model is checked by SHA-256; other files need trust."""

from __future__ import annotations

import json
import shutil

import pytest

from cleaner import Cleaner, ModelError
from cleaner.model_store import MANIFEST_FILE, MODEL_FILE, default_model_dir, load_model, sha256_of


def test_bundled_model_matches_its_manifest():
    folder = default_model_dir()
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    data = (folder / MODEL_FILE).read_bytes()
    assert sha256_of(data) == manifest["sha256"]
    loaded = load_model()
    assert loaded.info.sha256 == manifest["sha256"]
    assert loaded.manifest["labels"][0] == "content"


def test_model_card_records_the_library_versions():
    import numpy

    folder = default_model_dir()
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["numpy_version"].split(".")[0] == numpy.__version__.split(".")[0]
    assert f"scikit-learn {manifest['sklearn_version']}" in card
    assert f"numpy {manifest['numpy_version']}" in card


def test_cleaning_does_not_import_scikit_learn():
    """Nor does cleaning text import lxml (trafilatura's parser, for HTML
    only): each costs a shell user startup time for nothing."""
    import subprocess
    import sys

    code = ("import sys; from cleaner import clean; clean('Advertisement\\nSome [text](https://x.example) here.'); "
            "print('sklearn' in sys.modules, 'lxml' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False False"


def test_one_large_document_sets_up_neither_batch_structure():
    """Cleaning one large text in a fresh process builds neither the
    vocabulary's hash table nor the sparse product (about 0.1 s each, which
    such a run would never earn back: `LexicalWeights.hashed_once_earned`,
    `_word_sums`), and does not import scipy.sparse."""
    import subprocess
    import sys

    code = (
        "import sys; from cleaner import Cleaner; c = Cleaner()\n"
        "text = '\\n\\n'.join(f'Paragraph {i}: the council met on Tuesday to discuss the harbour, the ferry timetable "
        "and the new bridge, which opens in May.' for i in range(400))\n"
        "c.clean(text, kind='text'); lexical = c.model.classifier.lexical\n"
        "print('scipy.sparse' in sys.modules, '_hashed' in lexical.__dict__, '_word_coef64' in lexical.__dict__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False False False"


def _copy_bundle(tmp_path):
    folder = tmp_path / "models"
    shutil.copytree(default_model_dir(), folder)
    return folder


def test_tampered_model_is_refused(tmp_path, monkeypatch):
    folder = _copy_bundle(tmp_path)
    data = bytearray((folder / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / MODEL_FILE).write_bytes(bytes(data))
    monkeypatch.setattr("cleaner.model_store.default_model_dir", lambda: folder)
    with pytest.raises(ModelError, match="does not match its manifest"):
        load_model()


def test_missing_manifest_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("cleaner.model_store.default_model_dir", lambda: tmp_path)
    with pytest.raises(ModelError, match="no model manifest"):
        load_model()


@pytest.mark.parametrize("manifest, message", [
    ("{not json", "is not valid JSON"), ("[1, 2]", "is not a JSON object"), ('{"sha256": "x"}', "names no model file"),
    (b"\xff\xfe{}", "is not valid JSON"),
], ids=["broken", "a list", "no file", "not utf-8"])
def test_a_damaged_manifest_is_a_model_error(tmp_path, monkeypatch, manifest, message):
    # They raised JSONDecodeError, AttributeError and KeyError out of Cleaner().
    folder = _copy_bundle(tmp_path)
    path = folder / "manifest.json"
    path.write_bytes(manifest if isinstance(manifest, bytes) else manifest.encode())
    monkeypatch.setattr("cleaner.model_store.default_model_dir", lambda: folder)
    with pytest.raises(ModelError, match=message):
        load_model()
    if message != "names no model file":  # beside a file given by path, the manifest is only read
        with pytest.raises(ModelError, match=message):
            load_model(folder / MODEL_FILE, trust=True)


def test_other_model_files_need_explicit_trust(tmp_path):
    folder = _copy_bundle(tmp_path)
    with pytest.raises(ModelError, match="runs its code"):
        Cleaner(model_path=folder / MODEL_FILE)
    trusted = Cleaner(model_path=folder / MODEL_FILE, trust_model=True)
    assert trusted.clean("Advertisement\n", kind="text").base == "Advertisement\n"


def test_model_from_another_numpy_major_version_is_refused(tmp_path, monkeypatch):
    folder = _copy_bundle(tmp_path)
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["numpy_version"] = "1.26.4"
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr("cleaner.model_store.default_model_dir", lambda: folder)
    with pytest.raises(ModelError, match="saved with numpy 1.26.4"):
        load_model()


def test_model_trained_on_other_features_is_refused(tmp_path):
    """A model from a version that made more feature columns would be read by
    position and score nonsense: it is refused at load with the reason."""
    import copy

    from cleaner.model_store import save_model

    loaded = load_model()
    classifier = copy.deepcopy(loaded.classifier)
    assert classifier.mismatch() is None
    classifier.context.feature_[0] = 10_000
    save_model(classifier, tmp_path, {"name": "wider"})
    with pytest.raises(ModelError, match=r"does not fit this version of cleaner: stage two reads feature column 10000; this version makes \d+ columns; retrain"):
        load_model(tmp_path / MODEL_FILE, trust=True)


def test_model_trained_before_label_lines_had_their_own_token_is_refused(tmp_path):
    """Such a model has no "_l_" tokens: a label line's first word would be
    unknown to it and weigh nothing, so it is refused rather than quietly
    scoring "Related: ..." lines worse than it did."""
    import copy

    from cleaner.model_store import save_model

    classifier = copy.deepcopy(load_model().classifier)
    del classifier.lexical.lead_weight  # as pickled before the attribute existed
    save_model(classifier, tmp_path, {"name": "older"})
    with pytest.raises(ModelError, match="trained before label lines had a token of their own; retrain"):
        load_model(tmp_path / MODEL_FILE, trust=True)


def test_vocabulary_goes_into_the_file_as_one_string_and_comes_back_the_same():
    """joblib unpickles opcode by opcode in Python, so the vocabulary is
    written as one string (`scorer.pack_vocabulary`): the dict rebuilt from
    it has the same tokens, columns and order; a vocabulary that cannot be
    joined safely stays a dict."""
    from cleaner.scorer import pack_vocabulary, unpack_vocabulary

    vocabulary = load_model().classifier.lexical.vocabulary
    packed = pack_vocabulary(vocabulary)
    assert isinstance(packed, str)
    rebuilt = unpack_vocabulary(packed)
    assert rebuilt == vocabulary and list(rebuilt) == list(vocabulary)
    for odd in ({"b": 0, "a": 2}, {"a\x00b": 0, "c": 1}):
        assert pack_vocabulary(odd) is odd and unpack_vocabulary(odd) == odd
    assert unpack_vocabulary(pack_vocabulary({})) == {}


def test_model_file_written_with_the_vocabulary_as_a_dict_still_loads(tmp_path):
    """Files saved before the vocabulary was packed hold the dict itself:
    unpickling hands that state to `LexicalWeights.__setstate__`, and the
    model cleans as the bundled one does."""
    import copy

    from cleaner.model_store import save_model
    from cleaner.scorer import LexicalWeights

    classifier = copy.deepcopy(load_model().classifier)
    state = classifier.lexical.__getstate__()
    assert isinstance(state["vocabulary"], str)
    state["vocabulary"] = dict(classifier.lexical.vocabulary)  # as an older file holds it
    older = LexicalWeights.__new__(LexicalWeights)
    older.__setstate__(state)
    assert older.vocabulary == classifier.lexical.vocabulary
    classifier.lexical = older
    save_model(classifier, tmp_path, {"name": "older"})
    text = "Officials said the bridge would reopen in May.\n\nRead more: Ten things to do this weekend\n\nThe works cost $4 million."
    ours = Cleaner(model_path=tmp_path / MODEL_FILE, trust_model=True).clean(text, kind="text")
    bundled = Cleaner().clean(text, kind="text")
    assert ours.to_dict()["removed"] == bundled.to_dict()["removed"] and ours.text == bundled.text


def test_a_pickled_cleaner_names_the_bundled_model_instead_of_holding_it(tmp_path):
    # pool.map(cleaner.clean, pages) pickles the Cleaner with every task: with the
    # model inside, 8 MB and a fresh load each time (about 0.14 s a document).
    import pickle

    cleaner = Cleaner(threshold=0.7, keep=["meta"], timeout=5)
    data = pickle.dumps(cleaner)
    assert len(data) < 10_000
    back = pickle.loads(data)
    assert back.model is cleaner.model and (back.threshold, back.keep, back.timeout) == (0.7, frozenset({"meta"}), 5.0)
    text = "The board met on Tuesday to vote on the plan.\nShare this article\n"
    assert back.clean(text).to_dict() == cleaner.clean(text).to_dict()
    own = Cleaner(model_path=_copy_bundle(tmp_path) / MODEL_FILE, trust_model=True)  # a file's model travels whole
    assert len(pickle.dumps(own)) > 1_000_000 and pickle.loads(pickle.dumps(own)).clean(text).text == own.clean(text).text


def test_pickling_a_cleaner_with_a_file_s_model_never_loads_the_bundled_one(tmp_path, monkeypatch):
    # It asked for the bundled model to compare with: a package copy without models/ could not pickle.
    import pickle

    own = Cleaner(model_path=_copy_bundle(tmp_path) / MODEL_FILE, trust_model=True)

    def missing():
        raise ModelError("no model manifest")

    monkeypatch.setattr("cleaner.pipeline._bundled_model", missing)
    assert pickle.loads(pickle.dumps(own)).clean("Advertisement\n", kind="text").base == "Advertisement\n"
