"""Where the project folder is, the folders inside it and the files the
package writes there (docs/design.md §3–4).

A command works on ``--data-dir`` when given, else on ``$NQ28_HOME``, else
on the nearest folder upward from the current one that holds
``data/reference/``.

The package carries a project folder of its own, :func:`shipped_project`:
the reference tables and the notebooks as the repository has them. An
installed package (a wheel) holds a copy made when it was built; a source
checkout uses the repository's folders themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectNotFoundError

__all__ = [
    "CLASSIFICATION",
    "EXPLORE_NOTEBOOK",
    "INPUTS",
    "INTERNAL_LOG",
    "ISSUES",
    "MANIFEST",
    "PENDING_EVENTS",
    "REGISTER",
    "REPORT_NOTEBOOK",
    "SAMPLE_MARKER",
    "SHIPPED",
    "SUBMISSIONS",
    "SUMMARY",
    "VERDICTS",
    "ProcessedFiles",
    "Project",
    "SampleFolders",
    "find_project",
    "is_sample",
    "or_default",
    "sample_folders",
    "sample_reference",
    "shipped_project",
]

#: The file ``nq28 demo`` writes beside its sample submissions: whatever is
#: rendered from that folder says it is sample data.
SAMPLE_MARKER = "DU-LIEU-MAU.txt"

#: The processed tables (``data/processed/`` or ``--processed``), by file name.
SUBMISSIONS = "submissions.parquet"
ISSUES = "issues.csv"
MANIFEST = "manifest.csv"
#: Beside the processed tables: the fingerprint of the inputs they were made from.
INPUTS = "inputs.json"
#: In a period folder of ``data/raw/``: the clerk's register of when each file came.
REGISTER = "received.csv"
#: What ``nq28 status`` and ``nq28 report`` write beside a period's outputs.
CLASSIFICATION = "classification.csv"
SUMMARY = "summary.json"
#: The tasks waiting for an event, with the ``events.csv`` line that dates each.
PENDING_EVENTS = "pending_events.csv"
#: Beside the processed tables: every verdict of the Board read from the worklists.
VERDICTS = "verdicts.csv"
#: Where the tracebacks of the tool's own failures go, in a command's output folder.
INTERNAL_LOG = "nq28-loi-cong-cu.log"

#: The notebook ``nq28 report`` runs, and the one an analyst explores with.
REPORT_NOTEBOOK = "02-periodic-report.ipynb"
EXPLORE_NOTEBOOK = "01-explore-lagging-units.ipynb"

#: Inside an installed package: the copy of the repository's ``data/reference/``
#: and ``notebooks/`` made when the wheel was built (``setup.py`` writes it, with
#: the same relative paths, so that it reads as a project folder).
SHIPPED = Path(__file__).resolve().parents[1] / "_shipped"


def is_sample(raw: Path) -> bool:
    """Whether the submissions folder ``raw`` holds ``nq28 demo``'s sample data."""
    return (Path(raw) / SAMPLE_MARKER).exists()


@dataclass(frozen=True)
class SampleFolders:
    """The folders ``nq28 demo`` writes side by side (``data/demo/``): the sample
    submissions (``raw/``), the sample registry (``reference/``: the project's
    tables plus sample-only units and transfers, docs/design.md §14), the
    Board's filled sample worklist (``review/``) and the processed tables,
    each beside the submissions folder ``raw``."""

    raw: Path

    @property
    def reference(self) -> Path:
        return Path(self.raw).parent / "reference"

    @property
    def review(self) -> Path:
        return Path(self.raw).parent / "review"

    @property
    def processed(self) -> Path:
        return Path(self.raw).parent / "processed"


def sample_folders(path: Path | str) -> SampleFolders | None:
    """The sample's folders when ``path`` is a sample submissions folder
    (:func:`is_sample`) or lies inside one (a quarter's folder, a workbook),
    else ``None``. Real submissions never carry the sample marker."""
    path = Path(path)
    for folder in (path, *path.parents):
        if is_sample(folder):
            return SampleFolders(folder)
    return None


def sample_reference(raw: Path | str | None) -> Path | None:
    """The sample's own registry when ``raw`` is (or lies in) a sample
    submissions folder that has one beside it, else ``None``: sample
    submissions are read with it, never with the project's tables
    (docs/design.md §3)."""
    sample = sample_folders(raw) if raw is not None else None
    return sample.reference if sample is not None and sample.reference.is_dir() else None


@dataclass(frozen=True)
class ProcessedFiles:
    """The files of one processed folder: the three tables and their fingerprint."""

    folder: Path

    @property
    def submissions(self) -> Path:
        return Path(self.folder) / SUBMISSIONS

    @property
    def issues(self) -> Path:
        return Path(self.folder) / ISSUES

    @property
    def manifest(self) -> Path:
        return Path(self.folder) / MANIFEST

    @property
    def inputs(self) -> Path:
        return Path(self.folder) / INPUTS

    @property
    def tables(self) -> tuple[Path, Path, Path]:
        """The three tables, in the order :func:`write_outputs` returns them."""
        return (self.submissions, self.issues, self.manifest)


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
    def review(self) -> Path:
        """The Board's worklists (``nq28 review``), filled and read back."""
        return self.root / "data" / "review"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def report_notebook(self) -> Path:
        """The report notebook: the project's own copy when it has one, else the
        one shipped with the package."""
        own = self.notebooks / REPORT_NOTEBOOK
        return own if own.exists() else shipped_project().notebooks / REPORT_NOTEBOOK


def or_default(given: str | Path | None, default: Path) -> Path:
    """The folder a command-line option names when it is given, else ``default``
    (one of the project's folders)."""
    return Path(given) if given else default


def shipped_project() -> Project:
    """The reference tables and notebooks that come with the package, as a project
    folder: the installed copy when there is one (a wheel), else the source
    checkout this package is imported from (an editable install, ``PYTHONPATH``).
    """
    return Project(SHIPPED if SHIPPED.is_dir() else SHIPPED.parents[1])


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
        "thư mục dự án, hoặc chỉ rõ bằng --data-dir hay biến môi trường NQ28_HOME; "
        "tạo thư mục dự án mới bằng «nq28 init THƯ_MỤC»."
    )
