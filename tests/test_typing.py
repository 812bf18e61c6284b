"""The type hints hold: the package ships `py.typed`, so a user's type checker
reads them, and a wrong hint would mislead every ETL job that trusts it."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO

USER_CODE = '''\
from cleaner import Cleaner, CleanResult, InputError, RemovedSpan, clean
from cleaner.batch import DocumentError, clean_many

result: CleanResult = clean("Councillors voted on Tuesday.\\nAdvertisement\\n", kind="text")
spans: list[RemovedSpan] = list(result.removed)
offsets: list[tuple[int, int, str, float]] = [(s.start, s.end, s.label, s.score) for s in spans]
report: dict = result.to_dict(include_text=True)
cleaner = Cleaner(threshold=0.6, keep=["meta"], max_bytes=1_000_000, timeout=5.0)
for outcome in cleaner.clean_each(["a text", b"bytes"], kind="text"):
    text: str = outcome.text if isinstance(outcome, CleanResult) else str(outcome)
for item in clean_many(["one", "two"], jobs=1):
    if isinstance(item, DocumentError):
        print(item.message)
try:
    clean(b"\\x89PNG")
except InputError as exc:
    print(exc)
wrong: int = result.text
'''


def _mypy(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *args], capture_output=True, text=True, cwd=cwd)


def test_the_package_type_checks():
    run = _mypy("--config-file", str(REPO / "pyproject.toml"), str(REPO / "cleaner"), cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_user_s_type_checker_reads_the_installed_package(tmp_path):
    """Run where the package is only importable as installed (not from the
    working folder): without py.typed, mypy would skip it as untyped and the
    wrong assignment in the last line would pass unseen."""
    script = tmp_path / "job.py"
    script.write_text(USER_CODE, encoding="utf-8")
    run = _mypy(str(script), cwd=tmp_path)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    last = len(USER_CODE.splitlines())
    assert errors == [f'job.py:{last}: error: Incompatible types in assignment (expression has type "str", variable has type "int")  [assignment]'], run.stdout
