#!/usr/bin/env python3
"""Tables from proxy-bench.sh's raw.txt: medians over rounds per body, concurrency and target; mini-lb's ratios to
nginx's one-call proxy; startup, idle RSS and the first round against the steady state."""
import statistics
import sys
from collections import defaultdict


def records(path):
    for line in open(path):
        if line.startswith("RESULT "):
            yield dict(field.split("=", 1) for field in line.split()[1:])


def main(path):
    rows = list(records(path))
    runs = defaultdict(list)
    for r in rows:
        if r["kind"] == "wrk" and not r["round"].startswith("first"):
            runs[(r["body"], int(r["c"]), r["target"])].append(r)
    med = lambda rs, key: statistics.median(float(r[key]) for r in rs)
    order = ["direct", "nginx-1call", "nginx-2call", "minilb", "minilb-base"]
    for body in ("json", "sse"):
        keys = sorted({k[1] for k in runs if k[0] == body})
        if not keys:
            continue
        print(f"\n### {body}: median of {len(runs[(body, keys[0], 'minilb')])} rounds (req/s, p50 ms, p99 ms; errors; "
              "CPU µs per request of the serving process: the proxy, or the backend for direct)\n")
        print("| c | target | req/s | p50 ms | p99 ms | p99 range ms | errors | CPU µs/req | req/s ÷ nginx-1call "
              "| p99 ÷ nginx-1call |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for c in keys:
            ref = runs[(body, c, "nginx-1call")]
            for target in order:
                rs = runs.get((body, c, target))
                if not rs:
                    continue
                p99s = sorted(float(r["p99_ms"]) for r in rs)
                errors = sum(int(r["errors"]) for r in rs)
                print(f"| {c} | {target} | {med(rs, 'rps'):,.0f} | {med(rs, 'p50_ms'):.2f} | {med(rs, 'p99_ms'):.2f} "
                      f"| {p99s[0]:.2f}–{p99s[-1]:.2f} | {errors} | {med(rs, 'cpu_us_per_req'):.0f} "
                      f"| {med(rs, 'rps') / med(ref, 'rps'):.2f} "
                      f"| {med(rs, 'p99_ms') / med(ref, 'p99_ms'):.2f} |")
    print("\n### startup and first round\n")
    starts = [r for r in rows if r["kind"] == "startup"]
    if starts:
        ms = sorted(int(r["ms"]) for r in starts)
        cpu = sorted(int(r["cpu_ms"]) for r in starts)
        rss = sorted(int(r["idle_rss_kb"]) // 1024 for r in starts)
        print(f"- startup to a healthy /health, ms (sorted): {', '.join(map(str, ms))}; median {statistics.median(ms):.0f}")
        print(f"- CPU time spent until healthy, ms (sorted): {', '.join(map(str, cpu))}; median {statistics.median(cpu):.0f}")
        ready = sorted(int(r["ready_ms"]) for r in starts if "ready_ms" in r)
        if ready:
            print(f"- startup to a ready /readiness (warmed up), ms (sorted): {', '.join(map(str, ready))}; "
                  f"median {statistics.median(ready):.0f}")
        print(f"- idle RSS, MB (sorted): {', '.join(map(str, rss))}")
    for r in rows:
        if r["kind"] == "wrk" and r["round"].startswith("first"):
            steady = runs[("json", 64, r["target"])]
            when = "after /health" if r["round"] == "first-at-health" else "after /readiness"
            if steady:
                print(f"- {r['target']} first round c=64 {when}: {float(r['rps']):,.0f} req/s, p99 {float(r['p99_ms']):.2f} ms; "
                      f"steady median {med(steady, 'rps'):,.0f} req/s, p99 {med(steady, 'p99_ms'):.2f} ms; "
                      f"first ÷ steady: req/s {float(r['rps']) / med(steady, 'rps'):.2f}, "
                      f"p99 {float(r['p99_ms']) / med(steady, 'p99_ms'):.2f}")
    for r in rows:
        if r["kind"] == "rss" and r["vmhwm_kb"]:
            print(f"- {r['target']} after the {r['after']} rounds: peak RSS {int(r['vmhwm_kb']) // 1024} MB")


if __name__ == "__main__":
    main(sys.argv[1])
