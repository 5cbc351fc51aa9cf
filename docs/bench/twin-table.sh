#!/usr/bin/env bash
# Regenerates controller/TWIN.md's results table: for each chip and seed, a run from the
# hardware-aware twin at each in-situ budget, and a run from scratch for comparison. Runs whose
# summary.json exists are kept (the script resumes where it stopped); the table is printed at the end.
#
#   bash docs/bench/twin-table.sh                       # the defaults below (hours on 2 cores)
#   CHIPS="sim:rram" SEEDS="2 3" BUDGETS=10000 SCRATCH= bash docs/bench/twin-table.sh
#
# CHIPS     device URIs (default: rram, harsh, pcm with 1 s of bench idle time per query so drift acts)
# SEEDS     seeds (default 1 2 3)
# BUDGETS   in-situ budgets of the twin runs (default 2000 10000 50000)
# SCRATCH   budget of the runs from scratch (default 100000; empty: none)
# OUT       where the runs go (default runs/twin-table)
set -euo pipefail
cd "$(dirname "$0")/../.."
CHIPS=${CHIPS:-"sim:rram sim:harsh sim:pcm?idle_per_eval=1"}
SEEDS=${SEEDS:-"1 2 3"}
BUDGETS=${BUDGETS:-"2000 10000 50000"}
SCRATCH=${SCRATCH-100000}
OUT=${OUT:-runs/twin-table}
mkdir -p "$OUT"

name() { echo "$1" | sed 's/^sim://; s/[?=&]/-/g'; }

run() { # dir, args...
  local dir=$1; shift
  if [ -f "$dir/summary.json" ]; then return; fi
  echo "twin-table: ./noprop train $* --out $dir" >&2
  ./noprop train --quiet "$@" --out "$dir" --force > /dev/null
}

for chip in $CHIPS; do
  for seed in $SEEDS; do
    for b in $BUDGETS; do run "$OUT/$(name "$chip")-s$seed-twin-$b" --device "$chip" --init twin --budget "$b" --seed "$seed"; done
    if [ -n "$SCRATCH" ]; then run "$OUT/$(name "$chip")-s$seed-scratch-$SCRATCH" --device "$chip" --budget "$SCRATCH" --seed "$seed"; fi
  done
done

python3 - "$OUT" "$CHIPS" "$SEEDS" "$BUDGETS" "$SCRATCH" <<'PY'
import json, os, sys
out, chips, seeds, budgets, scratch = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5]
def name(c): return c.replace("sim:", "").replace("?", "-").replace("=", "-").replace("&", "-")
def summary(d):
    p = os.path.join(out, d, "summary.json")
    return json.load(open(p)) if os.path.exists(p) else None
head = ["chip", "seed", "(a) twin", "(b) programmed"] + [f"(c) {int(b)//1000}k in situ" for b in budgets] + ["recovered at 10k"]
if scratch: head.append(f"(d) scratch {int(scratch)//1000}k")
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for c in chips:
    for s in seeds:
        runs = {b: summary(f"{name(c)}-s{s}-twin-{b}") for b in budgets}
        first = next((r for r in runs.values() if r), None)
        if not first: continue
        a, p = first["twin_accuracy"], first["programmed_accuracy"]
        row = [f"`{c}`", s, f"{a:.4f}", f"{p:.4f}"] + [f"{runs[b]['test_accuracy']:.4f}" if runs[b] else "" for b in budgets]
        ten = runs.get("10000")
        row.append(f"{(ten['test_accuracy'] - p) / (a - p):.0%}" if ten and a > p else ("no gap" if ten else ""))
        if scratch:
            r = summary(f"{name(c)}-s{s}-scratch-{scratch}")
            row.append(f"{r['test_accuracy']:.4f}" if r else "")
        print("| " + " | ".join(str(x) for x in row) + " |")
PY
