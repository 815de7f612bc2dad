"""Benchmark reading Tatoeba's download: a generated file of its size (300,000 lines, 47 MB of text) as a
zip and as text, from its bytes to the pairs the Your-own-corpus page keeps; and learning subword
pieces from those pairs.

    python -m benchmarks.upload                      # 5 runs of each, one process per run: a few minutes
    python -m benchmarks.upload --runs 1 --lines 20000

Each run is a fresh process: it makes the file, then measures `open_text`, `parse_table`,
`guess_columns` and `to_pairs` (3 to 15 German words), then `learn_pair_subwords` on the kept pairs.
Time is wall and CPU seconds; memory is the peak growth of the process's resident memory (sampled
every 5 ms) over what it held once the file was made. Prints one JSON line per run, then medians.
Run it on a quiet machine: other work on the CPU stretches the wall times (the CPU times much less).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time

import psutil


def one_run(kind: str, lines: int) -> dict[str, float | int | str]:
    from rnn_demo.data.subwords import learn_pair_subwords
    from rnn_demo.data.table import parse_table
    from rnn_demo.data.text_file import open_text
    from rnn_demo.data.upload import guess_columns, to_pairs
    from tests.corpus_files import tatoeba_download, tatoeba_zip

    data, _ = (tatoeba_zip if kind == "zip" else tatoeba_download)(lines)
    process = psutil.Process()
    base = peak = process.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.005):
            peak = max(peak, process.memory_info().rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    text = open_text(data)
    table = parse_table(text)
    columns = guess_columns(table)
    kept = to_pairs(text, table, columns.german, columns.english, 3, 15)
    read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
    done.set()
    sampler.join()
    wall = time.perf_counter()
    german, english = learn_pair_subwords(kept.pairs)
    return {
        "kind": kind, "lines": lines, "file_mb": round(len(data) / 2**20, 1),
        "read_wall_s": round(read_wall, 2), "read_cpu_s": round(read_cpu, 2),
        "read_peak_rss_growth_mb": round((peak - base) / 2**20, 1), "pairs_kept": len(kept.pairs),
        "subwords_learn_s": round(time.perf_counter() - wall, 2),
        "pieces": f"{len(german)} German, {len(english)} English",
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--one", choices=["zip", "text"], help=argparse.SUPPRESS)  # one run, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.lines)))
        return
    results: dict[str, list[dict]] = {"zip": [], "text": []}
    for _ in range(args.runs):
        for kind in results:  # side by side, so that both see the same load
            command = [sys.executable, "-m", "benchmarks.upload", "--one", kind, "--lines", str(args.lines)]
            line = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
            print(line, flush=True)
            results[kind].append(json.loads(line))
    for kind, runs in results.items():
        keys = [key for key in runs[0] if key.endswith(("_s", "_mb"))]
        medians = {key: statistics.median(run[key] for run in runs) for key in keys}
        print(json.dumps({"kind": kind, "runs": len(runs), "median": medians}))


if __name__ == "__main__":
    main()
