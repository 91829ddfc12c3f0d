"""The steps ``nq28 status`` and ``nq28 report`` share: keep the processed
tables current, compute the metrics, write ``classification.csv`` and
``summary.json``, and show the per-unit table.

The processed tables are rebuilt only when an input changed: the
fingerprint of every raw file (path, size, SHA-256) and of the reference
tables is kept in ``processed/inputs.json``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..common.files import write_file
from ..common.project import CLASSIFICATION, SUMMARY, ProcessedFiles
from ..common.tables import write_rows
from ..ingest.consolidate import MANIFEST_COLUMNS, files_at, fingerprint, ingest, write_outputs
from ..reference.catalog import Catalog
from .rates import Metrics

__all__ = [
    "Processed",
    "current_tables",
    "fingerprint",
    "inputs_digest",
    "write_status",
]


@dataclass
class Processed:
    """The consolidated tables, and whether this call rebuilt them."""

    submissions: pd.DataFrame
    manifest: pd.DataFrame
    rebuilt: bool
    prints: dict  # the fingerprint() of the raw files and reference tables read

    def inputs(self, as_of: date | None = None) -> dict:
        """:func:`inputs_digest` of these tables at ``as_of``."""
        return inputs_digest(self.prints, self.manifest, as_of)


def inputs_digest(prints: dict, manifest: pd.DataFrame, as_of: date | None = None) -> dict:
    """What a result made at ``as_of`` was computed from, given a
    :func:`fingerprint` and the manifest: the number of submitted files
    counted at ``as_of`` (received by then, or on an unknown date) and one
    SHA-256 over those files (name, content, submission date) and the
    reference tables. Files received later change neither."""
    files = files_at(manifest, as_of)
    counted = sorted(
        zip(files["file"], files["sha256"], files["submitted_on"].fillna(""), strict=True)
    )
    document = {"files": counted, "reference": prints["reference"]}
    text = json.dumps(document, sort_keys=True).encode("utf-8")
    return {"raw_files": len(counted), "sha256": hashlib.sha256(text).hexdigest()}


def current_tables(raw: Path, processed: Path, catalog: Catalog, progress=None) -> Processed:
    """The processed tables for ``raw``, ingesting first when an input changed.

    Every input is hashed once here; ``Processed.prints`` carries the
    fingerprint so that callers do not read the raw files again.
    """
    raw, processed = Path(raw), Path(processed)
    now = fingerprint(raw, catalog)
    files = ProcessedFiles(processed)
    fresh = (
        files.inputs.exists()
        and all(p.exists() for p in files.tables)
        and json.loads(files.inputs.read_text(encoding="utf-8")) == now
    )
    rebuilt = False
    if not fresh:
        write_outputs(ingest(raw, catalog, progress=progress), processed, now)
        rebuilt = True
    submissions = pd.read_parquet(files.submissions)
    manifest = pd.read_csv(files.manifest, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    manifest = manifest.reindex(columns=list(MANIFEST_COLUMNS), fill_value="")
    return Processed(submissions, manifest, rebuilt, now)


def _json_value(value):
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_status(metrics: Metrics, out: Path, inputs: dict | None = None) -> list[Path]:
    """Write ``classification.csv`` and ``summary.json`` into ``out``.

    Same inputs, same bytes: rows in official unit order then catalogue
    order, keys sorted, no timestamps.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table = metrics.contract_table()
    rows = []
    for row in table.to_dict("records"):
        late = row["days_overdue"]
        row["days_overdue"] = None if pd.isna(late) else int(late)
        rows.append(row)
    csv_path = write_rows(list(table.columns), rows, out / CLASSIFICATION)
    document = {
        **{k: _json_value(v) for k, v in metrics.summary.as_json().items()},
        "period": metrics.period.id,
        "period_label": metrics.period.label_vi,
    }
    if inputs is not None:
        document["inputs"] = inputs
    json_path = out / SUMMARY
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    write_file(json_path, (text + "\n").encode("utf-8"))
    return [csv_path, json_path]
