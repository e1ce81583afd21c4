#!/usr/bin/env bash
# Compares incremental with full-prefix PRM scoring in one beam search (width 4, 4 expansions,
# 6 steps). The PRM is a random 2-layer Llama (hidden size 128) over the byte-level demo tokenizer, served by the
# stepwise scoring service. Prints wall time and token counts as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPWISE_BENCH_SEARCH=1 mvn -q -o -Dstepwise.build.dirname="${STEPWISE_BUILD_DIRNAME:-target-bench}" \
  -pl serve -am test -Dtest=SearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.printSummary=false 2>&1 | grep -E '^\|'
