"""A CPU-bound process beside a benchmark: a second user's job on the machine."""
import contextlib
import multiprocessing


def _spin(stop):
    x = 0
    while not stop.is_set():
        x = (x * 1103515245 + 12345) % 2 ** 31


@contextlib.contextmanager
def cpu_bound_process(enabled=True):
    """Runs one busy process for the duration of the block (nothing when not ``enabled``)."""
    if not enabled:
        yield
        return
    stop = multiprocessing.Event()
    spinner = multiprocessing.Process(target=_spin, args=(stop,))
    spinner.start()
    try:
        yield
    finally:
        stop.set()
        spinner.join()
