"""Refusing hostile or broken files before any parser reads them.

District committees send workbooks back every quarter, by e-mail, USB stick or
a web form. Some arrive cut in half, some with a password, some are PDFs or web
pages renamed ``.xls``, and a hostile one could be a zip bomb or an XML entity
bomb. :func:`check_file` looks only at cheap evidence — magic bytes, the zip
central directory, the OLE/CFB directory, the first kilobytes of each XML part —
and returns a :class:`FileCheck`: the real format, or one refusal
:class:`~nq28_analysis.common.problems.Problem` whose Vietnamese message says what the
unit should do. It never decompresses more than 64 KB of any part, never expands
an XML entity, and reads only a bounded amount of any input (a zip package,
at most ``max_bytes``, is read whole, once, and walked in memory).

The format comes from the content, not the name: an ``.xls`` that really is an
xlsx (very common) is accepted as ``"xlsx"``, a CSV named ``.xlsx`` as ``"csv"``,
while an HTML page named ``.xls`` is refused. For xlsx/xlsm the declared sheet
extents (``<dimension ref="A1:F40"/>``) are returned, so the reader can read
only the table when a stray mark sits in a far corner.

A ``<!DOCTYPE`` with an internal subset (``[...]``, where entities are
declared) and any ``<!ENTITY`` are refused. A DOCTYPE that only names an
external DTD is allowed: the parts of a LibreOffice Basic library carry one
(an .ods holding macros), no reader here fetches external DTDs, and it
declares no entity.

Refusal codes: ``file-unreadable``, ``file-empty``, ``file-too-large``,
``file-not-spreadsheet``, ``file-truncated``, ``file-zip-bomb``,
``file-encrypted``, ``file-xml-entities``.
"""

from __future__ import annotations

import codecs
import html
import io
import lzma
import posixpath
import re
import stat
import struct
import sys
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..common.formatting import number
from ..common.problems import Problem

__all__ = ["FileCheck", "Refusal", "ZipEntry", "check_file", "read_member", "refusal_message"]

_HEAD = 64 * 1024  # bytes of a file (or of an XML part) looked at, at most
_XML_STEPS = (4 * 1024, 16 * 1024, _HEAD)  # growing reads of an XML part's head
_DIMENSION_HEAD = 4 * 1024  # where a worksheet's <dimension> is looked for
_SCAN_BUDGET = 64 * 2**20  # decompressed bytes read from all XML parts together
_MAX_MEMBERS = 10_000
_MAX_DIRECTORY = 8 * 2**20  # bytes of a zip central directory
_BIG_MEMBER = 10 * 2**20  # the ratio test applies above this uncompressed size
_XML_SUFFIXES = (".xml", ".rels", ".vml", ".rdf")
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".xls", ".xlsx", ".xlsm", ".ods"}

_SAVE_AS_XLSX = "đề nghị đơn vị mở tệp bằng Excel, Lưu lại bằng Excel dưới dạng .xlsx rồi gửi lại"
_MESSAGES = {
    "file-unreadable": (
        "Không mở được tệp để đọc (không tồn tại, là thư mục hoặc không có quyền đọc); "
        "đề nghị kiểm tra lại tệp trong thư mục nhận báo cáo."
    ),
    "file-empty": (
        "Tệp rỗng (0 byte), có thể do tải lên hoặc sao chép bị lỗi; "
        "đề nghị đơn vị gửi lại tệp báo cáo."
    ),
    "file-too-large": (
        "Tệp quá lớn ({size}, tối đa {limit}); đề nghị đơn vị xoá hình ảnh và các trang "
        "không thuộc biểu mẫu rồi gửi lại."
    ),
    "file-not-spreadsheet": (
        "Tệp không phải bảng tính mà là {what}; đề nghị đơn vị gửi đúng tệp Excel (.xlsx) "
        "của biểu mẫu báo cáo."
    ),
    "file-truncated": (
        "Tệp bị hỏng hoặc bị cắt cụt (có thể tải lên hoặc sao chép chưa xong); "
        "đề nghị đơn vị mở thử tệp trên máy mình rồi gửi lại bản đầy đủ."
    ),
    "file-zip-bomb": (
        "Tệp có cấu trúc nén bất thường ({detail}) nên không được mở, để bảo vệ máy; "
        + _SAVE_AS_XLSX
        + "."
    ),
    "file-encrypted": "Tệp có mật khẩu; đề nghị đơn vị gỡ mật khẩu rồi gửi lại.",
    "file-xml-entities": (
        "Phần «{part}» trong tệp chứa khai báo DOCTYPE/ENTITY của XML, không được phép "
        "vì có thể làm treo máy; " + _SAVE_AS_XLSX + "."
    ),
}
_WEB_PAGE = (
    "Tệp là {what} được đặt tên như tệp bảng tính (thường do phần mềm hoặc trang web "
    "xuất ra); " + _SAVE_AS_XLSX + "."
)
_LONG_PROLOG = (
    "Phần «{part}» trong tệp có phần mở đầu XML dài bất thường, không kiểm tra được; "
    + _SAVE_AS_XLSX
    + "."
)
_XLSB = "Tệp là bảng tính Excel nhị phân (.xlsb), chưa đọc được; " + _SAVE_AS_XLSX + "."

