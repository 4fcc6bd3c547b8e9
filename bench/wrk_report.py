"""Reads the wrk outputs bench/load.sh saved and prints one table.

    python bench/wrk_report.py [--min PAGE=RATIO ...] RESULTS 8 32 -- reference …

Each file RESULTS/<connections>-<page>.txt is one `wrk --latency` run.
Prints requests/s, p50 and p99 per page and connection count, each page's
throughput as a ratio to the reference page's at the same connection count,
and the errors; exits 1 if any response was not 2xx or any socket failed
(connect, read, write or timeout), or if at the highest connection count a page
given with ``--min`` made less than RATIO times the reference's requests/s.
"""

import re
import sys
from pathlib import Path

REFERENCE = "reference"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match[1]) * UNITS_MS[match[2]] if match else float("nan")


def parse(text):
    """The figures of one wrk run."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)", text, re.MULTILINE))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "requests": int(total[1]) if total else 0,
        "p50": _ms(percentiles.get("50", "")),
        "p99": _ms(percentiles.get("99", "")),
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
    }


def main(argv):
    argv, minima = list(argv), {}
    while len(argv) > 2 and argv[1] == "--min":
        page, ratio = argv[2].split("=")
        minima[page] = float(ratio)
        del argv[1:3]
    separator = argv.index("--")
    results, connections, pages = (
        Path(argv[1]),
        argv[2:separator],
        argv[separator + 1 :],
    )
    print(
        f"{'conns':>5}  {'page':<23} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'x ref':>6} {'requests':>9} {'non-2xx':>8} {'sock err':>8}"
    )
    failed = False
    highest = max(connections, key=int)
    verdicts = []
    for conns in connections:
        runs = {
            page: parse((results / f"{conns}-{page}.txt").read_text()) for page in pages
        }
        reference = runs.get(REFERENCE, {}).get("rps") or float("nan")
        for page, run in runs.items():
            print(
                f"{conns:>5}  {page:<23} {run['rps']:>8.1f} {run['p50']:>8.1f} "
                f"{run['p99']:>8.1f} {run['rps'] / reference:>6.2f} "
                f"{run['requests']:>9} {run['non_2xx']:>8} {run['socket_errors']:>8}"
            )
            if run["non_2xx"] or run["socket_errors"] or not run["requests"]:
                failed = True
            if conns == highest and page in minima:
                ratio = run["rps"] / reference
                met = ratio >= minima[page]
                verdicts.append(
                    f"{page:<23} {ratio:>6.2f}x reference at {conns} connections "
                    f"(floor {minima[page]:g}x): {'met' if met else 'NOT MET'}"
                )
                if not met:
                    failed = True
    if verdicts:
        print()
        print("\n".join(verdicts))
    if failed:
        print(
            "FAILED: non-2xx responses, socket errors, no answers or a ratio "
            "under its floor (see above)"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
