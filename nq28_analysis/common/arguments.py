"""argparse speaking Vietnamese: its headings, its help line and its errors.

argparse asks gettext for every word it prints itself ("usage: ",
"options", "show this help message and exit", "the following arguments are
required: %s"…) through the names ``_`` and ``ngettext`` of its own module.
:func:`vietnamese` puts a translation table there while a block runs, and
:class:`Parser` runs every step that prints (building, parsing, formatting)
in that block; nothing else in the process sees the change. Messages that
only a programming mistake can raise (conflicting option strings…) are left
in English: they are for maintainers. Bad usage exits 2 (docs/design.md §3).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["MESSAGES", "Parser", "vietnamese"]

#: argparse's messages (as Python 3.11–3.13 spell them) → Vietnamese.
MESSAGES = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "Đối số",
    "options": "Tùy chọn",
    "optional arguments": "Tùy chọn",
    "subcommands": "Lệnh",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi cách dùng: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu đối số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các đối số %s",
    "unrecognized arguments: %s": "không hiểu các đối số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "giá trị không hợp lệ: %(value)r (chọn một trong: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "not allowed with argument %s": "không dùng cùng với đối số %s",
    "ignored explicit argument %r": "không nhận giá trị %r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn chưa rõ: %(option)s có thể là %(matches)s"
    ),
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "không mở được «%(filename)s»: %(error)s",
}

#: Plural messages: (singular, plural) → Vietnamese (which has one form).
PLURALS = {
    ("expected %s argument", "expected %s arguments"): "cần %s giá trị",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get((singular, plural), singular if n == 1 else plural)


@contextmanager
def vietnamese() -> Iterator[None]:
    """argparse's own words are Vietnamese while the block runs."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose headings, help line and errors are Vietnamese;
    bad usage prints the usage and one «lỗi cách dùng» line, and exits 2."""

    def __init__(self, *args, **kwargs):
        with vietnamese():  # the group headings and the help line are made here
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with vietnamese():  # "unrecognized arguments" is said here
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with vietnamese():  # errors and --help happen while parsing
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with vietnamese():
            return super().format_usage()

    def format_help(self) -> str:
        with vietnamese():
            return super().format_help()

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi cách dùng: {message}\n")
