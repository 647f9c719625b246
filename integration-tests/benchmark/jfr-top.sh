#!/usr/bin/env bash
# The top frames of a JFR recording: CPU samples (jdk.ExecutionSample) by top frame and by the first mini-lb frame,
# allocation samples (jdk.ObjectAllocationSample) by weight per class and per allocating frame.
#   integration-tests/benchmark/jfr-top.sh recording.jfr [N]
set -eu # no pipefail: head closes the pipes early
jfr_file="$1"; n="${2:-25}"
top() { sort | uniq -c | sort -rn | head -n "$n"; }
samples=$(jfr print --events jdk.ExecutionSample --stack-depth 64 "$jfr_file")
echo "== CPU samples: $(grep -c 'jdk.ExecutionSample' <<< "$samples")"
echo "-- by top frame"
awk '/stackTrace = \[/{getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print}' <<< "$samples" | top
echo "-- by first io.minilb frame"
awk '/stackTrace = \[/{s=1; next} s && /io\.minilb\./{sub(/^ +/, ""); sub(/ +line:.*/, ""); print; s=0} /^\]|^  \]/{s=0}' <<< "$samples" | top
echo "-- by top frame outside java.*, jdk.*, sun.*"
awk '/stackTrace = \[/{s=1; next} s && !/^ +(java|jdk|sun)\./ && !/\]/{sub(/^ +/, ""); sub(/ +line:.*/, ""); print; s=0} /^ *\]/{s=0}' <<< "$samples" | top
allocs=$(jfr print --events jdk.ObjectAllocationSample --stack-depth 64 "$jfr_file")
echo "== allocation samples (weight MB)"
echo "-- by class"
awk '/objectClass = /{c=$3} /weight = /{w=$3; u=$4; m=(u ~ /kB/ ? w/1024 : u ~ /MB/ ? w : u ~ /GB/ ? w*1024 : w/1048576); t[c]+=m}
     END{for (c in t) printf "%10.1f %s\n", t[c], c}' <<< "$allocs" | sort -rn | head -n "$n"
echo "-- by allocating frame outside java.*, jdk.*, sun.*"
awk '/weight = /{w=$3; u=$4; m=(u ~ /kB/ ? w/1024 : u ~ /MB/ ? w : u ~ /GB/ ? w*1024 : w/1048576)}
     /stackTrace = \[/{s=1; next} s && !/^ +(java|jdk|sun)\./ && !/\]/{sub(/^ +/, ""); sub(/ +line:.*/, ""); t[$0]+=m; s=0} /^ *\]/{s=0}
     END{for (f in t) printf "%10.1f %s\n", t[f], f}' <<< "$allocs" | sort -rn | head -n "$n"
