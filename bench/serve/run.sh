#!/usr/bin/env bash
# Load benchmark of the scoring service on loopback (127.0.0.1 only): closed-loop clients at 1, 8 and 64
# connections, the in-process batched throughput of the same model, then 2x overload with a correctness check.
#   STEPWISE_BUILD_DIRNAME  build folder name (default: target-serve-bench)
#   STEPWISE_JAVA_OPTS      extra JVM options. The default is one PyTorch intra-op and one inter-op thread,
#                           so that the model thread does not compete with the HTTP threads for the cores.
# Arguments are passed on: [SECONDS_PER_LEVEL, default 15] [OVERLOAD_SECONDS, default 60].
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${STEPWISE_BUILD_DIRNAME:-target-serve-bench}"

cd "$root"
# The classpath file name is unique to this script, so that other benchmarks running at once keep theirs.
list="classpath-serve-bench.txt"
mvn -q -o -Dstepwise.build.dirname="$build" -pl serve -am compile dependency:build-classpath \
    -Dmdep.outputFile="$list" -Dmdep.includeScope=runtime
classpath="serve/$build/classes:$(cat "serve/$list")"
for module in . core dataset prm orm serve; do
    rm -f "$module/$list"
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "java: $(java -version 2>&1 | head -1)"
echo "load average before run: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false \
    -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    ${STEPWISE_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1} \
    -cp "$classpath" bench/serve/ServeLoadBench.java "$@"
