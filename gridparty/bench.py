"""The benchmark harness behind `make bench`.

Each benchmark is a function registered with @benchmark; it receives the context
(the synthetic data set's facts) and returns figures as (name, value, unit) tuples.
Run each several times and report the median (`measure`); never assert timings in
unit tests. Later issues add their benchmarks here.
"""

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

BENCH_CADRES = 200_000
BENCH_SEED = 1
REPEATS = 5


@dataclass
class BenchContext:
    cadres: int
    seed: int
    bench_worker: str
    seed_seconds: float
    reused: bool


Figure = tuple[str, float, str]
Benchmark = Callable[[BenchContext], Iterable[Figure]]
BENCHMARKS: list[Benchmark] = []


def benchmark(func: Benchmark) -> Benchmark:
    BENCHMARKS.append(func)
    return func


def measure(func: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of `func` in seconds over `repeats` runs (after one warm-up)."""
    func()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@benchmark
def seed_synthetic_figure(ctx: BenchContext) -> Iterable[Figure]:
    # Seeding 200k takes minutes, so it is timed once, when the bench database is
    # seeded; a reused database reports the time recorded then.
    yield (f"seed_synthetic_{ctx.cadres // 1000}k_s", round(ctx.seed_seconds, 1), "s")
