"""zstd-compressed JSONL (`.jsonl.zst`) for `cleaner batch`, in and out.

Many LLM-data sets ship their shards as zstd-compressed JSONL. The
`zstandard` package is an optional dependency (`pip install zstandard`;
in a checkout `pip install -e '.[zstd]'`), imported only when such a file is read or written; without
it, reading a `.zst` file is that file's error record and writing one is a
usage error, each saying what to install. A file of several zstd frames (as
`zstd -T0` and concatenated shards make) is read across all of them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from .reading import has_suffix

NEEDS_ZSTANDARD = "reading or writing .zst files needs zstandard: pip install zstandard (in a checkout: pip install -e '.[zstd]')"
_READ_BUFFER = 1 << 16
LEVEL = 3  # zstd's default: about gzip's size at several times its speed


def is_zst(path: Path | str) -> bool:
    return has_suffix(path, ".zst")


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError as exc:
        raise OSError(NEEDS_ZSTANDARD) from exc
    return zstandard


# Compressed bytes fed to the decompressor at a time. zstandard's decompressor
# objects cannot cap their output, and a zstd block of a few bytes can stand
# for 128 KB, so a small feed bounds what one call makes (1 KB: at most about
# 32 MB) while costing next to nothing against cleaning what it holds.
_FEED = 1 << 10


class _Decompressed(io.RawIOBase):
    """A zstd file's decompressed bytes, every frame of it in turn. A file
    that ends inside a frame, or holds what is not zstd, raises OSError (the
    batch reader makes it an error record after the lines before it):
    zstandard's own stream reader ends quietly at a cut, which would lose the
    rest of a shard without a word."""

    def __init__(self, path: Path) -> None:
        self._zstd = _zstandard()
        self._file = path.open("rb")
        self._frame = self._zstd.ZstdDecompressor().decompressobj()
        self._in_frame = False  # the current frame has had input
        self._out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out:
            data = self._file.read(_FEED)
            if not data:
                if self._in_frame:
                    raise OSError("zstd data is cut short")
                return 0
            self._out = memoryview(self._decompress(data))
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _decompress(self, data: bytes) -> bytes:
        parts = []
        while data:
            self._in_frame = True
            try:
                parts.append(self._frame.decompress(data))
            except self._zstd.ZstdError as exc:
                raise OSError(f"zstd data is damaged ({exc})") from exc
            if not self._frame.eof:
                break
            data = self._frame.unused_data  # the next frame starts here
            self._frame = self._zstd.ZstdDecompressor().decompressobj()
            self._in_frame = False
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


def open_zst_lines(path: Path) -> IO[bytes]:
    """A `.zst` file's decompressed bytes, for reading line by line; OSError
    when it cannot be opened or zstandard is missing."""
    return io.BufferedReader(_Decompressed(path), buffer_size=_READ_BUFFER)


def open_zst_output(path: Path) -> IO[bytes]:
    """A stream that writes zstd-compressed bytes to `path`; closing it ends
    the frame and closes the file. OSError when zstandard is missing."""
    zstd = _zstandard()
    return zstd.ZstdCompressor(level=LEVEL).stream_writer(path.open("wb"), closefd=True)
