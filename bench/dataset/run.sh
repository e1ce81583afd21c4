#!/usr/bin/env bash
# Measures dataset import + tokenize + Arrow write throughput beside the bare tokenizer on ProcessBench.
#   STEPWISE_SHARED_DATA   folder with processbench/ and tokenizers/qwen2.5 (required)
#   STEPWISE_BUILD_DIRNAME build folder name (default: target-dataset-bench)
# Arguments are passed on: [PASSES].
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${STEPWISE_BUILD_DIRNAME:-target-dataset-bench}"
: "${STEPWISE_SHARED_DATA:?set STEPWISE_SHARED_DATA to the shared data folder}"

cd "$root"
mvn -q -o -Dstepwise.build.dirname="$build" -pl dataset -am compile dependency:build-classpath \
    -Dmdep.outputFile=classpath.txt -Dmdep.includeScope=runtime
classpath="dataset/$build/classes:$(cat dataset/classpath.txt)"
rm -f classpath.txt core/classpath.txt dataset/classpath.txt
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Dai.djl.offline=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$classpath" bench/dataset/DatasetBench.java "$STEPWISE_SHARED_DATA" "$@"
