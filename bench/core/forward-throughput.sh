#!/usr/bin/env bash
# Measures backbone forward throughput of a 25.3M-parameter Llama at batch 1 x 256 and 16 x 256 tokens, beside the
# FLOP limit from a float32 matrix-product rate measured in the same JVM, and prints the machine it ran on.
#
# Build first: mvn -q -DskipTests package (or set STEPWISE_BUILD_DIRNAME to another build folder of cli/).
# Engine threads: STEPWISE_JAVA_OPTS="-Dai.djl.pytorch.num_threads=N" (DJL's default is used otherwise).
# Other processes on the machine lower the numbers; the load average before each run is printed for that reason.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "java: $(java -version 2>&1 | head -1)"
for batch in 1 16; do
    echo
    echo "load average before run: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$root/bin/stepwise" model bench --batch "$batch" --tokens 256 --warmup 2 --iterations 5 "$@"
done