_MAGIC = (
    (b"%PDF", "tệp PDF"),
    (b"\x89PNG\r\n\x1a\n", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF87a", "ảnh GIF"),
    (b"GIF89a", "ảnh GIF"),
    (b"II*\x00", "ảnh TIFF"),
    (b"MM\x00*", "ảnh TIFF"),
    (b"Rar!\x1a\x07", "tệp nén RAR"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z"),
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"\xfd7zXZ\x00", "tệp nén xz"),
    (b"{\\rtf", "tệp RTF (Word)"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Exceptions a damaged package or compound file can raise while being read.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    IndexError,
    KeyError,
    OverflowError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
)


@dataclass(frozen=True)
class FileCheck:
    """What :func:`check_file` decided about one file."""

    format: str | None
    problem: Problem | None
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: xlsx/xlsm: sheet name → its worksheet part (``xl/worksheets/sheet1.xml``).
    parts: dict[str, str] = field(default_factory=dict)
    #: xlsx/xlsm: worksheet part → its zip entry, for :func:`read_member`.
    members: dict[str, ZipEntry] = field(default_factory=dict)
    #: xlsx/xlsm: worksheet parts read whole here and holding no formula.
    formula_free: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        """True when the file may be read."""
        return self.problem is None


class Refusal(Exception):
    """A refusal found somewhere in the checks, or by :func:`read_member`: its
    ``code`` (``file-truncated``, …) and Vietnamese ``message``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def refusal_message(code: str, **details: object) -> str:
    """The Vietnamese message of a refusal ``code`` (``file-encrypted``, …)."""
    return _MESSAGES[code].format(**details)


def _refuse(code: str, **details: object) -> Refusal:
    """The refusal of ``code`` with its message filled in."""
    return Refusal(code, refusal_message(code, **details))


def _not_spreadsheet(what: str) -> Refusal:
    """Refusal of a file that is something else, named in Vietnamese."""
    return _refuse("file-not-spreadsheet", what=what)


def _mb(size: int) -> str:
    """``1.5 MB`` written the Vietnamese way: ``1,5 MB``."""
    return f"{number(size / 2**20, 1)} MB"


@dataclass(frozen=True)
class _Limits:
    """The caller's limits for one check."""

    max_bytes: int
    max_uncompressed: int
    max_ratio: float


def check_file(
    path: Path,
    display_name: str | None = None,
    *,
    max_bytes: int = 50 * 2**20,
    max_uncompressed: int = 300 * 2**20,
    max_ratio: float = 200.0,
) -> FileCheck:
    """Decide, before any parsing, whether a file may be read."""
    path = Path(path)
    name = display_name or path.name
    limits = _Limits(max_bytes, max_uncompressed, max_ratio)
    try:
        return _inspect(path, limits)
    except Refusal as refusal:
        return FileCheck(None, Problem(name, refusal.code, refusal.message))


def _inspect(path: Path, limits: _Limits) -> FileCheck:
    """The real format, extents and sheet parts of a file, or raise a refusal."""
    try:
        info = path.stat()
    except OSError:
        raise _refuse("file-unreadable") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse("file-unreadable")
    size = info.st_size
    if size == 0:
        raise _refuse("file-empty")
    if size > limits.max_bytes:
        raise _refuse("file-too-large", size=_mb(size), limit=_mb(limits.max_bytes))
    try:
        stream = path.open("rb")
    except OSError:
        raise _refuse("file-unreadable") from None
    with stream:
        head = stream.read(_HEAD)
        try:
            if head.startswith(_ZIP_MAGIC):
                # Read whole, as far as the size checked above (even if it grows).
                return _inspect_zip(head + stream.read(max(0, size - len(head))), limits)
            if head.startswith(_CFB_MAGIC):
                return FileCheck(_inspect_cfb(stream, size), None)
        except _DAMAGED:
            raise _refuse("file-truncated") from None
        for magic, what in _MAGIC:
            if head.startswith(magic):
                raise _not_spreadsheet(what)
        return FileCheck(_inspect_text(path, head, size), None)


# --- text: CSV, and web pages dressed up as spreadsheets -------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")
_SPACE = re.compile(r"[\s\ufeff]*")


def _inspect_text(path: Path, head: bytes, size: int) -> str:
    """``"csv"`` for a text table, or raise a refusal naming what the text is."""
    text = _decode_text(head, complete=len(head) == size)
    if text is None:
        raise _not_spreadsheet("tệp nhị phân không rõ định dạng")
    markup = _markup_kind(text)
    if markup:
        raise Refusal("file-not-spreadsheet", _WEB_PAGE.format(what=markup))
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        raise _not_spreadsheet(f"tệp văn bản ({path.suffix or 'không có đuôi'})")
    return "csv"


def _decode_text(head: bytes, *, complete: bool) -> str | None:
    """The head as text (UTF-16 with BOM, UTF-8, Windows-1258), or None if binary."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in head:
        return None
    else:
        encodings = ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROL.findall(text))
        return text if "\x00" not in text and controls * 200 <= len(text) else None
    return None


def _markup_kind(text: str) -> str | None:
    """What a text starting with markup is (web page, XML), or None for plain text."""
    start = text[_SPACE.match(text).end() :][:4096].lower()
    if start.startswith(("mime-version:", "content-type: multipart", "from: <saved by")):
        return "trang web lưu thành một tệp (MHT)"
    if not re.match(r"<[a-z!?]", start):
        return None
    if "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "bảng tính XML 2003 (XML Spreadsheet)"
    if re.search(r"<(?:!doctype\s+html|html|head|body|table|meta|title)\b", start):
        return "trang web (HTML)"
    return "tệp XML"


# --- zip packages: xlsx, xlsm, ods -----------------------------------------------

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
#: A central directory entry, the fields used: signature, flags, method, CRC,
#: compressed and uncompressed sizes, name/extra/comment lengths, local header offset.
_CENTRAL_ENTRY = struct.Struct("<4s4x2H4x3L3H8xL")
_LOCAL_NAME_SIZES = struct.Struct("<HH")  # at offset 26 of a local header
_ZIP64_EXTRA = 0x0001
_RAW_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ZipEntry(NamedTuple):
    """One member of a zip package, as its central directory entry declares it
    (attribute names as in :class:`zipfile.ZipInfo`)."""

    filename: str
    flag_bits: int
    compress_type: int
    compress_size: int
    file_size: int
    header_offset: int
    CRC: int = 0


class _Package:
    """A zip package's bytes and entries; :mod:`zipfile` only for rare methods."""

    def __init__(self, data: bytes, entries: list[ZipEntry]):
        self.data = data
        self.entries = entries
        self.by_name = {entry.filename: entry for entry in entries}
        self._archive: zipfile.ZipFile | None = None
        # Per entry (by offset), the longest head read and the limit it was read
        # with (a head shorter than its limit is the whole member).
        self._read: dict[int, tuple[bytes, int]] = {}

    def head(self, entry: ZipEntry, limit: int) -> bytes:
        """The first ``limit`` bytes of a member, decompressed."""
        known = self._read.get(entry.header_offset)
        if known is not None and (len(known[0]) >= limit or len(known[0]) < known[1]):
            return known[0][:limit]
        if entry.compress_type in _RAW_METHODS:
            data = _raw_head(self.data, entry, limit)
        else:
            if self._archive is None:
                self._archive = zipfile.ZipFile(io.BytesIO(self.data))
            with self._archive.open(entry.filename) as member:
                data = member.read(limit)
        self._read[entry.header_offset] = (data, limit)
        return data

    def member_head(self, name: str) -> bytes:
        """The first kilobytes of the member ``name``, or ``b""`` when there is none."""
        entry = self.by_name.get(name)
        return self.head(entry, _HEAD) if entry else b""


def _inspect_zip(data: bytes, limits: _Limits) -> FileCheck:
    """Format, extents and sheet parts of a zip package, or raise a refusal."""
    directory_start, directory_size, shift = _zip_directory(data)
    entries = _zip_entries(data, directory_start, directory_size, shift)
    _check_sizes(entries, limits)
    _check_local_headers(entries, directory_start)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _refuse("file-encrypted")
    package = _Package(data, entries)
    try:
        found = _zip_format(package)
        if found == "ods" and b"encryption-data" in package.member_head("META-INF/manifest.xml"):
            raise _refuse("file-encrypted")
        scan = _scan_xml_parts(package)
    except _DAMAGED:
        raise _refuse("file-truncated") from None
    if found not in ("xlsx", "xlsm"):
        return FileCheck(found, None)
    names = dict(_sheets_of(*(scan.workbook.get(part, b"") for part in _WORKBOOK_PARTS)))
    parts = {name: part for part, name in names.items()}
    members = {entry.filename: entry for entry in entries if entry.filename in names}
    extents = _xlsx_extents(scan, names)
    return FileCheck(found, None, extents, parts, members, frozenset(scan.formula_free))


def _zip_directory(data: bytes) -> tuple[int, int, int]:
    """Offset and size of the central directory, from the end records, and how
    far the whole archive sits from where it says it starts (data prepended)."""
    size = len(data)
    tail_start = max(0, size - _EOCD.size - 0xFFFF)
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or at + _EOCD.size > size:
        raise _refuse("file-truncated")
    _, _, _, _, _, directory_size, declared_start, _ = _EOCD.unpack_from(data, at)
    directory_end = at
    locator_at = at - _ZIP64_LOCATOR.size
    if locator_at >= 0 and data[locator_at : locator_at + 4] == b"PK\x06\x07":
        record_at = directory_end - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
        if record_at < 0 or data[record_at : record_at + 4] != b"PK\x06\x06":
            raise _refuse("file-truncated")
        record = _ZIP64_EOCD.unpack_from(data, record_at)
        directory_size, declared_start = record[8], record[9]  # after the two entry counts
        directory_end = record_at
    if directory_size > _MAX_DIRECTORY:
        raise _refuse("file-zip-bomb", detail=f"mục lục tệp nén {_mb(directory_size)}")
    if directory_size > directory_end:
        raise _refuse("file-truncated")
    directory_start = directory_end - directory_size
    return directory_start, directory_size, directory_start - declared_start


def _zip_entries(data: bytes, start: int, size: int, shift: int) -> list[ZipEntry]:
    """The central directory's entries, refusing absurd counts or a broken walk."""
    entries = []
    at, end = start, start + size
    while at < end:
        if data[at : at + 4] != b"PK\x01\x02" or at + _CENTRAL_ENTRY.size > end:
            raise _refuse("file-truncated")
        _, flags, method, crc, compressed, length, name_size, extra_size, comment_size, offset = (
            _CENTRAL_ENTRY.unpack_from(data, at)
        )
        name_at = at + _CENTRAL_ENTRY.size
        extra_at = name_at + name_size
        at = extra_at + extra_size + comment_size
        if at > end:
            raise _refuse("file-truncated")
        # As zipfile does: a name ends at its first NUL.
        raw_name = data[name_at:extra_at].split(b"\x00", 1)[0]
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        if 0xFFFFFFFF in (compressed, length, offset):
            length, compressed, offset = _zip64_sizes(
                data[extra_at : extra_at + extra_size], length, compressed, offset
            )
        entries.append(ZipEntry(name, flags, method, compressed, length, offset + shift, crc))
        if len(entries) > _MAX_MEMBERS:
            raise _refuse("file-zip-bomb", detail=f"hơn {number(_MAX_MEMBERS)} phần bên trong")
    if len({entry.filename for entry in entries}) < len(entries):
        # No office program writes a name twice; readers disagree on which copy counts.
        raise _refuse("file-truncated")
    return entries


def _zip64_sizes(extra: bytes, length: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """Sizes and offset an entry marks 0xFFFFFFFF, from its Zip64 extra field."""
    at = 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        if kind == _ZIP64_EXTRA:
            values = list(struct.unpack_from(f"<{size // 8}Q", extra, at + 4))
            if length == 0xFFFFFFFF and values:
                length = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        at += 4 + size
    return length, compressed, offset


def _check_sizes(entries: list[ZipEntry], limits: _Limits) -> None:
    """Refuse declared uncompressed sizes or ratios no spreadsheet has."""
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed:
        detail = f"giải nén ra {_mb(total)}, vượt mức {_mb(limits.max_uncompressed)}"
        raise _refuse("file-zip-bomb", detail=detail)
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _BIG_MEMBER and ratio > limits.max_ratio:
            detail = (
                f"phần «{entry.filename}» nén {ratio:.0f} lần, giải nén ra {_mb(entry.file_size)}"
            )
            raise _refuse("file-zip-bomb", detail=detail)


def _check_local_headers(entries: list[ZipEntry], directory_start: int) -> None:
    """Refuse members whose local header and data do not fit before the directory."""
    for entry in entries:
        end = entry.header_offset + 30 + entry.compress_size
        if entry.header_offset < 0 or end > directory_start:
            raise _refuse("file-truncated")


def _zip_format(package: _Package) -> str:
    """``xlsx``, ``xlsm`` or ``ods``, or raise a refusal naming what the zip holds."""
    names = {entry.filename.lower() for entry in package.entries}
    if any(name.startswith("xl/") for name in names):
        if "xl/workbook.xml" not in names and "xl/workbook.bin" in names:
            raise Refusal("file-not-spreadsheet", _XLSB)
        types = package.member_head("[Content_Types].xml").lower()
        return "xlsm" if b"macroenabled" in types or "xl/vbaproject.bin" in names else "xlsx"
    mimetype = package.member_head("mimetype").strip()
    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    if not mimetype and "content.xml" in names:
        return "ods"
    raise _not_spreadsheet(_zip_kind(mimetype, names))


def _zip_kind(mimetype: bytes, names: set[str]) -> str:
    """Vietnamese name of a zip package that is not a spreadsheet."""
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "văn bản OpenDocument (.odt)"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.presentation"):
        return "bài trình chiếu OpenDocument (.odp)"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "tài liệu OpenDocument không phải bảng tính"
    if any(name.startswith("word/") for name in names):
        return "tệp Word"
    if any(name.startswith("ppt/") for name in names):
        return "tệp PowerPoint"
    return "tệp nén ZIP"


#: A formula element (``<f>``, ``<f t="shared" …/>``), not ``<formula1>`` or ``<family>``.
#: (Written "f, then <f or :f behind": a search led by a literal is much faster.)
FORMULA_TAG = re.compile(rb"f[\s/>](?<=[<:]f[\s/>])")
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
#: An ASCII-compatible head whose root element begins after XML declarations only.
_PLAIN_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?[^<>]*\?>\s*)*<[A-Za-z_]")


_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


@dataclass
class _Scan:
    """What the XML scan keeps: workbook heads and each worksheet's declared extent."""

    workbook: dict[str, bytes] = field(default_factory=dict)
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)
    formula_free: set[str] = field(default_factory=set)


def _scan_xml_parts(package: _Package) -> _Scan:
    """Refuse any XML part declaring a DTD or entities; keep what extents need."""
    scan = _Scan()
    budget = _SCAN_BUDGET
    for entry in package.entries:
        name = entry.filename
        if not name.lower().endswith(_XML_SUFFIXES):
            continue
        worksheet = name.lower().startswith("xl/worksheets/") and "/_rels/" not in name
        # A worksheet is read whole when small: the formula check then needs no second read.
        head = _xml_head(package, entry, whole=worksheet or name in _WORKBOOK_PARTS)
        budget -= len(head)
        if budget < 0:
            raise _refuse("file-zip-bomb", detail="quá nhiều phần XML cần kiểm tra")
        if name in _WORKBOOK_PARTS:
            scan.workbook[name] = head
        elif worksheet:
            extent = _dimension(head)
            if extent:
                scan.extents[name] = extent
            whole = len(head) < _HEAD  # what was read is all there is
            if whole and not FORMULA_TAG.search(head):
                scan.formula_free.add(name)
    return scan


def _xml_head(package: _Package, entry: ZipEntry, whole: bool) -> bytes:
    """A part's head: its first 64 KB when ``whole``, else read until its prolog is over."""
    for step in (_HEAD,) if whole else _XML_STEPS:
        data = package.head(entry, step)
        # ("!" first: a one-byte search is many times faster than a two-byte one.)
        if _PLAIN_PROLOG.match(data) and (b"!" not in data or b"<!" not in data):
            return data  # the root element has begun; nothing before it declares anything
        text = _xml_text(data)
        verdict = _prolog_declares(text)
        if verdict or _declares(text):
            raise _refuse("file-xml-entities", part=entry.filename)
        if len(data) < step or verdict is False:
            return data
    raise Refusal("file-xml-entities", _LONG_PROLOG.format(part=entry.filename))


def read_member(path: Path, entry: ZipEntry, limit: int) -> bytes:
    """The first ``limit`` bytes of a zip entry the guard accepted (see
    :attr:`FileCheck.members`), without parsing the archive again. Raises
    :class:`Refusal` for a damaged entry, or :mod:`zipfile`'s errors for one
    stored with a rarer compression method."""
    if entry.compress_type not in _RAW_METHODS:
        with zipfile.ZipFile(path) as archive, archive.open(entry.filename) as member:
            return member.read(limit)
    with Path(path).open("rb") as stream:
        stream.seek(entry.header_offset)
        local = stream.read(30)
        if len(local) < 30:
            raise _refuse("file-truncated")
        skip = sum(_LOCAL_NAME_SIZES.unpack_from(local, 26))
        data = local + stream.read(skip + entry.compress_size)
    return _raw_head(data, entry._replace(header_offset=0), limit)


def _raw_head(data: bytes, entry: ZipEntry, limit: int) -> bytes:
    """The first ``limit`` bytes of a stored or deflated member, from its raw data."""
    at = entry.header_offset
    if data[at : at + 4] != b"PK\x03\x04" or at + 30 > len(data):
        raise _refuse("file-truncated")
    start = at + 30 + sum(_LOCAL_NAME_SIZES.unpack_from(data, at + 26))
    if start + entry.compress_size > len(data):
        raise _refuse("file-truncated")
    if limit <= 0:
        return b""
    raw = memoryview(data)[start : start + entry.compress_size]
    if entry.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw[:limit])
    else:
        out = zlib.decompressobj(-15).decompress(raw, limit)
    if len(out) < limit and zlib.crc32(out) != entry.CRC:  # the whole member: check it
        raise _refuse("file-truncated")
    return out


