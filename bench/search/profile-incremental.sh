#!/usr/bin/env bash
# Splits the time of incremental PRM scoring into phases (tokenize, prefix lookup, cache copy, forward, head, cache
# insert) and compares it with full-prefix batches and with one batched extension per round, in-process, on the
# workload of run.sh: a random 2-layer Llama PRM (hidden size 128), 6 rounds of 16 candidates. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPWISE_BENCH_INCREMENTAL=1 mvn -q -o -Dstepwise.build.dirname="${STEPWISE_BUILD_DIRNAME:-target-bench}" \
  -pl serve -am test -Dtest=IncrementalScoringProfile -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.printSummary=false 2>&1 | grep -E '^\|'
