"""``nq28 template``, ``check``, ``ingest`` and ``demo`` as an analyst runs them."""

from __future__ import annotations

from openpyxl import load_workbook

from .helpers import run
from .workbooks import filled, row_of


def test_template_command(project, tmp_path):
    result = run(
        "--data-dir",
        str(project),
        "template",
        "--period",
        "2024-Q2",
        "--unit",
        "Ba Tơ",
        "VPTU",
        "--out",
        str(tmp_path / "t"),
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == [
        "huyen-uy-ba-to_2024-Q2.xlsx",
        "van-phong_2024-Q2.xlsx",
    ]


def test_template_usage_errors(project, tmp_path):
    for args in (
        ["--period", "2022-Q3"],
        ["--period", "2024-Q2", "--unit", "không-có"],
        ["--period", "2024-H1"],
        ["--period", "2024-Q2", "--unit", "ban-thuong-vu"],
    ):
        result = run("--data-dir", str(project), "template", *args, "--out", str(tmp_path))
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr and "Lỗi" in result.stderr


def test_check_names_every_file_writes_feedback_and_exits_1_on_errors(catalog, project, tmp_path):
    row = row_of(catalog, "huyen-uy-ba-to", "2024-Q2", "IV.2")
    inbox = tmp_path / "2024-Q2"
    good = filled(catalog, inbox, unit_id="van-phong")
    bad = filled(catalog, inbox, edits={f"E{row}": "Tốt"})
    (inbox / "ghi chép của văn thư rất dài tên.pdf").write_bytes(b"%PDF-1.5\n")
    feedback = tmp_path / "gop-y"
    result = run("--data-dir", str(project), "check", str(inbox), "--feedback", str(feedback))
    assert result.returncode == 1
    out = result.stdout
    assert f"ĐẠT: {good.as_posix()}" in out
    assert f"CÓ LỖI: {bad.as_posix()}" in out
    assert "BỊ TỪ CHỐI: " in out and "ghi chép của văn thư rất dài tên.pdf" in out
    assert f"ô E{row}" in out and "[status-unknown]" in out
    # The feedback workbook marks the cell and explains it.
    book = load_workbook(feedback / "2024-Q2__huyen-uy-ba-to_2024-Q2__gop-y.xlsx")
    listing = book["Góp ý"]
    assert any(c.value == f"E{row}" for c in listing["B"])
    marked = book["Bản đánh dấu"][f"E{row}"]
    assert marked.value == "Tốt" and marked.fill.fgColor.rgb.endswith("F4B6B6")
    assert "status-unknown" in marked.comment.text
    assert not any(inbox.glob("*gop-y*"))  # never beside the inputs
    # Sent to the unit: its file's name, not the analyst's folders; task texts readable.
    assert listing["A2"].value == f"Tệp: {bad.name}"
    copy = book["Bản đánh dấu"]
    assert copy.column_dimensions["C"].width > copy.column_dimensions["A"].width
    assert copy[f"C{row}"].alignment.wrap_text


def test_check_exits_0_when_clean(catalog, project, tmp_path):
    path = filled(catalog, tmp_path / "2024-Q2")
    result = run("--data-dir", str(project), "check", str(path), "--feedback", str(tmp_path / "f"))
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("ĐẠT: ")


def test_check_missing_path_is_usage_error(project, tmp_path):
    result = run("--data-dir", str(project), "check", str(tmp_path / "không-có.xlsx"))
    assert result.returncode == 2 and "Không có tệp" in result.stderr


def test_demo_then_ingest(demo, project, tmp_path):
    """The session's demo project was made by ``nq28 demo`` (see conftest)."""
    raw = demo / "data" / "demo" / "raw"
    assert (raw / "2022-Q4" / "received.csv").exists()
    assert (raw / "2026-Q2").is_dir() and not (raw / "2026-Q3").exists()
    assert not (demo / "data" / "raw").exists()
    # Its registry and filled worklist sit beside the submissions.
    assert (demo / "data" / "demo" / "reference" / "unit_transfers.csv").exists()
    assert (demo / "data" / "demo" / "review" / "tham-dinh-2026-Q2.xlsx").exists()
    out = tmp_path / "processed"
    result = run("--data-dir", str(demo), "ingest", "--raw", str(raw), "--out", str(out))
    assert result.returncode == 0, result.stderr
    import pandas as pd

    manifest = pd.read_csv(out / "manifest.csv", encoding="utf-8-sig", dtype=str)
    assert len(manifest) > 300
    assert set(manifest["disposition"]) <= {"used", "superseded", "partly-superseded"}
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig", dtype=str)
    assert {"status-unknown", "column-extra", "legacy-text"} <= set(issues["code"])
    # Demo data is never written among real submissions.
    result = run("--data-dir", str(project), "demo", "--raw", str(project / "data" / "raw"))
    assert result.returncode == 2
    assert not (project / "data" / "raw").exists()


def test_check_a_mixed_folder_names_every_file_and_never_crashes(catalog, project, tmp_path):
    """About a hundred files of every kind a clerk may receive, in one run."""
    import time

    from . import hostile

    inbox = tmp_path / "2024-Q2"
    inbox.mkdir()
    builders = [
        hostile.normal_xlsx,
        hostile.xlsxwriter_xlsx,
        hostile.far_corner_xlsx,
        hostile.xlsx_saved_as_xls_name,
        hostile.cp1258_csv,
        hostile.utf16_txt,
        hostile.zip_bomb_xlsx,
        hostile.member_count_bomb_xlsx,
        hostile.entity_bomb_xlsx,
        hostile.truncated_xlsx,
        hostile.member_cut_xlsx,
        hostile.small_xls,
        hostile.small_encrypted_xls,
        hostile.small_doc,
        hostile.pdf_renamed_xlsx,
        hostile.docx_renamed_xlsx,
        hostile.html_as_xls,
        hostile.empty_file,
        hostile.random_binary,
    ]
    made = [build(inbox) for build in builders]
    for unit in ("huyen-uy-ba-to", "van-phong", "ban-to-chuc", "huyen-uy-ly-son"):
        made.append(filled(catalog, inbox, unit_id=unit))
    # Damaged copies of a good workbook: every cut point is a different broken file.
    good = made[-1].read_bytes()
    for i in range(75):
        cut = inbox / f"hong-{i:02d}.xlsx"
        cut.write_bytes(good[: len(good) * (i + 1) // 77])
        made.append(cut)
    start = time.perf_counter()
    result = run("--data-dir", str(project), "check", str(inbox), "--feedback", str(tmp_path / "f"))
    elapsed = time.perf_counter() - start
    assert elapsed < 120
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    verdicts = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    for path in made:
        assert any(path.as_posix() in line for line in verdicts), path.name
    assert f"Đã kiểm tra {len(made)} tệp" in result.stdout


def test_check_in_a_year_folder_uses_the_workbook_quarter(catalog, project, tmp_path):
    path = filled(catalog, tmp_path / "2024")
    result = run("--data-dir", str(project), "check", str(path), "--feedback", str(tmp_path / "f"))
    assert result.returncode == 0, result.stdout


def test_check_shows_cell_errors_with_a_period_rejection(catalog, project, tmp_path):
    """The unit learns of its bad cell with the rejection, not after sending again."""
    row = row_of(catalog, "huyen-uy-ba-to", "2024-Q2", "IV.2")
    path = filled(catalog, tmp_path / "2024-Q2", edits={"C4": "Quý I năm 2024", f"E{row}": "Tốt"})
    feedback = tmp_path / "gop-y"
    result = run("--data-dir", str(project), "check", str(path), "--feedback", str(feedback))
    assert result.returncode == 1
    assert f"BỊ TỪ CHỐI: {path.as_posix()}" in result.stdout
    assert "0 dòng ghi nhận, 2 lỗi" in result.stdout
    assert "ô C4" in result.stdout and "[period-mismatch]" in result.stdout
    assert f"ô E{row}" in result.stdout and "[status-unknown]" in result.stdout
    book = load_workbook(feedback / "2024-Q2__huyen-uy-ba-to_2024-Q2__gop-y.xlsx")
    listing = book["Góp ý"]
    assert listing["A3"].value.startswith("Kết quả kiểm tra: BỊ TỪ CHỐI")
    assert listing["A4"].value == "Dòng được ghi nhận: 0; dòng có lỗi: 1."
    listed = {(r[1].value, r[7].value) for r in listing.iter_rows(min_row=7)}
    assert listed == {("C4", "period-mismatch"), (f"E{row}", "status-unknown")}
    assert "status-unknown" in book["Bản đánh dấu"][f"E{row}"].comment.text
