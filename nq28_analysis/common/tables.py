"""Reading and writing the project's CSV tables.

Reference tables are edited by analysts, usually in Excel on Windows, which
may save them back as UTF-8 or Windows-1258 (or UTF-16 "Unicode text"), with
``,``, ``;`` or tab between fields, and with dates in the local
``dd/mm/yyyy`` form. :func:`read_table` takes all of these, says which it
found, and returns text columns only; :class:`Column` specs then check and
convert each column and collect every problem in one pass.

Every CSV the project writes goes through :func:`write_csv`: UTF-8 with BOM,
comma-separated, and text that Excel would run as a formula kept as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .files import write_file
from .problems import Problem
from .text import fold, nfc

__all__ = [
    "Column",
    "Table",
    "check_columns",
    "csv_records",
    "decode_bytes",
    "parse_bool",
    "parse_date",
    "read_table",
    "sniff_delimiter",
    "split_list",
    "write_csv",
    "write_rows",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A reference table read from disk, every cell a stripped NFC string.

    ``records`` holds one dict per non-empty row (header → cell) and
    ``rows`` the row number a person sees for each (the header is row 1).
    ``encoding`` and ``delimiter`` say what was found, in words.
    """

    path: Path
    name: str
    columns: list[str]
    records: list[dict[str, str]]
    rows: list[int]
    encoding: str
    delimiter: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def frame(self):
        """The table as a pandas DataFrame of strings (for notebooks)."""
        import pandas as pd

        return pd.DataFrame(self.records, columns=self.columns, dtype="str")

    @property
    def found(self) -> str:
        """``"units.csv: mã hóa UTF-8, phân cách bằng dấu phẩy"``."""
        return f"{self.name}: mã hóa {self.encoding}, phân cách bằng {self.delimiter}"


_DELIMITER_WORDS = {",": "dấu phẩy (,)", ";": "dấu chấm phẩy (;)", "\t": "tab"}


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes: BOM-marked UTF-8 or UTF-16, else UTF-8, else
    Windows-1258. Returns the text and the encoding's name in Vietnamese."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (có BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace"), "Windows-1258"


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV text: ``,``, ``;`` or tab, by its header line."""
    header = text.split("\n", 1)[0]
    # Count outside quotes only.
    bare = re.sub(r'"[^"]*"', "", header)
    counts = {d: bare.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_records(text: str) -> tuple[list[list[str]], str]:
    """The records of a CSV text (any newline, its delimiter sniffed), and the delimiter."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = sniff_delimiter(text)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter)), delimiter


def read_table(path: Path | str) -> Table:
    """Read a CSV reference table written by this project or saved by Excel.

    Empty rows and unnamed empty columns (Excel adds them) are dropped; the
    row numbers of the remaining rows are kept for messages. Header names
    are matched without case or diacritics by the column specs, not here.
    """
    path = Path(path)
    data = path.read_bytes()
    text, encoding = decode_bytes(data)
    problems: list[Problem] = []
    if "\ufffd" in text and encoding == "Windows-1258":
        problems.append(
            Problem(
                path.name,
                "ref-encoding",
                "Tệp có ký tự không đọc được; hãy lưu lại dưới dạng «CSV UTF-8».",
            )
        )
    records, delimiter = csv_records(text)
    header = [nfc(h) for h in records[0]] if records else []
    keep = [i for i, h in enumerate(header) if h]
    columns = [header[i] for i in keep]
    body: list[dict[str, str]] = []
    rows: list[int] = []
    for number, record in enumerate(records[1:], start=2):
        cells = [nfc(record[i]) if i < len(record) else "" for i in keep]
        extra = [c for i, c in enumerate(record) if i not in keep and nfc(c)]
        if extra:
            problems.append(
                Problem(
                    path.name,
                    "ref-extra-cell",
                    f"Dòng có giá trị nằm ngoài các cột có tiêu đề: {extra!r}.",
                    row=number,
                )
            )
        if not any(cells):
            continue
        body.append(dict(zip(columns, cells, strict=True)))
        rows.append(number)
    return Table(
        path=path,
        name=path.name,
        columns=columns,
        records=body,
        rows=rows,
        encoding=encoding,
        delimiter=_DELIMITER_WORDS[delimiter],
        problems=problems,
    )


# --- values ---------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: 0?0:00(?::00)?)?$")


