"""Builders of hostile, broken and ordinary input files for the guard tests.

Each builder writes one file into ``folder`` and returns its path. The files
are made for real: openpyxl, python-docx and zipfile write the packages, and
LibreOffice (headless, with a private profile so parallel runs do not clash)
saves the .xls, .ods, .csv and password-protected workbooks, as the units' own
office programs would. Builders that need LibreOffice skip the calling test,
loudly, when ``soffice`` is not on PATH.
"""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import xlsxwriter
from docx import Document

SHEET = "Biểu 01"
PASSWORD = "nq28-mat-khau"
HEADER = ["Mã nhiệm vụ", "Nội dung", "Đơn vị chủ trì", "Tiến độ", "Ghi chú"]
ROWS = 30
BOMB_BYTES = 400 * 2**20
MEMBER_CAP = 10_000
_SOFFICE_TIMEOUT = 180


# --- ordinary workbooks -------------------------------------------------------------


def _workbook(rows: int = ROWS) -> openpyxl.Workbook:
    """A small report table with Vietnamese text, as a unit fills it in."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADER)
    for n in range(1, rows + 1):
        sheet.append([f"III.2.{n}", f"Quán triệt nghị quyết, đợt {n}", "Ban Tuyên giáo", n, ""])
    return book


def normal_xlsx(folder: Path, name: str = "bao-cao.xlsx") -> Path:
    """An ordinary xlsx written by openpyxl."""
    path = folder / name
    _workbook().save(path)
    return path


def xlsxwriter_xlsx(folder: Path, name: str = "bao-cao-xlsxwriter.xlsx") -> Path:
    """An ordinary xlsx written by xlsxwriter (shared strings, an XML declaration)."""
    path = folder / name
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet(SHEET)
        for row, values in enumerate(_workbook().active.iter_rows(values_only=True)):
            sheet.write_row(row, 0, values)
    return path


def far_corner_xlsx(folder: Path) -> Path:
    """A small table plus one stray mark in cell XFD1048576."""
    path = folder / "dau-o-xa.xlsx"
    book = _workbook()
    book.active["XFD1048576"] = "x"
    book.save(path)
    return path


def xlsx_saved_as_xls_name(folder: Path) -> Path:
    """A real xlsx whose name ends in ``.xls`` (very common)."""
    path = folder / "bao-cao-doi-ten.xls"
    _workbook().save(path)
    return path


def cp1258_csv(folder: Path) -> Path:
    """A CSV saved by Excel on Windows in the Vietnamese code page."""
    path = folder / "bao-cao-1258.csv"
    text = "ma,noi_dung\r\nIII.2.1,Tuyen truyen\r\nIII.2.2,Kiem tra\r\n"
    # Windows-1258 has no precomposed "ã": the tone is a combining mark.
    path.write_bytes((text + "ghi chú,đa\u0303 xong\r\n").encode("cp1258"))
    return path


def utf16_txt(folder: Path) -> Path:
    """Excel's "Unicode Text": UTF-16 with BOM, tab-separated."""
    path = folder / "bao-cao-unicode.txt"
    path.write_bytes("Mã\tNội dung\r\nIII.2.1\tTuyên truyền\r\n".encode("utf-16"))
    return path


# --- hostile packages ---------------------------------------------------------------


def _copy_members(source: Path, target: zipfile.ZipFile, skip: Callable[[str], bool]) -> None:
    """Copy every member of ``source`` not skipped into ``target``."""
    with zipfile.ZipFile(source) as original:
        for info in original.infolist():
            if not skip(info.filename):
                target.writestr(info, original.read(info), compress_type=zipfile.ZIP_DEFLATED)


def zip_bomb_xlsx(folder: Path) -> Path:
    """A well-formed xlsx whose sheet1.xml inflates to 400 MB of identical rows."""
    source = normal_xlsx(folder, "bomb-source.xlsx")
    path = folder / "bom-nen.xlsx"
    rows = b"<row><c><v>1</v></c></row>" * 4096
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        _copy_members(source, package, lambda name: name == "xl/worksheets/sheet1.xml")
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for _ in range(-(-BOMB_BYTES // len(rows))):
                sheet.write(rows)
            sheet.write(b"</sheetData></worksheet>")
    source.unlink()
    return path


def member_count_bomb_xlsx(folder: Path) -> Path:
    """A valid xlsx carrying more than 10,000 tiny extra members."""
    source = normal_xlsx(folder, "count-source.xlsx")
    path = folder / "qua-nhieu-phan.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as package:
        _copy_members(source, package, lambda name: False)
        for n in range(MEMBER_CAP + 1):
            package.writestr(f"xl/printerSettings/printerSettings{n}.bin", b"\x00")
    source.unlink()
    return path


_BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE sst [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + str(n - 1 or "") + ";") * 10}">\n' for n in range(1, 10)
    )
    + "]>\n"
)


