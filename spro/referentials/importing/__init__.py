from .base import Dataset, DatasetReport, ImportContext, run_dataset
from .errors import ImportFailure, ImportWarning
from .readers import Row, read_csv, read_json
from .sync import Counts, sync_model

__all__ = [
    "Counts",
    "Dataset",
    "DatasetReport",
    "ImportContext",
    "ImportFailure",
    "ImportWarning",
    "Row",
    "read_csv",
    "read_json",
    "run_dataset",
    "sync_model",
]
