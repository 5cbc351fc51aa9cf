#!/usr/bin/env bash
# Regenerates docs/live-view.png, the README's picture of `noprop view`: trains one short run on the
# simulated chip to the end, starts a longer one, and photographs the page with headless Chromium
# while the second trains. Needs chromium (apt-get install chromium). A few minutes.
#   bash docs/live-view.sh [OUT.png]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/docs/live-view.png}"
chromium=/usr/bin/chromium
[ -x "$chromium" ] || { echo "live-view.sh: $chromium not found (apt-get install chromium)" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

data=(--dataset fashion-mnist:pca50 --train-rows 10000 --quiet)
"$here/noprop" train --device sim:rram "${data[@]}" --budget 10000 --seed 1 --out "$work/runs/es8-10k" >/dev/null
"$here/noprop" train --device sim:rram "${data[@]}" --budget 100000 --seed 2 --log-every 10 --out "$work/runs/nspsa4-100k" >/dev/null 2>&1 &
pids+=($!)
"$here/noprop" view --port 0 "$work/runs" >"$work/view.log" 2>/dev/null &
pids+=($!)
# the page's address, printed once the server listens
url=""
for _ in $(seq 1 600); do
  url="$(grep -o 'http://[^ ]*/' "$work/view.log" || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "live-view.sh: noprop view did not start" >&2; exit 1; }
# wait until the running run has drawn a curve worth showing (60 metrics rows)
for _ in $(seq 1 1200); do
  rows=$( (wc -l <"$work/runs/nspsa4-100k/metrics.csv") 2>/dev/null || echo 0)
  [ "$rows" -gt 60 ] && break
  sleep 0.5
done
"$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1180 --virtual-time-budget=4000 \
  --screenshot="$out" "$url" >/dev/null 2>&1
echo "wrote $out"
