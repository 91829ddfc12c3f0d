"""An Arrow table from rows of Python values, built from raw buffers.

``pyarrow.array`` imports pandas the first time it converts anything (to
check whether its input is a pandas object): a quarter of a second, which
is a fifth of ``nq28 ingest`` on a thousand workbooks. The submissions
table has four kinds of column (text, date, whole number, yes/no), so its
columns are built here straight from Arrow's buffer layout instead: a
validity bitmap, then offsets and UTF-8 bytes (text) or fixed-width values.

>>> table = table_from_rows([{"a": "Hoàn thành", "n": 3}, {"a": None, "n": None}],
...                         [("a", "string"), ("n", "int32")])
>>> table.column("a").to_pylist(), table.column("n").to_pylist()
(['Hoàn thành', None], [3, None])
"""

from __future__ import annotations

from array import array
from datetime import date

__all__ = ["table_from_rows"]

_EPOCH = date(1970, 1, 1).toordinal()
assert array("i").itemsize == 4, "Arrow's offsets and int32/date32 values are 4 bytes"


def _bitmap(flags: list[bool]) -> bytes:
    """Arrow's bit-packed booleans: bit ``i % 8`` of byte ``i // 8`` (read as one
    little-endian number, the flags are its binary digits from the last)."""
    digits = "".join(["1" if flag else "0" for flag in reversed(flags)]) or "0"
    return int(digits, 2).to_bytes((len(flags) + 7) // 8, "little")


def _column(pa, kind: str, values: list):
    """One Arrow array of ``kind`` (``string``, ``date32``, ``int32``, ``bool``)."""
    valid = [v is not None for v in values]
    validity = None if all(valid) else pa.py_buffer(_bitmap(valid))
    if kind == "string":
        encoded = [v.encode() if v is not None else b"" for v in values]
        offsets = array("i", [0])
        total = 0
        for chunk in encoded:
            total += len(chunk)
            offsets.append(total)
        buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
        return pa.Array.from_buffers(pa.string(), len(values), buffers)
    if kind == "bool":
        data = _bitmap([bool(v) for v in values])
        return pa.Array.from_buffers(pa.bool_(), len(values), [validity, pa.py_buffer(data)])
    if kind == "date32":
        numbers = array("i", (v.toordinal() - _EPOCH if v is not None else 0 for v in values))
        return pa.Array.from_buffers(pa.date32(), len(values), [validity, pa.py_buffer(numbers)])
    if kind == "int32":
        numbers = array("i", (v if v is not None else 0 for v in values))
        return pa.Array.from_buffers(pa.int32(), len(values), [validity, pa.py_buffer(numbers)])
    raise ValueError(f"unsupported column kind: {kind}")


def table_from_rows(rows: list[dict], fields: list[tuple[str, str]]):
    """A ``pyarrow.Table`` with ``fields`` (name, kind) taken from ``rows``.

    Every value is ``None`` or of its column's Python type (``str``,
    ``datetime.date``, ``int``, ``bool``): unlike ``pyarrow.array``, nothing
    here checks or converts (the caller builds the rows)."""
    import pyarrow as pa

    columns = [_column(pa, kind, [row[name] for row in rows]) for name, kind in fields]
    return pa.Table.from_arrays(columns, names=[name for name, _ in fields])
