#!/usr/bin/env bash
# The README's first command: set up (scripts/setup.sh), run the shipped
# scenarios with 20 replicates into results/default.h5 and print the
# comparison table, then write the funding brief of those results,
# results/brief.html, and results/brief.pdf when Chromium is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
mkdir -p results
.venv/bin/codev run \
    scenarios/mali-kayes-baseline.toml \
    scenarios/codev-share-70.toml \
    scenarios/three-for-one.toml \
    scenarios/codev-with-ta.toml \
    scenarios/fee-cut-3pct.toml \
    scenarios/recession-shock.toml \
    scenarios/regional-bank-line.toml \
    --replicates 20 --seed 1 --out results/default.h5

pdf=()
if [[ -x /usr/bin/chromium ]]; then
    pdf=(--pdf results/brief.pdf)
fi
exec .venv/bin/codev report results/default.h5 --baseline mali-kayes-baseline \
    --out results/brief.html "${pdf[@]}"
