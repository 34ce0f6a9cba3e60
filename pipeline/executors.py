"""Executors that run page jobs: a local process pool, or a dask cluster (issue 6).

Every worker runs tesseract single-threaded (OMP_THREAD_LIMIT=1): parallelism comes from
the number of workers, which on a 2-core machine is several times faster than tesseract's
own OpenMP threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait


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
