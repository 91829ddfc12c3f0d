"""Where the project folder is, and the folders inside it (DESIGN §3–4).

A command works on ``--data-dir`` when given, else on ``$NQ28_HOME``, else
on the nearest folder upward from the current one that holds
``data/reference/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectNotFoundError

__all__ = ["SAMPLE_MARKER", "Project", "find_project", "is_sample"]

#: The file ``nq28 demo`` writes beside its sample submissions: whatever is
#: rendered from that folder says it is sample data.
SAMPLE_MARKER = "DU-LIEU-MAU.txt"


def is_sample(raw: Path) -> bool:
    """Whether the submissions folder ``raw`` holds ``nq28 demo``'s sample data."""
    return (Path(raw) / SAMPLE_MARKER).exists()


@dataclass(frozen=True)
class Project:
    """The project folder and its standard sub-folders."""

    root: Path

    @property
    def reference(self) -> Path:
        return self.root / "data" / "reference"

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def feedback(self) -> Path:
        return self.root / "data" / "feedback"

    @property
    def demo(self) -> Path:
        return self.root / "data" / "demo"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


def find_project(data_dir: str | Path | None = None, start: str | Path | None = None) -> Project:
    """Locate the project folder (see the module docstring).

    Raises :class:`ProjectNotFoundError` with a Vietnamese message.
    """
    explicit = data_dir or os.environ.get("NQ28_HOME")
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / "data" / "reference").is_dir():
            raise ProjectNotFoundError(
                f"Thư mục «{root}» không phải thư mục dự án: không có data/reference/."
            )
        return Project(root)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "reference").is_dir():
            return Project(folder)
    raise ProjectNotFoundError(
        "Không tìm thấy thư mục dự án (thư mục có data/reference/). Hãy chạy lệnh trong "
        "thư mục dự án, hoặc chỉ rõ bằng --data-dir hay biến môi trường NQ28_HOME."
    )
