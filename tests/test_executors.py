"""Executors: a local process pool and dask.distributed clusters on loopback behave alike —
single-threaded tesseract in every worker, first-completed waiting, errors on result()."""

from __future__ import annotations

import logging
import os
import time

import pytest

from pipeline.errors import BadArgsError
from pipeline.executors import DaskExecutor, LocalExecutor, open_executor


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster


@pytest.fixture(params=["local", "dask-scheduler"])
def executor(request, cluster):
    if request.param == "local":
        pool = LocalExecutor(2)
    else:
        pool = DaskExecutor(scheduler=cluster.scheduler_address)
    with pool:
        yield pool


def test_workers_run_tesseract_single_threaded_in_other_processes(executor, monkeypatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    futures = [executor.submit(os.getenv, "OMP_THREAD_LIMIT") for _ in range(4)]
    futures += [executor.submit(os.getpid) for _ in range(4)]
    done: set = set()
    while len(done) < len(futures):
        done |= executor.wait_any([f for f in futures if f not in done])
    assert [f.result() for f in futures[:4]] == ["1"] * 4
    assert os.getpid() not in {f.result() for f in futures[4:]}
    assert executor.jobs == 2


def test_wait_any_returns_as_soon_as_one_is_done(executor):
    slow = executor.submit(time.sleep, 3)
    fast = executor.submit(abs, -5)
    started = time.monotonic()
    done = executor.wait_any([slow, fast])
    assert fast in done and slow not in done
    assert time.monotonic() - started < 2.5
    assert fast.result() == 5


def test_a_failing_job_raises_on_result(executor):
    future = executor.submit(int, "not a number")
    executor.wait_any([future])
    with pytest.raises(ValueError, match="not a number"):
        future.result()


def test_dask_without_scheduler_starts_a_loopback_cluster_of_jobs_workers():
    with open_executor("dask", jobs=2) as pool:
        assert isinstance(pool, DaskExecutor)
        assert pool.jobs == 2
        future = pool.submit(os.getenv, "OMP_THREAD_LIMIT")
        pool.wait_any([future])
        assert future.result() == "1"


def test_scheduler_needs_dask():
    with pytest.raises(BadArgsError, match="--executor dask"):
        open_executor("local", 2, "tcp://127.0.0.1:8786")
