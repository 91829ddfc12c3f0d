"""The ``nq28`` command line. It parses arguments and calls the library.

Exit codes (DESIGN §3): 0 when the command did its job, 1 when it could not
(for example the reference tables have errors), 2 on bad usage. A user's
mistake never ends in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .catalog import load_catalog
from .deadlines import catalog_table
from .errors import Nq28Error, ReferenceDataError, UsageError
from .project import find_project
from .tables import write_csv

__all__ = ["available_commands", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese error lines and exit code 2."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse path
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi cách dùng: {message}\n")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_catalog(args: argparse.Namespace) -> int:
    project = find_project(args.data_dir)
    catalog = load_catalog(project.reference)
    for line in catalog.found:
        _say(f"Đã đọc {line}")
    for problem in catalog.warnings:
        _say(problem.describe())
    out = write_csv(catalog_table(catalog), Path(args.out))
    print(out)
    return 0


def _catalog_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE.csv", help="tệp CSV cần ghi")


#: Sub-commands: name → (help, add options, run).
COMMANDS = {
    "catalog": ("xuất danh mục nhiệm vụ ra một tệp CSV phẳng", _catalog_options, cmd_catalog),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nq28",
        description="Theo dõi thực hiện Chương trình hành động thực hiện Nghị quyết 28-NQ/TW.",
    )
    parser.add_argument("--version", action="version", version=f"nq28 {__version__}")
    parser.add_argument(
        "--data-dir",
        help="thư mục dự án (chứa data/reference/); mặc định: NQ28_HOME hoặc thư mục hiện tại",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    for name, (help_vi, configure, run) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_vi)
        sub.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        configure(sub)
        sub.set_defaults(run=run)
    return parser


def available_commands() -> list[str]:
    """Names of the sub-commands this version has."""
    return list(COMMANDS)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except UsageError as exc:
        _say(f"Lỗi: {exc}")
        return 2
    except ReferenceDataError as exc:
        _say(str(exc))
        return 1
    except Nq28Error as exc:
        _say(f"Lỗi: {exc}")
        return 1
    except OSError as exc:
        _say(f"Lỗi khi đọc/ghi tệp: {exc.strerror or exc} ({exc.filename})")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
