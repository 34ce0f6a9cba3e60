"""Executors that run page jobs: a local process pool, or a dask cluster (issue 6).

Every worker runs tesseract single-threaded (OMP_THREAD_LIMIT=1): parallelism comes from
the number of workers, which on a 2-core machine is several times faster than tesseract's
own OpenMP threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Literal

from .errors import BadArgsError, PlandigitError


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


class LocalExecutor:
    """A process pool; `jobs` defaults to all cores."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_worker)

    def submit(self, fn: Callable, /, *args) -> Future:
        return self._pool.submit(fn, *args)

    def wait_any(self, futures: Collection[Future]) -> set[Future]:
        return wait(futures, return_when=FIRST_COMPLETED).done

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def _single_threaded(fn: Callable, /, *args) -> Any:
    """Run `fn` on a dask worker with tesseract limited to one thread.

    Set per task rather than per worker so workers started by someone else
    (`dask worker tcp://...`) behave like the local pool without any set-up.
    """
    _init_worker()
    return fn(*args)


class DaskExecutor:
    """Page jobs on a dask.distributed cluster: an existing one (`scheduler` address) or a
    LocalCluster of `jobs` single-threaded worker processes.

    Workers must have plandigit installed; they find its schemas and correction data
    through pipeline.resources, like the local pool.
    """

    def __init__(self, jobs: int | None = None, scheduler: str | None = None) -> None:
        import logging

        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout=30)
            except (OSError, TimeoutError) as exc:
                raise PlandigitError(f"cannot reach the dask scheduler: {exc}", scheduler) from exc
        else:
            self._cluster = LocalCluster(
                n_workers=jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=":0",  # its HTTP server always starts; any free port
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
        self.jobs = max(1, sum(self._client.nthreads().values()))

    def submit(self, fn: Callable, /, *args) -> Any:
        return self._client.submit(_single_threaded, fn, *args, pure=False)

    def wait_any(self, futures: Collection[Any]) -> set[Any]:
        from distributed import wait as dask_wait

        return set(dask_wait(list(futures), return_when="FIRST_COMPLETED").done)

    def shutdown(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def open_executor(
    kind: Literal["local", "dask"] = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
) -> LocalExecutor | DaskExecutor:
    """The executor the CLI's --executor/--jobs/--scheduler options ask for."""
    if kind == "dask":
        return DaskExecutor(jobs, scheduler)
    if scheduler:
        raise BadArgsError("--scheduler needs --executor dask")
    return LocalExecutor(jobs)
