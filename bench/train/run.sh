#!/usr/bin/env bash
# Training throughput and peak memory of RewardTrainer (DJL) beside PyTorch eager on the same CPU and shapes: the
# 25.3M-parameter Llama of bench/core, full fine-tuning with a sigmoid step head, AdamW and clipping.
#
# Usage: bench/train/run.sh [BATCH] [TOKENS] [STEPS] [THREADS]   (defaults 4 256 3 1)
# Needs Maven (offline is fine) and Debian's python3-torch at /usr/bin/python3 (apt-get install python3-torch).
# Build folder: STEPWISE_BUILD_DIRNAME (default target). Peak memory is the maximum resident set size from
# /usr/bin/time, so it includes the JVM heap and, for Java, the native PyTorch allocations. The BLAS and OpenMP
# thread variables are set for the Python run too, because an unset OPENBLAS_NUM_THREADS starts one BLAS thread
# per core besides torch's own.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
batch="${1:-4}"
tokens="${2:-256}"
steps="${3:-3}"
threads="${4:-1}"
build="${STEPWISE_BUILD_DIRNAME:-target}"

classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
(cd "$root" && mvn -q -o "-Dstepwise.build.dirname=$build" -pl prm -am compile dependency:build-classpath \
    "-Dmdep.outputFile=$classpath_file" >/dev/null)
classpath="$(cat "$classpath_file"):$root/prm/$build/classes"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load average before DJL run: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "djl peak RSS: %M KiB" java --add-opens=java.base/java.nio=ALL-UNNAMED -Dai.djl.offline=true \
    "-Dai.djl.pytorch.num_threads=$threads" -Dai.djl.pytorch.num_interop_threads=1 -Xmx4g \
    -cp "$classpath" "$root/bench/train/TrainBench.java" "$batch" "$tokens" "$steps" 2>&1 | grep -E "^(djl|parameters)"
echo "load average before PyTorch run: $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" \
    /usr/bin/time -f "torch peak RSS: %M KiB" /usr/bin/python3 "$root/bench/train/torch_train_bench.py" \
    "$batch" "$tokens" "$steps" "$threads"
