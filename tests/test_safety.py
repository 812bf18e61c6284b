"""Nothing the package reads can run code or reach the network: model files
are loaded only when checked or trusted, and cleaning, training and batch mode
work with every socket blocked."""

from __future__ import annotations

import json
import pickle
import socket

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, ModelError, clean
from cleaner.batch import clean_many
from cleaner.cli import app
from cleaner.model_store import MANIFEST_FILE, MODEL_FILE, default_model_dir, load_model, sha256_of
from cleaner.training.train import TrainConfig, train

from .conftest import EXAMPLES, REPO


class _Planted:
    """Unpickling this writes a file: the stand-in for code a model file runs."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _planted_model(folder, marker) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = pickle.dumps(_Planted(str(marker)))
    (folder / MODEL_FILE).write_bytes(data)
    bundled = json.loads((default_model_dir() / MANIFEST_FILE).read_text(encoding="utf-8"))
    (folder / MANIFEST_FILE).write_text(json.dumps(bundled), encoding="utf-8")


def test_a_model_file_that_runs_code_is_never_unpickled_unasked(tmp_path, monkeypatch):
    marker = tmp_path / "code-ran"
    folder = tmp_path / "models"
    _planted_model(folder, marker)
    with pytest.raises(ModelError, match="model files are pickles and loading one runs its code; pass --trust-model"):
        Cleaner(model_path=folder / MODEL_FILE)
    monkeypatch.setattr("cleaner.model_store.default_model_dir", lambda: folder)
    with pytest.raises(ModelError, match="does not match its manifest's SHA-256"):
        load_model()
    result = CliRunner().invoke(app, ["clean", str(EXAMPLES / "article.txt"), "--model", str(folder / MODEL_FILE)])
    assert result.exit_code == 3 and "runs its code" in result.stderr
    assert not marker.exists(), "nothing was unpickled"


def test_trust_is_what_lets_a_model_file_run(tmp_path):
    """The flag is the whole protection: with it, the file's code does run
    (which is why the message asks for it only for files you made)."""
    marker = tmp_path / "code-ran"
    folder = tmp_path / "models"
    _planted_model(folder, marker)
    with pytest.raises(ModelError):
        load_model(folder / MODEL_FILE, trust=True)  # not a model, but it was unpickled
    assert marker.exists()


@pytest.fixture
def no_network(monkeypatch):
    """Every way to open a connection or resolve a name raises, and is recorded
    (in case some library swallows the error)."""
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(name)
            raise OSError(f"network blocked by test: {name}")
        return blocked

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
        monkeypatch.setattr(socket, name, refuse(name))
    # Not bind: urllib3 (imported by trafilatura) probes IPv6 support by binding
    # to the loopback address, which reaches no network.
    for method in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, method, refuse(f"socket.{method}"))
    return attempts


def test_cleaning_training_and_batch_work_offline(no_network, tmp_path):
    text = clean((EXAMPLES / "article.txt").read_bytes())
    html = clean((EXAMPLES / "page.html").read_bytes())
    assert text.removed and html.kind == "html" and html.removed

    manifest = train(TrainConfig(REPO / "training_data", tmp_path / "model", seed=3, n_text=20, n_html=4, n_dev_text=4, n_dev_html=2, folds=2),
                     log=lambda _: None)
    assert sha256_of((tmp_path / "model" / MODEL_FILE).read_bytes()) == manifest["sha256"]
    trained = Cleaner(model_path=tmp_path / "model" / MODEL_FILE, trust_model=True)
    assert trained.clean("Advertisement\nSome text here.\n", kind="text").base == "Advertisement\nSome text here.\n"

    documents = [(EXAMPLES / "article.txt").read_bytes(), (EXAMPLES / "page.html").read_bytes(), b"\x89PNG\r\n\x1a\n"]
    results = list(clean_many(documents, jobs=1))
    assert [type(r).__name__ for r in results] == ["CleanResult", "CleanResult", "DocumentError"]
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(EXAMPLES), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == len([p for p in EXAMPLES.rglob("*") if p.is_file()])
    assert no_network == []