def parse_date(text: str) -> date:
    """Parse ``2023-02-28``, ``28/02/2023``, ``28-02-23`` or ``28.2.2023``.

    Raises ``ValueError`` with a Vietnamese reason for anything else,
    including a date that does not exist (``31/02/2023``).
    """
    value = nfc(text)
    if m := _ISO.match(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.match(value):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            year += 2000
    else:
        raise ValueError(f"«{value}» không phải ngày (viết dd/mm/yyyy, ví dụ 28/02/2023)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"ngày «{value}» không tồn tại") from None


_TRUE = {"co", "x", "true", "1", "yes", "dung", "c"}
_FALSE = {"khong", "false", "0", "no", "sai", "k", ""}


def parse_bool(text: str) -> bool:
    """``có``/``không``, ``x``/empty, ``TRUE``/``FALSE``, ``1``/``0``."""
    value = fold(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"«{text}» không phải có/không")


def split_list(text: str) -> list[str]:
    """Split a list cell on ``;`` or ``,`` (ids and document numbers never hold either)."""
    return [part for part in (nfc(p) for p in re.split(r"[;,]", text or "")) if part]


# --- column specs -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """What one column of a reference table must hold.

    ``parse`` turns a non-empty cell into a value or raises ``ValueError``
    with a Vietnamese reason; ``choices`` limits the values; a ``required``
    column must have a value on every row.
    """

    name: str
    required: bool = False
    parse: Callable[[str], object] | None = None
    choices: tuple[str, ...] = ()
    code: str = "ref-bad-value"
    help_vi: str = ""


def check_columns(table: Table, columns: Iterable[Column]) -> tuple[list[dict], list[Problem]]:
    """Check ``table`` against ``columns`` and convert its cells.

    Returns one dict per row (column name → converted value, ``None`` when
    empty, plus ``_row`` with the row number and ``_bad`` with the columns
    whose value was rejected) and every problem found. A
    header is matched by its folded form, so ``Mã nhiệm vụ``-style edits of
    case or diacritics do not break it.
    """
    columns = list(columns)
    problems: list[Problem] = []
    by_key = {fold(c): c for c in table.columns}
    present: dict[str, str] = {}
    for column in columns:
        header = by_key.get(fold(column.name))
        if header is None:
            if column.required:
                problems.append(
                    Problem(
                        table.name,
                        "ref-missing-column",
                        f"Thiếu cột «{column.name}» ({column.help_vi}).".replace(" ()", ""),
                        row=1,
                        column=column.name,
                    )
                )
            continue
        present[column.name] = header
    known = {fold(c.name) for c in columns}
    for header in table.columns:
        if fold(header) not in known:
            problems.append(
                Problem(
                    table.name,
                    "ref-unknown-column",
                    f"Cột «{header}» không thuộc bảng này; bỏ qua.",
                    severity="warning",
                    row=1,
                    column=header,
                )
            )
    records: list[dict] = []
    cells = table.records
    for row_number, cell in zip(table.rows, cells, strict=True):
        record: dict = {"_row": row_number, "_bad": set()}
        for column in columns:
            header = present.get(column.name)
            raw = cell[header] if header else ""
            raw = "" if raw is None else str(raw)
            record[column.name] = None
            if not raw:
                if column.required and header:
                    problems.append(
                        Problem(
                            table.name,
                            "ref-missing-value",
                            f"Cột «{column.name}» không được để trống.",
                            row=row_number,
                            column=column.name,
                        )
                    )
                continue
            if column.choices and raw not in column.choices:
                folded = {fold(c): c for c in column.choices}
                if fold(raw) in folded:
                    raw = folded[fold(raw)]
                else:
                    record["_bad"].add(column.name)
                    problems.append(
                        Problem(
                            table.name,
                            column.code,
                            f"Giá trị «{raw}» không hợp lệ; chọn một trong: "
                            + ", ".join(column.choices)
                            + ".",
                            row=row_number,
                            column=column.name,
                        )
                    )
                    continue
            try:
                record[column.name] = column.parse(raw) if column.parse else raw
            except ValueError as exc:
                record["_bad"].add(column.name)
                problems.append(
                    Problem(
                        table.name,
                        column.code,
                        f"{str(exc)[:1].upper()}{str(exc)[1:]}.",
                        row=row_number,
                        column=column.name,
                    )
                )
        records.append(record)
    return records, problems


# --- writing ------------------------------------------------------------------


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell_text(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10] if not hasattr(value, "hour") else value.date().isoformat()
    return _safe(value)


def write_rows(columns: list[str], rows: Iterable[dict], path: Path | str) -> Path:
    """Write ``rows`` (dicts keyed by ``columns``) as UTF-8 with BOM,
    comma-separated, ``\\n`` line ends.

    A text cell starting with ``= + - @`` (or a tab) gets a leading ``'`` so
    that Excel shows it as text instead of running it; numbers stay numbers;
    dates are written ISO; missing values are empty. The file is replaced
    whole (:func:`~nq28_analysis.common.files.write_file`). Returns the path.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell_text(row.get(name)) for name in columns])
    return write_file(path, b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def write_csv(frame, path: Path | str) -> Path:
    """Write a pandas DataFrame like :func:`write_rows` does."""
    return write_rows([str(c) for c in frame.columns], frame.to_dict("records"), path)
