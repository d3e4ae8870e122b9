#!/usr/bin/python3
"""Monte Carlo ranges of a portfolio of deals, spread over a Dask cluster (docs/scale.md).

Each deal's scenarios are cut into chunks of a fixed size; chunk c of deal d draws from its own
seed, spawned from the run's seed by numpy's SeedSequence with spawn key (d, c). The chunks, and so
the result, do not depend on how many workers there are or which worker takes which chunk: one
worker and a hundred give the same figures, bit for bit. The workers run the `leasecalc` Python
module; they are sent each model's text, so they need the module but not the model files.

    # on this machine, 2 worker processes:
    examples/dask_sweep.py --workers 2 --runs 10000 models/guosen-2025-standard-10k.yaml
    # on a running cluster (`dask scheduler` and `dask worker tcp://HOST:8786` elsewhere):
    examples/dask_sweep.py --scheduler tcp://HOST:8786 --runs 10000 models/*.yaml
    # check that N workers give the one-worker result (exit 1 if not):
    examples/dask_sweep.py --check-workers 2 --runs 400 models/us-h100-take-or-pay.yaml

Prints one JSON document: per deal, the summary of each measure (as `leasecalc montecarlo` gives
it: mean, sd, P5-P95) over all its scenarios, and the probability of a negative NPV.
"""
import argparse
import functools
import json
import os
import pathlib
import sys
import time

import numpy as np

import leasecalc


@functools.lru_cache(maxsize=64)
def model_of(text, name, directory):
    """A worker loads each model once, from its text."""
    return leasecalc.load(text, name=name, directory=directory)


def chunk_seed(seed, deal, chunk):
    """The seed of one chunk: independent of the number of chunks, workers and deals after it."""
    return int(np.random.SeedSequence(seed, spawn_key=(deal, chunk)).generate_state(1, np.uint64)[0])


def simulate(text, name, directory, runs, seed):
    """One chunk: each scenario's figures (measure -> array), on one thread of a worker."""
    return model_of(text, name, directory).montecarlo(runs=runs, seed=seed, threads=1)["outcomes"]


def plan(models, runs, chunk, seed):
    """The tasks: (deal index, chunk index, arguments of simulate)."""
    tasks = []
    for deal, path in enumerate(models):
        path = pathlib.Path(path)
        source = (path.read_text(encoding="utf-8"), path.stem, str(path.resolve().parent))
        for c, start in enumerate(range(0, runs, chunk)):
            tasks.append((deal, c, source + (min(chunk, runs - start), chunk_seed(seed, deal, c))))
    return tasks


def summarise_deal(model, *chunks):
    """One deal's figures over all its scenarios, the chunks in order: run on a worker, so that only
    the summaries travel back to the client."""
    outcomes = {key: np.concatenate([c[key] for c in chunks]) for key in chunks[0]}
    return {
        "model": model,
        "measures": {key: leasecalc.summarise(values) for key, values in outcomes.items()},
        "probability_npv_negative": float(np.mean(outcomes["npv"] < 0)),
    }


def run_on(client, models, runs, chunk, seed):
    """The report, and how many workers the chunks ran on."""
    chunks_of = [[] for _ in models]
    for deal, _, arguments in plan(models, runs, chunk, seed):
        chunks_of[deal].append(client.submit(simulate, *arguments, pure=False))
    deals = [client.submit(summarise_deal, str(path), *chunks, pure=False) for path, chunks in zip(models, chunks_of)]
    report = {"schema": "leasecalc.dask_sweep/1", "runs": runs, "chunk": chunk, "seed": seed, "deals": client.gather(deals)}
    workers = {address for addresses in client.who_has([f for chunks in chunks_of for f in chunks]).values() for address in addresses}
    return report, len(workers)


def local_cluster(workers):
    from distributed import LocalCluster
    # One thread per worker process: the scenarios of a chunk run on one core.
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)


def on_local_cluster(workers):
    """A client of a new local cluster of `workers` processes, closed with the client."""
    from contextlib import contextmanager
    from distributed import Client

    @contextmanager
    def connect():
        with local_cluster(workers) as cluster, Client(cluster) as client:
            yield client
    return connect


def timed(connect, models, args):
    with connect() as client:
        started = time.perf_counter()
        report, workers = run_on(client, models, args.runs, args.chunk, args.seed)
        seconds = time.perf_counter() - started
    scenarios = args.runs * len(models)
    return report, seconds, scenarios, workers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", help="model files (YAML or JSON)")
    parser.add_argument("--runs", type=int, default=2000, help="scenarios per deal (default 2000)")
    parser.add_argument("--chunk", type=int, default=250, help="scenarios per task (default 250)")
    parser.add_argument("--seed", type=int, default=42, help="the run's seed (default 42)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="a running cluster's scheduler, tcp://HOST:8786")
    where.add_argument("--workers", type=int, default=os.cpu_count(), help="local worker processes (default: the cores)")
    where.add_argument("--check-workers", type=int, metavar="N",
                       help="run on 1 local worker, then on N, and check the results are equal")
    args = parser.parse_args()
    if args.runs < 1 or args.chunk < 1:
        parser.error("--runs and --chunk take a whole number from 1")

    if args.check_workers:
        one, one_seconds, scenarios, _ = timed(on_local_cluster(1), args.models, args)
        many, many_seconds, _, used = timed(on_local_cluster(args.check_workers), args.models, args)
        same = one == many
        print(json.dumps(many, indent=2))
        print(f"{scenarios} scenarios: 1 worker {one_seconds:.2f} s, {args.check_workers} workers {many_seconds:.2f} s "
              f"(the tasks ran on {used}); results {'equal' if same else 'DIFFER'}", file=sys.stderr)
        return 0 if same and (used > 1 or args.check_workers == 1) else 1

    if args.scheduler:
        from distributed import Client
        report, seconds, scenarios, used = timed(lambda: Client(args.scheduler), args.models, args)
    else:
        report, seconds, scenarios, used = timed(on_local_cluster(args.workers), args.models, args)
    print(json.dumps(report, indent=2))
    print(f"{scenarios} scenarios on {used} workers in {seconds:.2f} s "
          f"({seconds / scenarios * 1e6:.0f} us of wall clock each)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
