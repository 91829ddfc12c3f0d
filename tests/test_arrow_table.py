"""The submissions table's columns, built from raw buffers, equal pyarrow's own conversion."""

from __future__ import annotations

import sys
from datetime import date

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from nq28_analysis.ingest.arrow_table import table_from_rows
from nq28_analysis.ingest.consolidate import SUBMISSION_FIELDS

_TYPES = {"string": pa.string(), "date32": pa.date32(), "int32": pa.int32(), "bool": pa.bool_()}
_VALUES = {
    "string": st.none() | st.text(max_size=12),
    "date32": st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    "int32": st.none() | st.integers(-(2**31), 2**31 - 1),
    "bool": st.none() | st.booleans(),
}
_FIELDS = [("text", "string"), ("day", "date32"), ("row", "int32"), ("flag", "bool")]


def _expected(rows: list[dict], fields: list[tuple[str, str]]) -> pa.Table:
    schema = pa.schema([(name, _TYPES[kind]) for name, kind in fields])
    return pa.Table.from_pylist(rows, schema=schema)


_ROW = st.fixed_dictionaries({name: _VALUES[kind] for name, kind in _FIELDS})
_ROWS = st.lists(_ROW, max_size=40)


@settings(deadline=None)  # the first conversion by pyarrow imports pandas
@given(_ROWS)
def test_columns_equal_pyarrow_conversion(rows):
    table = table_from_rows(rows, _FIELDS)
    table.validate(full=True)
    assert table.equals(_expected(rows, _FIELDS))


def test_vietnamese_text_and_nulls():
    rows = [
        {"text": "Đang thực hiện", "day": date(2024, 2, 29), "row": 12, "flag": True},
        {"text": "", "day": None, "row": None, "flag": None},
        {"text": None, "day": date(1970, 1, 1), "row": -1, "flag": False},
    ]
    table = table_from_rows(rows, _FIELDS)
    assert table.to_pylist() == rows
    assert table.equals(_expected(rows, _FIELDS))


def test_submission_schema_and_no_pandas_import(tmp_path):
    """The parquet schema is the contract's, and building it does not import pandas
    (the point of building from buffers: a quarter of a second per ingest)."""
    import subprocess

    code = (
        "import sys\n"
        "from nq28_analysis.ingest.arrow_table import table_from_rows\n"
        "from nq28_analysis.ingest.consolidate import SUBMISSION_FIELDS\n"
        "t = table_from_rows([], SUBMISSION_FIELDS)\n"
        "print(t.schema.names == [n for n, _ in SUBMISSION_FIELDS], 'pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.split() == ["True", "False"]
    empty = table_from_rows([], SUBMISSION_FIELDS)
    assert empty.schema == _expected([], SUBMISSION_FIELDS).schema
