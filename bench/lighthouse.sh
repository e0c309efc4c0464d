#!/usr/bin/env bash
# Lighthouse (mobile preset: Moto G-class CPU ×4 slower, slow 4G, simulated) on the landing page,
# the dashboard (as a signed-in guest) and a stock page, against Debian's Chromium.
# Each page is measured LIGHTHOUSE_RUNS times (default 3) and the run with the median performance
# score is reported, with the range of the scores: Lighthouse's own advice for its run-to-run
# variance, which here comes mostly from Total Blocking Time (hydration's main-thread task × 4).
# Usage: bench/lighthouse.sh BASE_URL RESULTS_JSON — adds the scores to RESULTS_JSON's "lighthouse".
source "$(dirname "$0")/../scripts/lib.sh"
base="$1" results="$2"
cd "$ROOT/bench"
[ -x node_modules/.bin/lighthouse ] || quietly npm-bench npm ci --no-audit --no-fund
chrome="$(command -v chromium || true)"
[ -n "$chrome" ] || fail "Chromium is missing: run scripts/setup.sh test (or apt-get install chromium)"

cookie="$(curl -fsS -o /dev/null -D - -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
  "$base/api/start_guest" | sed -n 's/^[Ss]et-[Cc]ookie: \(papertrade_session=[^;]*\).*/\1/p' | head -n 1)"
[ -n "$cookie" ] || fail "start_guest set no session cookie"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
runs="${LIGHTHOUSE_RUNS:-3}"
for page in "landing /" "dashboard /dashboard" "stock /stocks/AAPL"; do
  set -- $page
  headers=()
  [ "$1" = dashboard ] && headers=(--extra-headers "{\"Cookie\": \"$cookie\"}")
  # Warm the server's caches once, as a returning visitor's server would have them.
  curl -fsS -o /dev/null -H "Cookie: $cookie" "$base$2"
  for run in $(seq 1 "$runs"); do
    # A second attempt when Lighthouse's own trace recording fails (seen once: NO_NAVSTART,
    # "Please run Lighthouse again"); a page that fails twice fails the benchmark.
    for attempt in 1 2; do
      CHROME_PATH="$chrome" quietly "lighthouse-$1" node_modules/.bin/lighthouse "$base$2" --quiet \
        --only-categories=performance,accessibility --output=json --output-path="$out/$1.$run.json" \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu" "${headers[@]}" && break
      [ "$attempt" = 2 ] && fail "Lighthouse failed twice on $2"
      note "Lighthouse failed on $2; trying once more"
    done
  done
  note "lighthouse $1: $runs runs done"
done

python3 - "$results" "$out" <<'PY'
import json, sys
from pathlib import Path
results_path, out = Path(sys.argv[1]), Path(sys.argv[2])
results = json.loads(results_path.read_text()) if results_path.exists() else {}
pages = []
def score(report):
    return report["categories"]["performance"]["score"]

for name in ("landing", "dashboard", "stock"):
    runs = sorted((json.loads(path.read_text()) for path in out.glob(f"{name}.*.json")), key=score)
    report = runs[len(runs) // 2]
    audits, categories = report["audits"], report["categories"]
    path = "/" + report["finalDisplayedUrl"].split("/", 3)[-1]
    page = {"page": f"{name} ({path})",
            "performance": round(categories["performance"]["score"] * 100),
            "performance_range": [round(score(runs[0]) * 100), round(score(runs[-1]) * 100)],
            "runs": len(runs),
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "accessibility": round(categories["accessibility"]["score"] * 100),
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "failed_accessibility": [a for a, r in audits.items() if r.get("score") == 0
                                     and a in {ref["id"] for ref in categories["accessibility"]["auditRefs"]}]}
    print(f"  lighthouse {page['page']}: performance {page['performance']} (median of {page['runs']}, "
          f"range {page['performance_range'][0]}–{page['performance_range'][1]}), accessibility {page['accessibility']}, "
          f"LCP {page['lcp_ms']:.0f} ms, TBT {page['tbt_ms']:.0f} ms {page['failed_accessibility'] or ''}", file=sys.stderr)
    pages.append(page)
results["lighthouse"] = pages
results_path.write_text(json.dumps(results, indent=1))
PY
