from spro.referentials.importing.base import Dataset, DatasetReport, ImportContext, run_dataset
from spro.referentials.importing.errors import ImportFailure, ImportWarning
from spro.referentials.importing.readers import Row, read_csv, read_json
from spro.referentials.importing.sync import Counts, insert_rows, sync_model

__all__ = [
    "Counts",
    "Dataset",
    "DatasetReport",
    "ImportContext",
    "ImportFailure",
    "ImportWarning",
    "insert_rows",
    "Row",
    "read_csv",
    "read_json",
    "run_dataset",
    "sync_model",
]
