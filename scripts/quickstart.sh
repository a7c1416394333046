#!/usr/bin/env bash
# The README's first command: set up (scripts/setup.sh), then run the shipped
# scenarios with 20 replicates into results/default.h5 and print the
# comparison table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
mkdir -p results
exec .venv/bin/codev run \
    scenarios/mali-kayes-baseline.toml \
    scenarios/codev-share-70.toml \
    scenarios/three-for-one.toml \
    scenarios/codev-with-ta.toml \
    scenarios/fee-cut-3pct.toml \
    scenarios/recession-shock.toml \
    --replicates 20 --seed 1 --out results/default.h5
