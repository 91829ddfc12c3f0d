"""Rendering a periodic report: the notebook under papermill, then HTML, annex, draft.

``render()`` does what ``nq28 report`` does:

1. gathers the report's data (ingesting first when an input changed) and
   writes ``classification.csv`` and ``summary.json`` like ``nq28 status``;
2. runs ``notebooks/02-periodic-report.ipynb`` (the project's own copy when it
   has one, else the one shipped with the package) with papermill, its
   parameter names checked first (papermill itself only warns about an
   unknown one), in a kernel that runs *this* interpreter (a user-level
   ``python3`` kernelspec may point at another Python without the project);
3. exports the executed notebook to one offline HTML page: no code, no
   prompts, plotly.js embedded exactly once, no script, stylesheet, font or
   image from the network, a table of contents;
4. writes the Excel annex and the Word draft from the same data.

On a failing notebook the executed copy is kept beside the outputs and named
in the error.
"""

from __future__ import annotations

import ast
import html
import json
import pickle
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..common.errors import Nq28Error, UsageError
from ..common.files import write_file
from ..common.project import REPORT_NOTEBOOK

if TYPE_CHECKING:
    from ..reference.catalog import Catalog

__all__ = ["NOTEBOOK", "ReportError", "export_html", "notebook_parameters", "render"]

NOTEBOOK = REPORT_NOTEBOOK
KERNEL = "nq28-python"


class ReportError(Nq28Error):
    """The report notebook failed; ``notebook`` is the executed copy kept for reading."""

    def __init__(self, message: str, notebook: Path | None = None):
        self.notebook = notebook
        super().__init__(message)


@dataclass
class Rendered:
    """The files one report wrote."""

    html: Path
    annex: Path
    draft: Path
    classification: Path
    summary: Path
    pending: Path
    #: What the analyst should know of the numbers' date (the as_of set by a
    #: late file, files received after it), for the console.
    notes: tuple[str, ...] = ()

    def paths(self) -> list[Path]:
        return [
            self.html,
            self.annex,
            self.draft,
            self.classification,
            self.summary,
            self.pending,
        ]


def notebook_parameters(path: Path) -> dict[str, object]:
    """Names and default values of the notebook's cell tagged ``parameters``."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            return {
                node.targets[0].id: ast.literal_eval(node.value)
                for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            }
    raise ReportError(f"Sổ {path.name} không có ô tham số (tag «parameters»).")


def _kernel_home(folder: Path) -> Path:
    """A kernelspec that runs the current interpreter, in ``folder``."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                # The kernel's own log (a local TCP notice, shutdown chatter) is not
                # the analyst's business; a failing cell still stops the report.
                "argv": [
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                    "--IPKernelApp.log_level=CRITICAL",
                ],
                "display_name": "nq28 (Python)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return folder


def _skip_iri_grammar() -> None:
    """Keep jsonschema (imported by papermill and nbformat) from loading the
    optional IRI grammar it uses when that package is installed (Jupyter's
    event schemas install it): compiling it took about 1.3 s of every report,
    for a format check (``iri``) no notebook schema uses. Marked absent before
    the first import, jsonschema skips that checker as it does where the
    package is not installed; a process that already loaded it keeps it."""
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)


def execute(notebook: Path, output: Path, parameters: dict, progress: bool = False) -> Path:
    """Run ``notebook`` with ``parameters`` into ``output``; names checked first."""
    import os

    _skip_iri_grammar()
    import papermill as pm

    known = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise UsageError(
            f"Tham số không có trong sổ {notebook.name}: {', '.join(unknown)} "
            f"(có: {', '.join(known)})."
        )
    with tempfile.TemporaryDirectory(prefix="nq28-kernel-") as home:
        previous = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(_kernel_home(Path(home))), previous) if p
        )
        try:
            pm.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL,
                progress_bar=progress,
                cwd=str(output.parent),
            )
        except pm.PapermillExecutionError as exc:
            raise ReportError(
                f"Sổ báo cáo lỗi ở ô {exc.exec_count}: {exc.ename}: {exc.evalue}. "
                f"Bản đã chạy được giữ tại {output}.",
                output,
            ) from None
        finally:
            if previous is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = previous
    return output


