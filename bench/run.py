"""Run every benchmark in bench/ and print one JSON object of figures."""

import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }


def main() -> None:
    figures: dict = {"machine": machine()}
    import bench.benchmarks as benchmarks

    for name in benchmarks.ALL:
        started = time.perf_counter()
        figures[name] = getattr(benchmarks, name)()
        figures[name]["wall_s"] = round(time.perf_counter() - started, 3)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
