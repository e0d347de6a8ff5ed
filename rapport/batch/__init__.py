"""Batch: code a whole corpus on Dask into partitioned Parquet tables (``rapport batch``).

The driver plans *partitions* (groups of input files, or of sessions of a Parquet corpus),
then each partition runs as one Dask task on a worker: read, code every utterance with
the same coders as ``rapport code``, compute every session's profile metrics, and write
three Parquet parts (utterances, sessions, errors) atomically. A partition whose parts
all exist is finished; a re-run skips it. See ``docs/research.md``.
"""

from rapport.batch.plan import Partition, ReadOptions, Unit, plan_partitions
from rapport.batch.run import BatchSummary, run_batch

__all__ = ["BatchSummary", "Partition", "ReadOptions", "Unit", "plan_partitions",
           "run_batch"]
