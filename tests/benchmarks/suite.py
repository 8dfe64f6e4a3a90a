"""Every benchmark, one after the other, rewriting BENCHMARKS.md (`make bench`).

    DATABASE_URL=postgres://... REDIS_URL=redis://... ELASTICSEARCH_URL=http://... \\
        .venv/bin/python -m tests.benchmarks.suite [--sizes 10000,100000] [--repeat 5] [--output BENCHMARKS.md]

The services must be running (`make bench` starts them). Each section is its
own module, run as a child process with the same options, appending to a new
file that replaces the output only at the end, so an interrupted run leaves
the old figures in place. Sections:

1. rebuild throughput (tests/benchmarks/indexing.py) at every size;
2. search latency through the API, and 5. the directory page with and
   without htmx (tests/benchmarks/latency.py), at every size;
3. outbox drain (tests/benchmarks/outbox.py) at the smallest size;
4. matching (tests/benchmarks/run.py) at the smallest size and five times it,
   on both backends, with the all-pairs oracle at the smallest;
6. load: 50 users for 60 s, each pausing 5 s on average between actions as a
   person reading a page would (tests/benchmarks/load.py), at the smallest size.

The networks are imported once per size and seed and reused while their
inputs are unchanged (tests/benchmarks/dataset.py); the first run at 100,000
firms spends about half an hour importing. Before-and-after notes kept by hand
in tests/benchmarks/history.md close the file.
"""

import argparse
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from . import dataset
from .run import ROOT, _log, machine

HISTORY = Path(__file__).with_name("history.md")


def sections(args, sizes):
    smallest = min(sizes)
    every = ",".join(map(str, sizes))
    matching = f"{smallest},{smallest * 5}"
    repeat = ["--repeat", str(args.repeat)]
    return [(name, [*command, "--seed", str(args.seed)]) for name, command in [
        ("rebuild throughput", ["tests.benchmarks.indexing", "--sizes", every, *repeat]),
        ("search and page latency", ["tests.benchmarks.latency", "--sizes", every, *repeat]),
        ("outbox drain", ["tests.benchmarks.outbox", "--sizes", str(smallest), *repeat]),
        ("matching", ["tests.benchmarks.run", "--sizes", matching, "--backends", "database,elasticsearch",
                      "--tracemalloc", "off", "--oracle-max", str(smallest)]),
        ("load", ["tests.benchmarks.load", "--sizes", str(smallest), "--users", "50", "--seconds", "60",
                  "--think", "5"]),
    ]]


HEADER = """# Benchmarks

Written by `make bench` (tests/benchmarks/suite.py) on {started:%Y-%m-%d %H:%M} UTC; sizes {sizes}. Every
ratio is measured side by side in one run on the machine below: absolute times drift between runs and
machines, ratios much less. Medians of at least five runs, with the spread (min–max), unless a section
says otherwise. ✓ marks a goal met, ✗ one missed; where a goal is missed the section says what limits it.

To reproduce: `make bench` (sizes {default_sizes}; the first run imports the networks, about half an hour
at 100,000 firms), or a quicker `make bench BENCH_SIZES=1000,2000` (about 10 minutes).

Machine: `{uname}`; {nproc} CPUs; {memory}; {python}.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.suite", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--only", help="section names to run, comma-separated (default: all)")
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    output = Path(args.output) if Path(args.output).is_absolute() else ROOT / args.output
    started = datetime.now(timezone.utc)
    draft = output.with_suffix(".md.new")
    draft.write_text(HEADER.format(started=started, sizes=", ".join(f"{size:,}" for size in sizes),
                                   default_sizes="10,000 and 100,000", **machine()), encoding="utf-8")
    wanted = {name.strip() for name in args.only.split(",")} if args.only else None
    # Every network the sections read, imported (or found current) before any of them runs.
    for size in sorted(set(sizes) | {min(sizes) * 5}):
        dataset.prepare(size, args.seed)
    failed = []
    for name, command in sections(args, sizes):
        if wanted and name not in wanted:
            continue
        _log(f"[bench] {name}: {' '.join(command)}")
        began = time.monotonic()
        completed = subprocess.run([sys.executable, "-m", *command, "--output", str(draft)], cwd=ROOT)
        _log(f"[bench] {name} took {time.monotonic() - began:.0f} s")
        if completed.returncode:
            failed.append(name)
            with open(draft, "a", encoding="utf-8") as handle:
                handle.write(f"\n## {name.capitalize()}\n\nThe benchmark failed (exit status "
                             f"{completed.returncode}); its log is on the terminal that ran it.\n")
    if HISTORY.exists():
        with open(draft, "a", encoding="utf-8") as handle:
            handle.write("\n" + HISTORY.read_text(encoding="utf-8"))
    shutil.move(draft, output)
    _log(f"[bench] wrote {output}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
