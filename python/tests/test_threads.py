"""Many Python threads at once: the engine runs with the GIL released, and a shared Model gives
each thread the result it gives one thread alone."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import leasecalc
from conftest import STANDARD, US_H100

PRICE = "contracts[0].take_or_pay.price"


def work(models):
    """Mixed requests on shared models: (name, callable) pairs."""
    standard, us = models
    jobs = []
    for price in (55000, 60000, 62663, 65000, 70000):
        jobs.append((f"quote {price}", lambda p=price: standard.quote({PRICE: f"{p} CNY/server-month"})))
    jobs.append(("run exact", lambda: us.run()))
    jobs.append(("run monthly", lambda: standard.run(exact=False, monthly=True)))
    jobs.append(("bid", lambda: us.bid("equity-irr", 0.15, terms=[48])))
    jobs.append(("montecarlo", lambda: us.montecarlo(runs=60, seed=3)))
    jobs.append(("sensitivity", lambda: standard.sensitivity()))
    jobs.append(("bad quote", lambda: standard.quote({PRICE: "free"})))
    return jobs


def outcome(job):
    try:
        result = job()
    except leasecalc.InputError as error:
        return ("InputError", str(error))
    if isinstance(result, dict):
        result.pop("seconds", None)
    return result


def same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=True)
    return a == b


def test_threads_give_the_single_threaded_results():
    models = (leasecalc.load(STANDARD), leasecalc.load(US_H100))
    jobs = work(models)
    alone = {name: outcome(job) for name, job in jobs}
    with ThreadPoolExecutor(max_workers=8) as pool:
        rounds = [pool.submit(lambda j=job, n=name: (n, outcome(j))) for _ in range(3) for name, job in jobs]
        together = [future.result() for future in rounds]
    assert len(together) == 3 * len(jobs)
    for name, result in together:
        assert same(result, alone[name]), name
    assert alone["bad quote"][0] == "InputError"


def test_the_gil_is_released_while_the_engine_computes():
    model = leasecalc.load(STANDARD)
    done = threading.Event()
    call = {}

    def compute():
        call["start"] = time.perf_counter()
        model.montecarlo(runs=10000, seed=1)  # long enough (about 0.1 s here) to watch the GIL
        call["end"] = time.perf_counter()
        done.set()

    stamps = []
    worker = threading.Thread(target=compute)
    worker.start()
    while not done.is_set():
        stamps.append(time.perf_counter())  # Python code: runs only while this thread holds the GIL
        time.sleep(0.001)
    worker.join()
    # Held for the whole call, the GIL would let this loop run at most once or twice between the
    # call's first and last instants; released, it runs every millisecond or so.
    during = [s for s in stamps if call["start"] < s < call["end"]]
    assert call["end"] - call["start"] > 0.03
    assert len(during) > 10