def _declares(text: str) -> bool:
    """An ENTITY anywhere, or a DOCTYPE other than an external-only one."""
    for found in _DECLARATION.finditer(text):
        if "entity" in found.group(0).lower():
            return True
        if not _EXTERNAL_DOCTYPE.match(text, found.start()) and ">" in text[found.start() :]:
            return True
    return False


def _xml_text(data: bytes) -> str:
    """XML bytes as text, in the encoding their first bytes show."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif data.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    return data.decode(encoding, errors="replace")


def _prolog_declares(text: str) -> bool | None:
    """Whether an XML prolog holds a ``<!`` declaration; None when it is not over yet."""
    at = 0
    while True:
        at = _SPACE.match(text, at).end()
        rest = text[at : at + 4]
        if not rest or (len(rest) < 4 and "<!--".startswith(rest)):
            return None
        if rest.startswith("<?"):
            end = text.find("?>", at + 2)
            if end < 0:
                return None
            at = end + 2
        elif rest == "<!--":
            end = text.find("-->", at + 4)
            if end < 0:
                return None
            at = end + 3
        elif rest.startswith("<!"):
            external = _EXTERNAL_DOCTYPE.match(text, at)
            if external:
                at = external.end()
                continue
            if ">" not in text[at:]:
                return None  # the declaration is not over yet
            return True
        else:
            return False


#: ``<!DOCTYPE name SYSTEM "…">`` or ``PUBLIC "…" "…"``: no internal subset, no entity.
_EXTERNAL_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+[\w:.-]+(?:\s+(?:SYSTEM\s+(?:\"[^\"]*\"|'[^']*')"
    r"|PUBLIC\s+(?:\"[^\"]*\"|'[^']*')\s+(?:\"[^\"]*\"|'[^']*')))?\s*>"
)


# Possessive, and stopping at "<": linear even on a hostile workbook.xml.
_TAG_ATTRIBUTES = r"\b((?:[^<>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"
_SHEET = re.compile(r"<(?:\w++:)?sheet" + _TAG_ATTRIBUTES)
_RELATIONSHIP = re.compile(r"<(?:\w++:)?Relationship" + _TAG_ATTRIBUTES)
_DIMENSION = re.compile(r"<(?:\w++:)?dimension" + _TAG_ATTRIBUTES)
_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _attributes(raw: str) -> dict[str, str]:
    """Attributes of a tag, by local name (``r:id`` → ``id``), entities unescaped."""
    found = {}
    for name, double, single in _ATTRIBUTE.findall(raw):
        local = name.rpartition(":")[2]
        if local not in found:
            value = double or single
            found[local] = html.unescape(value) if "&" in value else value
    return found


def _dimension(head: bytes) -> tuple[int, int] | None:
    """The extent a worksheet's ``<dimension ref=…>`` declares in its first 4 KB."""
    match = _DIMENSION.search(_xml_text(head[:_DIMENSION_HEAD]))
    return _ref_extent(_attributes(match.group(1)).get("ref", "")) if match else None


