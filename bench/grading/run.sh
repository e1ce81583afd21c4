#!/usr/bin/env bash
# Measures answer grading throughput on the GSM8K example solutions and on MATH-500.
#   STEPWISE_SHARED_DATA   folder with gsm8k/test.jsonl, gsm8k/example_model_solutions.jsonl and
#                          math500/test500.jsonl (required)
#   STEPWISE_BUILD_DIRNAME build folder name (default: target-grading-bench)
# Arguments are passed on: [PASSES] [THREADS].
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${STEPWISE_BUILD_DIRNAME:-target-grading-bench}"
: "${STEPWISE_SHARED_DATA:?set STEPWISE_SHARED_DATA to the shared data folder}"

cd "$root"
mvn -q -o -Dstepwise.build.dirname="$build" -pl dataset -am compile dependency:build-classpath \
    -Dmdep.outputFile=classpath.txt -Dmdep.includeScope=runtime
classpath="dataset/$build/classes:$(cat dataset/classpath.txt)"
rm -f classpath.txt core/classpath.txt dataset/classpath.txt
exec java -cp "$classpath" bench/grading/GradingBench.java "$STEPWISE_SHARED_DATA" "$@"
