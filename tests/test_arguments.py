"""``nq28`` speaks Vietnamese down to argparse's own words: the usage line,
the headings, the help option and every usage error (exit 2)."""

from __future__ import annotations

import argparse

import pytest

from nq28_analysis.common.arguments import Parser

from .helpers import run

#: argparse's English, none of which an analyst may see.
ENGLISH = (
    "usage",
    "options",
    "positional",
    "show this help",
    "required",
    "invalid choice",
    "unrecognized",
    "expected",
    "argument",
    "error",
    "version number",
)


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text.lower()]


@pytest.mark.parametrize("args", [("--help",), ("status", "--help"), ("report", "--help")])
def test_help_is_vietnamese(args):
    result = run(*args)
    assert result.returncode == 0, result.stderr
    said = result.stdout
    assert said.startswith("Cách dùng: nq28")
    assert "Tùy chọn:" in said and "-h, --help" in said and "in hướng dẫn này rồi thoát" in said
    assert _english_in(said) == []


def test_the_commands_are_listed_under_a_vietnamese_heading():
    said = run("--help").stdout
    assert "Đối số:\n  LỆNH" in said and "in số phiên bản rồi thoát" in said


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("status",), "thiếu đối số bắt buộc: --period"),
        (("status", "--period"), "đối số --period: cần một giá trị"),
        (("bao-cao",), "đối số LỆNH: giá trị không hợp lệ: 'bao-cao' (chọn một trong: 'init'"),
        (
            ("report", "--period", "2024-Q2", "--kind", "so-kết"),
            "đối số --kind: giá trị không hợp lệ: 'so-kết' (chọn một trong: 'so-ket', 'tong-ket')",
        ),
        (("status", "--period", "2024-Q2", "--bogus"), "không hiểu các đối số: --bogus"),
    ],
)
def test_usage_errors_are_vietnamese_and_exit_2(args, words):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Cách dùng: nq28")
    assert f"lỗi cách dùng: {words}" in result.stderr
    assert "Traceback" not in result.stderr and _english_in(result.stderr) == []


def test_nothing_else_in_the_process_is_translated():
    # The translation is installed only while a Parser builds, parses or formats.
    Parser(prog="nq28").format_help()
    plain = argparse.ArgumentParser(prog="other")
    assert plain.format_help().startswith("usage: other")
    assert "show this help message and exit" in plain.format_help()
