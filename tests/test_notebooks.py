"""The notebooks: committed without outputs, thin, and they run under a real kernel."""

from __future__ import annotations

import json

from nq28_analysis.reports.render import execute

from .helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_notebooks_are_named_and_committed_without_outputs():
    assert NOTEBOOKS, "no notebook"
    for path in NOTEBOOKS:
        assert path.name[:3].rstrip("-").isdigit() and " " not in path.name, path.name
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name
        tagged = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
        assert len(tagged) == 1, path.name
        for line in "".join(tagged[0]["source"]).splitlines():
            assert "#" in line, f"parameter without a help comment: {line}"


def test_exploration_notebook_runs_on_demo_data(demo, tmp_path):
    """Run as ``nq28 report`` runs its notebook: parameter names checked first, in
    the kernel made on the fly for this interpreter (never a user's ``python3``)."""
    data = demo / "data" / "demo"
    out = execute(
        ROOT / "notebooks" / "01-explore-lagging-units.ipynb",
        tmp_path / "explore.ipynb",
        {
            "period": "2024-Q2",
            "unit": "Ba Tơ",
            "data_dir": str(demo),
            "raw": str(data / "raw"),
            "processed": str(data / "processed"),
        },
    )
    notebook = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    texts = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "Quý II năm 2024, tính đến ngày 03/08/2024" in texts
    assert "Huyện ủy Ba Tơ: hạng" in texts
    figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(figures) == 5
    tables = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    # Ba Tơ's results and evidence task by task over the quarters, and its kind.
    assert "Kết quả thực hiện" in tables and "Văn bản, minh chứng" in tables
    assert "Quý IV năm 2022" in tables and "Quý II năm 2024" in tables
    assert "Hạng trong loại" in tables and "Huyện ủy Minh Long" in tables
