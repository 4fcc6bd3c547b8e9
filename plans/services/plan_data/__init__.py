"""Plan data files (``docs/plan-data-format.md``): loading them, with the line
and key path of every error (``files``, ``loader``, ``follow_up``), and writing
a plan out as one (``export``)."""

from plans.services.plan_data.export import export_plan_file
from plans.services.plan_data.files import (
    DATA_DIR,
    MAX_PLAN_FILE_BYTES,
    bundled_plan_files,
    import_plan_text,
    load_plan_files,
    parse_plan_text,
    preview_plan_text,
)
from plans.services.plan_data.values import LoadResult, PlanFileError

__all__ = [
    "DATA_DIR",
    "MAX_PLAN_FILE_BYTES",
    "LoadResult",
    "PlanFileError",
    "bundled_plan_files",
    "export_plan_file",
    "import_plan_text",
    "load_plan_files",
    "parse_plan_text",
    "preview_plan_text",
]
