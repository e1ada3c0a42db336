#!/usr/bin/env bash
# What only a GPU can show, in one command, on a machine with an NVIDIA GPU (driver, CUDA 12, cuDNN 9):
#   1. installs what is missing (setup.sh; ONNX Runtime with its CUDA provider is a NuGet package) and forges the default models;
#   2. runs the device tests: CUDA through IOBinding against CPU results, a missing device failing start-up, several
#      GPUs as several instances (needs 2); a test that still skips for want of a GPU fails this script;
#   3. runs the engine benchmark on the face model (items packed from a photo, as the service packs face crops) on
#      cuda:0, with the packing comparison, and on every GPU together when there are several.
#   bash tests/bench/gpu-check.sh [seconds per point, default 5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seconds="${1:-5}"
bash scripts/setup.sh
bash scripts/forge-models.sh >/dev/null
dotnet build -c Release tests/MatchService.Inference.Tests/MatchService.Inference.Tests.csproj -v q -nologo
dotnet build -c Release tests/MatchService.Benchmarks/MatchService.Benchmarks.csproj -v q -nologo

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test tests/MatchService.Inference.Tests/MatchService.Inference.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~DeviceTests" --logger "console;verbosity=detailed" | tee "$log"
if grep -q "needs a GPU:" "$log"; then
  echo "gpu-check: GPU tests skipped (reasons above): this machine cannot run CUDA as built" >&2
  exit 1
fi

gpus="$(find /dev -maxdepth 1 -regex '/dev/nvidia[0-9]+' | wc -l)"
photo=.cache/npm/face-api-1.7.15/package/demo/sample1.jpg
bench=(dotnet run -c Release --no-build --project tests/MatchService.Benchmarks -- engine --model models/face_recognition
  --photo "$photo" --seconds "$seconds")
echo "== $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 || echo GPU) x$gpus =="
"${bench[@]}" --device cuda:0
if [ "$gpus" -ge 2 ]; then
  "${bench[@]}" --device "$(seq -s, -f 'cuda:%g' 0 $((gpus - 1)))"
fi