_CSS = """
body{font-family:"Times New Roman",Times,serif;font-size:16px;line-height:1.45;
 max-width:1100px;margin:0 auto;padding:24px;color:#111}
h1{font-size:24px;text-align:center;margin:8px 0}h2{font-size:20px;margin-top:32px;
 border-bottom:2px solid #0072B2;padding-bottom:4px}h4{margin:12px 0 4px}
.issuer{text-align:center;font-size:15px}.asof{text-align:center;font-style:italic}
.sample{background:#D55E00;color:#fff;font-weight:bold;text-align:center;padding:8px;
 margin-bottom:12px;font-size:18px}
table.data{border-collapse:collapse;margin:8px 0;width:100%;font-size:14px}
table.data th,table.data td{border:1px solid #bbb;padding:4px 6px;vertical-align:top}
table.data th{background:#DCE6F1}table.data tbody tr:nth-child(even){background:#f6f6f6}
table.results{table-layout:fixed}table.results td{overflow-wrap:anywhere;
 white-space:pre-wrap}details.task{margin:6px 0}details.task summary{cursor:pointer}
nav.toc{border:1px solid #ccc;padding:8px 16px;margin:16px 0;background:#fafafa}
nav.toc ul{margin:4px 0;list-style:none;padding-left:8px}code{font-size:12px}q{quotes:"“" "”"}
@media print{nav.toc{display:none}h2{page-break-after:avoid}}
"""


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def export_html(executed: Path, title: str) -> str:
    """The executed notebook as one offline HTML page (see the module docstring)."""
    _skip_iri_grammar()
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(str(executed), as_version=4)
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    headings = re.findall(r'<h2 id="([^"]+)">(.*?)(?:<a class="anchor-link".*?</a>)?</h2>', body)
    toc = "".join(f'<li><a href="#{i}">{t}</a></li>' for i, t in headings)
    body = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", body)
    nav = f'<nav class="toc"><b>Mục lục</b><ul>{toc}</ul></nav>'
    first = body.find("<h2")
    body = body[:first] + nav + body[first:] if first >= 0 else nav + body
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style>"
        f"<script>{_plotly_js()}</script></head><body>{body}</body></html>\n"
    )


def render(
    project_root: Path | None,
    period: str,
    kind: str | None = None,
    start: str | None = None,
    as_of=None,
    raw: Path | str | None = None,
    processed: Path | str | None = None,
    out: Path | str | None = None,
    progress: bool = False,
    catalog: Catalog | None = None,
    verdicts=None,
) -> Rendered:
    """Render the report of ``period`` (or the review ``kind`` from ``start``).

    ``raw``, ``processed`` and ``out`` default to the project's folders;
    ``catalog``, when the caller has loaded it already, is not read again;
    ``verdicts`` are the Board's (:func:`~nq28_analysis.ingest.verdicts.read_verdicts`).
    """
    from ..common.project import PENDING_EVENTS, find_project, or_default
    from ..metrics.status import write_status
    from ..reference.catalog import load_catalog
    from ..reference.pending import write_pending
    from . import present
    from .annex import write_annex
    from .data import gather
    from .draft import write_draft

    project = find_project(project_root)
    if catalog is None:
        catalog = load_catalog(project.reference)
    raw = or_default(raw, project.raw)
    processed = or_default(processed, project.processed)
    data = gather(catalog, raw, processed, period, kind, start, as_of, verdicts=verdicts)
    out = or_default(out, project.reports / data.slug)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = write_status(
        data.metrics, out, inputs={k: v for k, v in data.inputs.items() if k != "files"}
    )
    pending_path = write_pending(data.pending, out / PENDING_EVENTS)

    parameters = {
        "period": period,
        "kind": kind or "",
        "start": start or "",
        "as_of": data.as_of.isoformat(),
        "data_dir": str(project.root),
        "raw": str(raw.resolve()),
        "processed": str(processed.resolve()),
    }
    notebook = project.report_notebook()
    with tempfile.TemporaryDirectory(prefix="nq28-report-") as work:
        # The notebook shows this very data (gathered once, as the annex and draft).
        data_file = Path(work) / "report-data.pickle"
        data_file.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        parameters["data_file"] = str(data_file)
        executed = Path(work) / NOTEBOOK
        try:
            execute(notebook, executed, parameters, progress)
        except ReportError as exc:
            kept = out / f"loi-{NOTEBOOK}"
            if exc.notebook and exc.notebook.exists():
                write_file(kept, exc.notebook.read_bytes())
            raise ReportError(str(exc).replace(str(executed), str(kept)), kept) from None
        page = export_html(executed, data.title)
    base = f"bao-cao-{data.slug}"
    html_path = out / f"{base}.html"
    write_file(html_path, page.encode("utf-8"))
    annex = write_annex(data, out / f"{base}-phu-luc.xlsx")
    draft = write_draft(data, out / f"{base}-du-thao.docx")
    later = present.left_out(data.metrics, catalog)
    notes = tuple(n for n in (present.as_of_words(data.metrics, catalog), *later.notes) if n)
    return Rendered(html_path, annex, draft, csv_path, json_path, pending_path, notes)
