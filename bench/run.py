"""Run every benchmark in bench/ (or those named: `run.py import_notes exam_generation`) and
print one JSON object of figures."""

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

    chosen = sys.argv[1:] or benchmarks.ALL
    unknown = sorted(set(chosen) - set(benchmarks.ALL))
    if unknown:
        sys.exit(f"no such benchmark: {', '.join(unknown)} (there are {', '.join(benchmarks.ALL)})")
    # Django is set up by the first benchmark; every run starts with it.
    for name in ["django_startup", *(n for n in chosen if n != "django_startup")]:
        started = time.perf_counter()
        figures[name] = getattr(benchmarks, name)()
        figures[name]["wall_s"] = round(time.perf_counter() - started, 3)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
