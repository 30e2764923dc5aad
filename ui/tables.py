"""Tables for ``st.dataframe`` built straight as Arrow tables.

A list of row dicts given to ``st.dataframe`` goes through a pandas DataFrame, whose string columns
(every read-out cell is a short string, ui/divergence.short_number) cost pandas ~6 ms per table per
rerun on this machine; an Arrow table is what Streamlit sends anyway.
"""

import pyarrow as pa


def arrow_table(rows):
    """The rows (dicts with the same keys, in column order) as a ``pyarrow.Table``."""
    return pa.Table.from_pylist(list(rows))