def entity_bomb_xlsx(folder: Path) -> Path:
    """An xlsx whose xl/sharedStrings.xml starts with a billion-laughs DOCTYPE."""
    source = xlsxwriter_xlsx(folder, "entity-source.xlsx")
    path = folder / "bom-thuc-the.xlsx"
    with zipfile.ZipFile(source) as original:
        strings = original.read("xl/sharedStrings.xml").decode("utf-8")
    body = strings[strings.index("<sst") :].replace("Ban Tuyên giáo", "&lol9;", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        _copy_members(source, package, lambda name: name == "xl/sharedStrings.xml")
        package.writestr("xl/sharedStrings.xml", _BILLION_LAUGHS + body)
    source.unlink()
    return path


def _repacked(folder: Path, name: str, change: Callable[[str, bytes], bytes]) -> Path:
    """An ordinary xlsx with each member's bytes passed through ``change``."""
    source = xlsxwriter_xlsx(folder, f"source-{name}")
    path = folder / name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as package:
        for info in original.infolist():
            data = change(info.filename, original.read(info))
            package.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    source.unlink()
    return path


def duplicate_member_xlsx(folder: Path) -> Path:
    """An xlsx holding xl/styles.xml twice, the second copy with a DOCTYPE: zip
    readers disagree on which copy counts."""
    path = _repacked(folder, "trung-ten.xlsx", lambda name, data: data)
    with zipfile.ZipFile(path, "a") as package, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the file
        package.writestr("xl/styles.xml", _BILLION_LAUGHS + "<styleSheet/>")
    return path


def nul_name_xlsx(folder: Path) -> Path:
    """An xlsx with a second sheet part named ``xl/worksheets/sheet1.xml<NUL>``
    (zip readers cut names at the NUL), carrying a DOCTYPE."""
    path = _repacked(folder, "ten-nul.xlsx", lambda name, data: data)
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("xl/worksheets/sheet1.xmlX", _BILLION_LAUGHS + "<worksheet/>")
    data = path.read_bytes().replace(b"xl/worksheets/sheet1.xmlX", b"xl/worksheets/sheet1.xml\x00")
    path.write_bytes(data)
    return path


def late_entity_xlsx(folder: Path) -> Path:
    """An xlsx whose xl/styles.xml declares an ENTITY three kilobytes in."""

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/styles.xml":
            return data
        at = data.index(b"<styleSheet")
        padding = b"<!-- " + b"x" * 3000 + b" -->"
        return data[:at] + b"<styleSheet>" + padding + b'<!ENTITY a "b">' + data[at:]

    return _repacked(folder, "thuc-the-muon.xlsx", change)


def crc_mismatch_xlsx(folder: Path) -> Path:
    """An xlsx whose stored [Content_Types].xml lost a byte's worth of bits (its
    checksum no longer matches), as a bad disk or transfer leaves it."""
    source = xlsxwriter_xlsx(folder, "crc-source.xlsx")
    path = folder / "sai-crc.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as package:
        for info in original.infolist():
            package.writestr(info.filename, original.read(info), zipfile.ZIP_STORED)
    source.unlink()
    data = bytearray(path.read_bytes())
    at = data.index(b"<Types") + 1
    data[at] ^= 0x20  # "T" → "t"
    path.write_bytes(bytes(data))
    return path


def slow_regex_xlsx(folder: Path) -> Path:
    """An xlsx whose workbook.xml and relationships are ``<sheet `` and
    ``<Relationship `` repeated without end: quadratic for a careless pattern."""

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return b'<?xml version="1.0"?><workbook xmlns="x">' + b"<sheet " * 10_900
        if name == "xl/_rels/workbook.xml.rels":
            return b'<?xml version="1.0"?><Relationships xmlns="x">' + b"<Relationship " * 4680
        return data

    return _repacked(folder, "cham.xlsx", change)


def truncated_xlsx(folder: Path) -> Path:
    """A real xlsx cut in half, as an interrupted upload leaves it."""
    source = normal_xlsx(folder, "cut-source.xlsx")
    path = folder / "bi-cat.xlsx"
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    source.unlink()
    return path


def member_cut_xlsx(folder: Path) -> Path:
    """An xlsx whose central directory survives but the last member's data lost a chunk."""
    source = normal_xlsx(folder, "gap-source.xlsx")
    path = folder / "mat-doan.xlsx"
    data = source.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    offset = struct.unpack_from("<L", data, end + 16)[0]
    lost = 200
    record = bytearray(data[end:])
    struct.pack_into("<L", record, 16, offset - lost)
    path.write_bytes(data[: offset - lost] + data[offset:end] + bytes(record))
    source.unlink()
    return path


_ZIP64_FIELDS = ("size", "compressed", "offset")  # their order in the Zip64 extra field


def _shared_header(crc: int, compressed: int, size: int, name: bytes) -> bytes:
    """What local and central headers share: flags, method (deflate), time, date,
    CRC, both sizes, name length."""
    return struct.pack("<4H3LH", 0, 8, 0, 0x21, crc, compressed, size, len(name))


def _zip64(folder: Path, name: str, marked: tuple[str, ...]) -> Path:
    """An ordinary xlsx repacked with Zip64 end records and the central headers'
    ``marked`` fields set to 0xFFFFFFFF, their values in the Zip64 extra field
    (only those, in the order of ``_ZIP64_FIELDS``), as large-file-aware zip
    tools write them. Local headers always carry both sizes in Zip64 form."""
    source = normal_xlsx(folder, f"source-{name}")
    path = folder / name
    locals_, centrals = bytearray(), bytearray()
    with zipfile.ZipFile(source) as original:
        infos = original.infolist()
        for info in infos:
            data = original.read(info)
            packed = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = packed.compress(data) + packed.flush()
            name_bytes, crc, offset = info.filename.encode(), zlib.crc32(data), len(locals_)
            real = {"size": len(data), "compressed": len(raw), "offset": offset}
            field = {f: 0xFFFFFFFF if f in marked else real[f] for f in _ZIP64_FIELDS}
            extra = struct.pack("<HHQQ", 1, 16, len(data), len(raw))
            locals_ += b"PK\x03\x04" + struct.pack("<H", 45)
            locals_ += _shared_header(crc, 0xFFFFFFFF, 0xFFFFFFFF, name_bytes)
            locals_ += struct.pack("<H", len(extra)) + name_bytes + extra + raw
            values = [real[f] for f in _ZIP64_FIELDS if f in marked]
            extra = struct.pack(f"<HH{len(values)}Q", 1, 8 * len(values), *values)
            centrals += b"PK\x01\x02" + struct.pack("<2H", 45, 45)
            centrals += _shared_header(crc, field["compressed"], field["size"], name_bytes)
            # extra length, comment length, disk, attributes, offset
            centrals += struct.pack("<4H2L", len(extra), 0, 0, 0, 0, field["offset"])
            centrals += name_bytes + extra
    start, count = len(locals_), len(infos)
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(centrals), start
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, start + len(centrals), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(bytes(locals_ + centrals) + record + locator + end)
    source.unlink()
    return path


def zip64_xlsx(folder: Path) -> Path:
    """An ordinary xlsx with every size and offset in Zip64 fields (local and
    central headers, Zip64 end records)."""
    return _zip64(folder, "zip64.xlsx", _ZIP64_FIELDS)


def zip64_offset_only_xlsx(folder: Path) -> Path:
    """A Zip64 xlsx whose central headers mark only the offset: the extra field
    holds that one value, where the sizes would otherwise come first."""
    return _zip64(folder, "zip64-vi-tri.xlsx", ("offset",))


def zip64_sizes_only_xlsx(folder: Path) -> Path:
    """A Zip64 xlsx whose central headers mark only the two sizes; the offset
    stays in the header."""
    return _zip64(folder, "zip64-kich-thuoc.xlsx", ("size", "compressed"))


def big_stored_xlsx(folder: Path, megabytes: int = 48) -> Path:
    """A valid xlsx padded to ``megabytes`` with an incompressible stored picture."""
    source = normal_xlsx(folder, "big-source.xlsx")
    path = folder / "rat-lon.xlsx"
    noise = random.Random(28).randbytes(megabytes * 2**20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        _copy_members(source, package, lambda name: False)
        package.writestr("xl/media/image1.png", noise, compress_type=zipfile.ZIP_STORED)
    source.unlink()
    return path


def many_parts_xlsx(folder: Path, parts: int = MEMBER_CAP - 20) -> Path:
    """A valid xlsx with nearly 10,000 small XML parts, the most the guard allows."""
    source = normal_xlsx(folder, "parts-source.xlsx")
    path = folder / "nhieu-phan.xlsx"
    item = b'<?xml version="1.0" encoding="UTF-8"?>\n<item>' + b"<v>1</v>" * 1000 + b"</item>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        _copy_members(source, package, lambda name: False)
        for n in range(parts):
            package.writestr(f"customXml/item{n}.xml", item)
    source.unlink()
    return path


# --- minimal compound files ---------------------------------------------------------

_FREE, _END, _FAT_SECTOR, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    """One 128-byte CFB directory entry (no siblings)."""
    encoded = name.encode("utf-16-le")
    return struct.pack(
        "<64sHBB3L16sL16sLQ",
        encoded,
        len(encoded) + 2 if name else 0,
        kind,
        1,
        _NONE,
        _NONE,
        child,
        b"",
        0,
        b"",
        start,
        size,
    )


def _compound_file(stream_name: str, data: bytes) -> bytes:
    """A version-3 compound file holding one small stream, in the mini stream.

    Sectors: 0 FAT, 1 directory, 2 mini FAT, 3 mini stream. Excel pads its
    Workbook stream past 4 KB; small third-party writers do not.
    """
    if len(data) > 512:
        raise ValueError("the stream must fit in one regular sector")
    minis = -(-len(data) // 64)
    header = struct.pack(
        "<8s16s5H6s9L",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        1,
        1,
        0,
        4096,
        2,
        1,
        _END,
        0,
    )
    header += struct.pack("<109L", 0, *[_FREE] * 108)
    fat = struct.pack("<128L", _FAT_SECTOR, _END, _END, _END, *[_FREE] * 124)
    directory = (
        _directory_entry("Root Entry", 5, 1, 3, minis * 64)
        + _directory_entry(stream_name, 2, _NONE, 0, len(data))
        + _directory_entry("", 0, _NONE, 0, 0) * 2
    )
    chain = [*range(1, minis), _END]
    minifat = struct.pack("<128L", *chain, *[_FREE] * (128 - len(chain)))
    return header + fat + directory + minifat + data.ljust(512, b"\x00")


def _biff_record(kind: int, body: bytes = b"") -> bytes:
    """One BIFF record: type, length, body."""
    return struct.pack("<2H", kind, len(body)) + body


def _small_workbook_stream(encrypted: bool) -> bytes:
    """A Workbook stream's head: BOF, FILEPASS when encrypted, then EOF."""
    bof = _biff_record(0x0809, struct.pack("<4H2L", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    filepass = _biff_record(0x002F, struct.pack("<3H", 1, 1, 1) + bytes(48))
    return bof + (filepass if encrypted else b"") + _biff_record(0x000A)


def small_xls(folder: Path) -> Path:
    """A minimal .xls whose Workbook stream lies in the mini stream."""
    path = folder / "xls-nho.xls"
    path.write_bytes(_compound_file("Workbook", _small_workbook_stream(encrypted=False)))
    return path


def small_encrypted_xls(folder: Path) -> Path:
    """The same minimal .xls with a FILEPASS record after BOF."""
    path = folder / "xls-nho-mat-khau.xls"
    path.write_bytes(_compound_file("Workbook", _small_workbook_stream(encrypted=True)))
    return path


def small_doc(folder: Path) -> Path:
    """A compound file holding a WordDocument stream, named ``.xls``."""
    path = folder / "van-ban-cu.xls"
    path.write_bytes(_compound_file("WordDocument", b"\xec\xa5" + bytes(30)))
    return path


# --- things that are not spreadsheets -------------------------------------------------


def pdf_renamed_xlsx(folder: Path) -> Path:
    """A one-page PDF report renamed ``.xlsx``."""
    path = folder / "bao-cao-pdf.xlsx"
    content = b"BT /F1 14 Tf 72 770 Td (Bao cao so ket quy I) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def docx_renamed_xlsx(folder: Path) -> Path:
    """A Word report (python-docx) renamed ``.xlsx``."""
    path = folder / "bao-cao-word.xlsx"
    document = Document()
    document.add_heading("Báo cáo sơ kết quý I", level=1)
    document.add_paragraph("Đảng bộ huyện đã quán triệt Nghị quyết 28-NQ/TW.")
    document.save(path)
    return path


def html_as_xls(folder: Path) -> Path:
    """An HTML table named ``.xls``, as web systems export "Excel"."""
    path = folder / "xuat-tu-web.xls"
    cells = "".join(f"<tr><td>III.2.{n}</td><td>Tuyên truyền</td></tr>" for n in range(5))
    page = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\n'
        f"<body><table border=1><tr><th>Mã</th><th>Nội dung</th></tr>{cells}</table></body>"
        "</html>\n"
    )
    path.write_text(page, encoding="utf-8")
    return path


def empty_file(folder: Path) -> Path:
    """A 0-byte ``.xlsx``."""
    path = folder / "rong.xlsx"
    path.write_bytes(b"")
    return path


def random_binary(folder: Path, size: int = 64 * 1024) -> Path:
    """Random bytes named ``.xlsx``."""
    path = folder / "ngau-nhien.xlsx"
    path.write_bytes(random.Random(2028).randbytes(size))
    return path


# --- LibreOffice ----------------------------------------------------------------------


def soffice() -> str:
    """The LibreOffice program; skips the calling test, loudly, when it is not installed."""
    from .office import need_soffice

    return need_soffice()


def _run_soffice(profile: Path, *arguments: str) -> None:
    """Run headless LibreOffice with a private user profile."""
    command = [
        soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *arguments,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=_SOFFICE_TIMEOUT)


_FILTERS = {
    "xls": "xls:MS Excel 97",
    "xlsm": "xlsm:Calc MS Excel 2007 VBA XML",
    "ods": "ods:calc8",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,76",
}


def libreoffice_copy(source: Path, folder: Path, suffix: str) -> Path:
    """``source`` saved by LibreOffice as ``suffix`` (xls, xlsm, ods, csv) into ``folder``."""
    with tempfile.TemporaryDirectory(prefix="nq28-lo-") as scratch:
        out = Path(scratch) / "out"
        _run_soffice(
            Path(scratch) / "profile",
            "--convert-to",
            _FILTERS[suffix],
            "--outdir",
            str(out),
            str(source),
        )
        made = out / f"{source.stem}.{suffix}"
        if not made.exists():
            raise RuntimeError(f"LibreOffice did not write {made.name}")
        return Path(shutil.move(made, folder / f"{source.stem}-lo.{suffix}"))


def libreoffice_xls(folder: Path) -> Path:
    """An ordinary .xls saved by LibreOffice."""
    return libreoffice_copy(normal_xlsx(folder, "bao-cao-97.xlsx"), folder, "xls")


def libreoffice_ods(folder: Path) -> Path:
    """An ordinary .ods saved by LibreOffice."""
    return libreoffice_copy(normal_xlsx(folder, "bao-cao-ods.xlsx"), folder, "ods")


def libreoffice_csv(folder: Path) -> Path:
    """A UTF-8 CSV saved by LibreOffice."""
    return libreoffice_copy(normal_xlsx(folder, "bao-cao-csv.xlsx"), folder, "csv")


def libreoffice_xlsm(folder: Path) -> Path:
    """A macro-enabled workbook (.xlsm) saved by LibreOffice."""
    return libreoffice_copy(normal_xlsx(folder, "bao-cao-macro.xlsx"), folder, "xlsm")


def truncated_xls(folder: Path) -> Path:
    """A LibreOffice .xls cut in half."""
    source = libreoffice_xls(folder)
    path = folder / "bi-cat.xls"
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    source.unlink()
    return path


# LibreOffice Basic run in a private profile. SaveWithPassword stores a file with
# a password: OOXML takes it as EncryptionData (LibreOffice 7.4 writes ECMA-376
# "Standard" encryption), .xls and .ods take the plain Password property.
# AddBasicModule stores an .ods carrying a Basic macro library.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">
Function Load(sIn As String) As Object
  Dim aLoad(0) As New com.sun.star.beans.PropertyValue
  aLoad(0).Name = "Hidden"
  aLoad(0).Value = True
  Load = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), "_blank", 0, aLoad())
End Function

Sub Report(sOut As String)
  iFile = FreeFile
  Open sOut + ".err" For Output As #iFile
  Print #iFile, Err &amp; " " &amp; Error$ &amp; " line " &amp; Erl
  Close #iFile
End Sub

Sub SaveWithPassword(sIn As String, sOut As String, sFilter As String, sPass As String)
  On Error GoTo Failed
  oDoc = Load(sIn)
  Dim aSave(1) As New com.sun.star.beans.PropertyValue
  Dim aKey(1) As New com.sun.star.beans.NamedValue
  aSave(0).Name = "FilterName"
  aSave(0).Value = sFilter
  If InStr(sFilter, "2007") > 0 Then
    aKey(0).Name = "OOXPassword"
    aKey(0).Value = sPass
    aKey(1).Name = "CryptoType"
    aKey(1).Value = "Standard"
    aSave(1).Name = "EncryptionData"
    aSave(1).Value = aKey()
  Else
    aSave(1).Name = "Password"
    aSave(1).Value = sPass
  End If
  oDoc.storeToURL(ConvertToURL(sOut), aSave())
  oDoc.close(True)
  Exit Sub
Failed:
  Report(sOut)
End Sub

Sub AddBasicModule(sIn As String, sOut As String)
  On Error GoTo Failed
  oDoc = Load(sIn)
  oLibrary = oDoc.BasicLibraries.createLibrary("TongHop")
  oLibrary.insertByName("Module1", "Sub TongHop" &amp; Chr(10) &amp; "End Sub")
  Dim aSave(0) As New com.sun.star.beans.PropertyValue
  aSave(0).Name = "FilterName"
  aSave(0).Value = "calc8"
  oDoc.storeToURL(ConvertToURL(sOut), aSave())
  oDoc.close(True)
  Exit Sub
Failed:
  Report(sOut)
End Sub
</script:module>
"""


def _run_macro(name: str, source: Path, target: Path, *more: str) -> Path:
    """Run Basic macro ``name`` (source, target, more…) in a fresh LibreOffice profile."""
    arguments = [str(source), str(target), *more]
    if any('"' in argument for argument in arguments):
        raise ValueError(f"a double quote in {arguments} would break the macro call")
    with tempfile.TemporaryDirectory(prefix="nq28-lo-") as scratch:
        profile = Path(scratch) / "profile"
        _run_soffice(profile, "--terminate_after_init")
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        if not module.exists():
            raise RuntimeError("LibreOffice did not create its Basic library in the new profile")
        module.write_text(_MACRO, encoding="utf-8")
        call = ",".join(f'"{argument}"' for argument in arguments)
        _run_soffice(profile, f"macro:///Standard.Module1.{name}({call})")
    error = target.with_name(target.name + ".err")
    if error.exists():
        raise RuntimeError(f"LibreOffice could not save {target.name}: {error.read_text()}")
    if not target.exists():
        raise RuntimeError(f"LibreOffice did not write {target.name}")
    return target


def _save_with_password(source: Path, target: Path, filter_name: str) -> Path:
    """``source`` stored by LibreOffice at ``target`` with :data:`PASSWORD`."""
    return _run_macro("SaveWithPassword", source, target, filter_name, PASSWORD)


def ods_with_basic_macro(folder: Path) -> Path:
    """An .ods carrying a LibreOffice Basic library (its parts declare a DOCTYPE)."""
    source = normal_xlsx(folder, "macro-source.xlsx")
    path = _run_macro("AddBasicModule", source, folder / "co-macro.ods")
    source.unlink()
    return path


def _encrypted(folder: Path, name: str, filter_name: str) -> Path:
    """An ordinary workbook saved by LibreOffice as ``name`` with :data:`PASSWORD`."""
    source = normal_xlsx(folder, f"source-{name}.xlsx")
    path = _save_with_password(source, folder / name, filter_name)
    source.unlink()
    return path


def encrypted_xlsx(folder: Path) -> Path:
    """A password-protected xlsx (an OLE container holding EncryptedPackage)."""
    return _encrypted(folder, "co-mat-khau.xlsx", "Calc MS Excel 2007 XML")


def encrypted_xls(folder: Path) -> Path:
    """A password-protected .xls (a FILEPASS record after BOF)."""
    return _encrypted(folder, "co-mat-khau.xls", "MS Excel 97")


def encrypted_ods(folder: Path) -> Path:
    """A password-protected .ods (encryption-data in its manifest)."""
    return _encrypted(folder, "co-mat-khau.ods", "calc8")
