#!/usr/bin/env bash
# Turns run.sh's raw.txt (RESULT key=value lines) into markdown tables with ratios and the targets.
#   integration-tests/benchmark/summarize.sh integration-tests/benchmark/results/<run>/raw.txt
set -euo pipefail
awk '
function kv(   i, p) { delete F; for (i = 2; i <= NF; i++) { p = index($i, "="); if (p) F[substr($i, 1, p - 1)] = substr($i, p + 1) } }
function r(a, b) { return (b + 0 == 0) ? "n/a" : sprintf("%.2f", a / b) }
function ok(c) { return c ? "**met**" : "**missed**" }
/^#/ { print "> " substr($0, 3); next }
$1 != "RESULT" { next }
{ kv() }
F["kind"] == "startup" { su[++ns] = F["ms"] + 0 }
F["kind"] == "java" && F["workload"] == "generate" {
  c = F["concurrency"]; l = F["label"]; if (!(c in seenc)) { seenc[c] = 1; cs[++ncs] = c }
  J[l, c, "rps"] = F["rps"]; J[l, c, "p50"] = F["p50_ms"]; J[l, c, "p99"] = F["p99_ms"]; J[l, c, "p999"] = F["p999_ms"]; J[l, c, "err"] = F["errors"]
}
F["kind"] == "wrk" {
  c = F["concurrency"]; l = F["label"]
  W[l, c, "rps"] = F["rps"]; W[l, c, "p50"] = F["p50_ms"]; W[l, c, "p99"] = F["p99_ms"]; W[l, c, "p999"] = F["p999_ms"]; W[l, c, "err"] = F["errors"]
}
F["kind"] == "java" && F["workload"] == "stream" {
  n = F["streams"]; l = F["label"]; if (!(n in seens)) { seens[n] = 1; ss[++nss] = n }
  for (k in F) S[l, n, k] = F[k]
}
F["kind"] == "rss" { rss[F["label"]] = F["vmhwm_kb"] }
END {
  print ""
  print "### Non-streaming POST /generate (1 output token), Java async client, same client for all three"
  print ""
  print "| c | direct req/s | mini-lb req/s | nginx req/s | mini-lb/direct | mini-lb/nginx | direct p50/p99/p999 ms | mini-lb p50/p99/p999 ms | nginx p50/p99/p999 ms | mini-lb added p50 / p99 ms | errors d/m/n |"
  print "|---|---|---|---|---|---|---|---|---|---|---|"
  for (i = 1; i <= ncs; i++) { c = cs[i]
    printf "| %s | %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s | %s / %s / %s | %+.2f / %+.2f | %s/%s/%s |\n", c,
      J["direct", c, "rps"], J["minilb", c, "rps"], J["nginx", c, "rps"],
      r(J["minilb", c, "rps"], J["direct", c, "rps"]), r(J["minilb", c, "rps"], J["nginx", c, "rps"]),
      J["direct", c, "p50"], J["direct", c, "p99"], J["direct", c, "p999"],
      J["minilb", c, "p50"], J["minilb", c, "p99"], J["minilb", c, "p999"],
      J["nginx", c, "p50"], J["nginx", c, "p99"], J["nginx", c, "p999"],
      J["minilb", c, "p50"] - J["direct", c, "p50"], J["minilb", c, "p99"] - J["direct", c, "p99"],
      J["direct", c, "err"], J["minilb", c, "err"], J["nginx", c, "err"] }
  print ""
  print "### Non-streaming POST /generate (1 output token), wrk --latency, proxies only"
  print ""
  print "| c | mini-lb req/s | nginx req/s | mini-lb/nginx | mini-lb p50/p99/p999 ms | nginx p50/p99/p999 ms | errors m/n |"
  print "|---|---|---|---|---|---|---|"
  for (i = 1; i <= ncs; i++) { c = cs[i]
    printf "| %s | %s | %s | %s | %s / %s / %s | %s / %s / %s | %s/%s |\n", c, W["minilb", c, "rps"], W["nginx", c, "rps"],
      r(W["minilb", c, "rps"], W["nginx", c, "rps"]),
      W["minilb", c, "p50"], W["minilb", c, "p99"], W["minilb", c, "p999"],
      W["nginx", c, "p50"], W["nginx", c, "p99"], W["nginx", c, "p999"], W["minilb", c, "err"], W["nginx", c, "err"] }
  print ""
  print "### Streaming (all streams opened at once; frames paced by the decode)"
  print ""
  print "| streams | setup | frames expected / received | failed streams | TTFF p50 / p99 ms | added TTFF p50 ms | frame lag p50 / p99 / max ms | frame gap mean ms | wall s |"
  print "|---|---|---|---|---|---|---|---|---|"
  for (i = 1; i <= nss; i++) { n = ss[i]
    for (j = 1; j <= 2; j++) { l = (j == 1) ? "direct" : "minilb"
      printf "| %s | %s | %s / %s | %s | %s / %s | %s | %s / %s / %s | %s | %s |\n", n, l,
        S[l, n, "frames_expected"], S[l, n, "frames_received"], S[l, n, "errors"],
        S[l, n, "ttff_p50_ms"], S[l, n, "ttff_p99_ms"],
        (l == "direct") ? "-" : sprintf("%+.2f", S[l, n, "ttff_p50_ms"] - S["direct", n, "ttff_p50_ms"]),
        S[l, n, "frame_lag_p50_ms"], S[l, n, "frame_lag_p99_ms"], S[l, n, "frame_lag_max_ms"], S[l, n, "frame_gap_mean_ms"],
        S[l, n, "wall_s"] } }
  print ""
  print "### Memory and startup"
  print ""
  for (k in rss) printf "- peak RSS (VmHWM) %s: %.0f MB\n", k, rss[k] / 1024
  # startup: sort
  for (i = 1; i <= ns; i++) for (j = i + 1; j <= ns; j++) if (su[j] < su[i]) { t = su[i]; su[i] = su[j]; su[j] = t }
  med = ns ? su[int((ns + 1) / 2)] : 0
  line = ""; for (i = 1; i <= ns; i++) line = line (i > 1 ? ", " : "") su[i]
  printf "- startup, java -jar to first 200 on /health (ms, sorted): %s; median %d, max %d\n", line, med, su[ns]
  print ""
  print "### Targets"
  print ""
  w = r(W["minilb", 64, "rps"], W["nginx", 64, "rps"]); jw = r(J["minilb", 64, "rps"], J["nginx", 64, "rps"])
  printf "- throughput at c=64 >= 50%% of nginx: wrk %s, Java client %s -> %s\n", w, jw, ok(w + 0 >= 0.5)
  a50 = J["minilb", 1, "p50"] - J["direct", 1, "p50"]; a99 = J["minilb", 1, "p99"] - J["direct", 1, "p99"]
  printf "- added latency at c=1 over direct, p50 <= 1 ms: %+.2f ms -> %s; p99 <= 3 ms: %+.2f ms -> %s\n", a50, ok(a50 <= 1), a99, ok(a99 <= 3)
  e = S["minilb", 1000, "errors"]; fe = S["minilb", 1000, "frames_expected"]; fr = S["minilb", 1000, "frames_received"]
  mb = rss["minilb-after-1000-streams"] / 1024
  printf "- 1,000 streams: %s failed streams, %s/%s frames -> %s; peak RSS %.0f MB <= 512 MB -> %s\n", e, fr, fe,
    ok(e == 0 && fe == fr && fe > 0), mb, ok(mb > 0 && mb <= 512)
  printf "- startup to first /health <= 1.5 s: median %d ms, max %d ms -> %s (median), %s (every run)\n", med, su[ns], ok(med <= 1500), ok(su[ns] <= 1500)
}
' "$1"
