"""batch stage: restore and extract many pages on a distributed engine, into Parquet parts.

    from luoshi.batch import run_batch
    summary = run_batch(["pages/"], "out/batch", engine="ray", workers=2)

The output folder is the interchange ``Ledger.ingest_parquet`` loads (see ``parts``).
"""

from __future__ import annotations

from luoshi.batch.engines import ENGINES
from luoshi.batch.runner import BatchSummary, run_batch
from luoshi.batch.sources import Partition, expand_inputs, plan_partitions

__all__ = ["ENGINES", "BatchSummary", "Partition", "expand_inputs", "plan_partitions", "run_batch"]