def _xlsx_extents(scan: _Scan, names: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Declared (max_row, max_col) of each worksheet, by sheet name when known."""
    ordered = [part for part in names if part in scan.extents]
    ordered += [part for part in scan.extents if part not in names]
    return {names.get(part, part): scan.extents[part] for part in ordered}


@lru_cache(maxsize=32)  # copies of one template share these two parts
def _sheets_of(workbook_head: bytes, relations_head: bytes) -> tuple[tuple[str, str], ...]:
    """(worksheet part, sheet name) pairs, through ``xl/workbook.xml`` and its
    relationships ``xl/_rels/workbook.xml.rels``."""
    workbook = _xml_text(workbook_head)
    relations = _xml_text(relations_head)
    targets = {}
    for match in _RELATIONSHIP.finditer(relations):
        attributes = _attributes(match.group(1))
        target = attributes.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("xl", target))
        targets[attributes.get("Id", "")] = part
    names = {}
    for match in _SHEET.finditer(workbook):
        attributes = _attributes(match.group(1))
        part = targets.get(attributes.get("id", ""))
        if part and "name" in attributes:
            names[part] = attributes["name"]
    return tuple(names.items())


def _ref_extent(ref: str) -> tuple[int, int] | None:
    """``"A1:XFD1048576"`` → ``(1048576, 16384)``; None when it is not a reference."""
    match = _CELL.fullmatch(ref.strip().rsplit(":", 1)[-1])
    if not match:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column


# --- OLE/CFB containers: xls, and encrypted OOXML --------------------------------

_CFB_HEADER = struct.Struct("<8s16s5H6s9L")
_DIRECTORY_ENTRY = struct.Struct("<64sHBB3L16sL16sLQ")
_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA
_MAX_DIRECTORY_SECTORS = 1024
_MAX_MINIFAT_SECTORS = 4096
_FILEPASS, _BOF_TYPES = 0x002F, (0x0809, 0x0409, 0x0209, 0x0009)
_LATER_RECORDS = (0x0085, 0x000A, 0x00FC, 0x003C)  # BOUNDSHEET, EOF, SST, CONTINUE


@dataclass(frozen=True)
class _Entry:
    """One directory entry of a CFB file."""

    name: str
    kind: int
    left: int
    right: int
    child: int
    start: int
    size: int


class _Cfb:
    """A minimal, bounded reader of an OLE compound file (MS-CFB)."""

    def __init__(self, stream: BinaryIO, size: int):
        self.stream, self.size = stream, size
        if size < 512:
            raise _refuse("file-truncated")
        stream.seek(0)
        fields = _CFB_HEADER.unpack(stream.read(_CFB_HEADER.size))
        major, byte_order, shift, mini_shift = fields[3:7]
        if byte_order != 0xFFFE or not 7 <= shift <= 16 or mini_shift >= shift:
            raise _refuse("file-truncated")
        self.major = major
        self.sector_size, self.mini_size = 1 << shift, 1 << mini_shift
        fat_count, self.directory_start = fields[9], fields[10]
        self.mini_cutoff, self.minifat_start = fields[12], fields[13]
        difat_start, difat_count = fields[15], fields[16]
        stream.seek(_CFB_HEADER.size)
        difat = array("I", stream.read(109 * 4))
        self.fat = self._read_fat(difat, fat_count, difat_start, difat_count)
        self._check_length()

    def _sectors_in_file(self) -> int:
        """How many sectors (even a last partial one) the file holds after its header."""
        return max(0, -(-(self.size - self.sector_size) // self.sector_size))

    def _sector(self, sector: int) -> bytes:
        """One sector (a last partial one padded), refusing one past the end of the file."""
        if sector >= self._sectors_in_file():
            raise _refuse("file-truncated")
        self.stream.seek((sector + 1) * self.sector_size)
        return self.stream.read(self.sector_size).ljust(self.sector_size, b"\xff")

    def _table(self, sectors: list[int]) -> array:
        """An allocation table (FAT or mini FAT) made of the given sectors."""
        table = array("I")
        for sector in sectors:
            table.frombytes(self._sector(sector))
        if sys.byteorder == "big":
            table.byteswap()
        return table

    def _read_fat(self, difat: array, fat_count: int, difat_start: int, difat_count: int) -> array:
        """The file allocation table, read through the header and the DIFAT chain."""
        in_file = self._sectors_in_file()
        if sys.byteorder == "big":
            difat.byteswap()
        fat_sectors = [sector for sector in difat[:fat_count] if sector <= _MAX_REGULAR]
        per_sector = self.sector_size // 4
        sector, hops = difat_start, 0
        while len(fat_sectors) < fat_count and sector <= _MAX_REGULAR:
            hops += 1
            if hops > min(difat_count, in_file) + 1:
                raise _refuse("file-truncated")
            more = self._table([sector])
            fat_sectors.extend(s for s in more[: per_sector - 1] if s <= _MAX_REGULAR)
            sector = more[per_sector - 1]
        fat_sectors = fat_sectors[:fat_count]
        if any(sector >= in_file for sector in fat_sectors):
            raise _refuse("file-truncated")
        return self._table(fat_sectors[: -(-in_file // per_sector) + 1])

    def _check_length(self) -> None:
        """Refuse a file shorter than the last sector its allocation table uses."""
        last = len(self.fat) - 1
        while last >= 0 and self.fat[last] == _FREE:
            last -= 1
        if last >= self._sectors_in_file():
            raise _refuse("file-truncated")

    def chain(self, start: int, table: array, limit: int) -> list[int]:
        """Up to ``limit`` sector numbers of the chain beginning at ``start``."""
        sectors: list[int] = []
        sector = start
        while sector != _END_OF_CHAIN and len(sectors) < limit:
            if sector >= len(table) or len(sectors) > len(table):
                raise _refuse("file-truncated")
            sectors.append(sector)
            sector = table[sector]
        return sectors

    def entries(self) -> list[_Entry]:
        """Directory entries, from the first sectors of the directory chain."""
        found = []
        for sector in self.chain(self.directory_start, self.fat, _MAX_DIRECTORY_SECTORS):
            data = self._sector(sector)
            for at in range(0, len(data) - _DIRECTORY_ENTRY.size + 1, _DIRECTORY_ENTRY.size):
                raw, name_size, kind, _, left, right, child, _, _, _, start, size = (
                    _DIRECTORY_ENTRY.unpack_from(data, at)
                )
                name = raw[: max(0, min(name_size, 64) - 2)].decode("utf-16-le", "replace")
                if self.major == 3:
                    size &= 0xFFFFFFFF
                found.append(_Entry(name, kind, left, right, child, start, size))
        return found

    def read_head(self, entry: _Entry, root: _Entry, limit: int) -> bytes:
        """The first ``limit`` bytes of a stream (regular or mini)."""
        want = min(entry.size, limit)
        if entry.size >= self.mini_cutoff:
            count = -(-want // self.sector_size)
            data = b"".join(self._sector(s) for s in self.chain(entry.start, self.fat, count))
            return data[:want]
        minifat = self._table(self.chain(self.minifat_start, self.fat, _MAX_MINIFAT_SECTORS))
        minis = self.chain(entry.start, minifat, -(-want // self.mini_size))
        per_big = self.sector_size // self.mini_size
        container = self.chain(root.start, self.fat, max(minis, default=0) // per_big + 1)
        pieces = []
        for mini in minis:
            if mini // per_big >= len(container):
                raise _refuse("file-truncated")
            sector = self._sector(container[mini // per_big])
            at = (mini % per_big) * self.mini_size
            pieces.append(sector[at : at + self.mini_size])
        return b"".join(pieces)[:want]


def _root_children(entries: list[_Entry]) -> dict[str, _Entry]:
    """Entries directly under the root storage, by lower-case name."""
    if not entries or entries[0].kind != 5:
        raise _refuse("file-truncated")
    children: dict[str, _Entry] = {}
    pending, seen = [entries[0].child], set()
    while pending:
        index = pending.pop()
        if index >= len(entries) or index in seen:
            continue
        seen.add(index)
        entry = entries[index]
        children.setdefault(entry.name.lower(), entry)
        pending += [entry.left, entry.right]
    return children


def _inspect_cfb(stream: BinaryIO, size: int) -> str:
    """``"xls"`` for a legacy workbook, or raise a refusal."""
    cfb = _Cfb(stream, size)
    entries = cfb.entries()
    children = _root_children(entries)
    if "encryptioninfo" in children and "encryptedpackage" in children:
        raise _refuse("file-encrypted")
    book = children.get("workbook") or children.get("book")
    if book is not None and book.kind == 2:
        if _biff_encrypted(cfb.read_head(book, entries[0], 4096)):
            raise _refuse("file-encrypted")
        return "xls"
    if "worddocument" in children:
        raise _not_spreadsheet("tệp Word (.doc)")
    if "powerpoint document" in children:
        raise _not_spreadsheet("tệp PowerPoint (.ppt)")
    raise _not_spreadsheet("tài liệu Office không phải bảng tính")


def _biff_encrypted(head: bytes) -> bool:
    """Whether a Workbook stream begins with BOF followed by a FILEPASS record."""
    if len(head) < 4 or struct.unpack_from("<H", head)[0] not in _BOF_TYPES:
        raise _refuse("file-truncated")
    at = 0
    while at + 4 <= len(head):
        kind, length = struct.unpack_from("<2H", head, at)
        if kind == _FILEPASS:
            return True
        if kind in _LATER_RECORDS:
            return False
        at += 4 + length
    return False
