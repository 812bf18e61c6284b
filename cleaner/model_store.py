"""Save and load the trained model, refusing files the project does not trust.

A joblib file is a pickle and loading a pickle runs code. The package therefore
loads its bundled model only when the file's SHA-256 equals the one in the
manifest next to it, and loads any other file only when the caller says it
trusts it. The bytes are hashed and unpickled from the same buffer, so the file
cannot change between the check and the load.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ModelError
from .result import ModelInfo

if TYPE_CHECKING:
    from .scorer import BlockScorer

MODEL_FILE = "cleaner-model.joblib"
MANIFEST_FILE = "manifest.json"


def default_model_dir() -> Path:
    """The bundled models/ folder: inside the installed package, else the repo's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parent / "models"):
        if (candidate / MANIFEST_FILE).exists():
            return candidate
    return here.parent / "models"


@dataclass(frozen=True, slots=True)
class LoadedModel:
    classifier: BlockScorer
    info: ModelInfo
    manifest: dict


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_model(path: str | Path | None = None, trust: bool = False) -> LoadedModel:
    """Load the bundled model (checked against its manifest) or a trusted file."""
    import joblib
    import numpy

    if path is None:
        folder = default_model_dir()
        manifest_path = folder / MANIFEST_FILE
        if not manifest_path.exists():
            raise ModelError(f"no model manifest at {manifest_path}; train one with `cleaner train`")
        manifest = _read_manifest(manifest_path)
        if not isinstance(manifest.get("file"), str):
            raise ModelError(f"model manifest {manifest_path} names no model file")
        model_path = folder / manifest["file"]
    else:
        model_path = Path(path)
        if not trust:
            raise ModelError(
                f"refusing to load {model_path}: model files are pickles and loading one runs its code; "
                "pass --trust-model (trust_model=True) if you made this file"
            )
        manifest_path = model_path.with_name(MANIFEST_FILE)
        manifest = _read_manifest(manifest_path) if manifest_path.exists() else {}
    try:
        data = model_path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read model file {model_path}: {exc.strerror}") from exc
    digest = sha256_of(data)
    if path is None and digest != manifest.get("sha256"):
        raise ModelError(f"model file {model_path} does not match its manifest's SHA-256; refusing to load it")
    # The file holds numpy arrays; their pickles are only promised to load
    # within one numpy major version.
    saved_with = manifest.get("numpy_version", "")
    if saved_with and saved_with.split(".")[0] != numpy.__version__.split(".")[0]:
        raise ModelError(f"model was saved with numpy {saved_with} but {numpy.__version__} is installed; retrain with `cleaner train`")
    try:
        classifier = joblib.load(io.BytesIO(data))
    except Exception as exc:  # unpickling can fail in many ways; all mean "bad file"
        raise ModelError(f"cannot load model file {model_path}: {exc}") from exc
    if not callable(getattr(classifier, "predict_doc", None)):
        raise ModelError(f"model file {model_path} holds a {type(classifier).__name__}, not a cleaner model")
    problem = classifier.mismatch() if callable(getattr(classifier, "mismatch", None)) else None
    if problem:
        raise ModelError(f"model file {model_path} does not fit this version of cleaner: {problem}; retrain with `cleaner train`")
    info = ModelInfo(manifest.get("name", model_path.stem), str(manifest.get("version", "unknown")), digest)
    return LoadedModel(classifier, info, manifest)


def _read_manifest(path: Path) -> dict:
    """A model's manifest: a JSON object, else ModelError (a damaged one
    raised JSONDecodeError or AttributeError out of `Cleaner()`)."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"cannot read model manifest {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:  # not JSON, or not UTF-8
        raise ModelError(f"model manifest {path} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict):
        raise ModelError(f"model manifest {path} is not a JSON object")
    return manifest


def save_model(classifier: object, folder: Path, manifest: dict) -> dict:
    """Write the model and its manifest; return the manifest with the SHA-256 added."""
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    joblib.dump(classifier, buffer, compress=3)
    data = buffer.getvalue()
    (folder / MODEL_FILE).write_bytes(data)
    manifest = {**manifest, "file": MODEL_FILE, "sha256": sha256_of(data), "bytes": len(data)}
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest
