"""A worker process that dies mid-run loses nothing: its partition reruns elsewhere.

The death is deterministic: a worker plugin (test code, not Rapport's) makes the worker
that holds partition 1 call ``os._exit`` at a chosen point of that task's life. The
marker file is created with O_EXCL, so only the first attempt dies; the nanny restarts
the worker and the scheduler gives the task to a live one.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import cloudpickle
import pandas as pd
import pytest
from batch_helpers import Cli, code_table_of, read_table
from distributed import Client, LocalCluster, WorkerPlugin

from rapport.batch.run import KEY_PREFIX

# the workers cannot import this test module by name: send the plugin class by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class DieOnce(WorkerPlugin):
    """Kill this worker process when ``key_part``'s task reaches ``state``, once."""

    name = "die-once"

    def __init__(self, key_part: str, state: str, marker: str) -> None:
        self.key_part, self.state, self.marker = key_part, state, marker

    def transition(self, key, start, finish, **kwargs):  # type: ignore[no-untyped-def]
        if finish != self.state or self.key_part not in str(key):
            return
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(fd, f"{os.getpid()} {key}\n".encode())
        os.close(fd)
        os._exit(1)


@pytest.mark.slow
@pytest.mark.parametrize("state", [
    "executing",  # dies as the task starts: nothing of the partition written
    "memory",  # dies after the task wrote its parts, before the scheduler heard of it
])
def test_killed_worker_loses_nothing(cli: Cli, corpus: Path, tmp_path: Path,
                                     state: str) -> None:
    marker = tmp_path / "died"
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
            Client(cluster) as client:
        client.register_plugin(DieOnce(f"{KEY_PREFIX}part-00001-", state, str(marker)))
        before = set(client.run(os.getpid).values())
        result = cli("batch", corpus, "--out", out, "--scheduler", cluster.scheduler_address,
                     "--partition-size", "1", "--quiet")
        assert result.exit_code == 0, result.output
        died_pid = int(marker.read_text(encoding="utf-8").split()[0])
        assert died_pid in before
        assert "part-00001" in marker.read_text(encoding="utf-8")
        after = set(client.run(os.getpid).values())
        assert died_pid not in after  # the nanny replaced the dead worker

    pd.testing.assert_frame_equal(read_table(out, "utterances"),
                                  code_table_of(cli, [corpus], tmp_path / "code.parquet"))
    assert sorted(p.name for p in (out / "sessions").iterdir()) == [
        f"part-0000{i}.parquet" for i in range(5)]
    assert len(read_table(out, "sessions")) == 5
