#!/usr/bin/env bash
# What only a GPU can show, in one command, on a machine with an NVIDIA GPU, its driver (>= 580 for CUDA 13), CUDA 13
# and cuDNN 9. ONNX Runtime and its CUDA provider come from the Microsoft.ML.OnnxRuntime.Gpu.Linux package.
#
#   bash tests/bench/gpu-check.sh [seconds per point, default 5]
#       in a checkout with the .NET SDK: builds, runs the device tests (CUDA through IOBinding against CPU results, a
#       missing device failing start-up, several GPUs as several instances; a test that still skips for want of a GPU
#       fails this script), then the engine benchmark on the face model on cuda:0 and on every GPU together. The face
#       model is dlib's net in float (models-alternatives/face_recognition_float), the one to serve on GPUs: the served
#       models/face_recognition is its int8 form for the CPU provider's int8 kernels.
#   bash tests/bench/gpu-check.sh --bundle DIR
#       here (SDK and network): writes DIR with this script, a self-contained publish of the benchmarks (no .NET needed
#       where it runs), the forged models and a photo. Copy DIR to the GPU machine and run there, without SDK or network:
#   DIR/gpu-check.sh [seconds]
#       the engine benchmark's device check (every cuda:N instance runs the CUDA provider and agrees with the CPU), a
#       missing device failing with its reason, then the same figures.
#
# CUDA 13 and cuDNN 9 are found where the dynamic loader finds them (ldconfig, LD_LIBRARY_PATH), in /usr/local/cuda*,
# or in Python wheels' nvidia/*/lib folders (pip's nvidia-cublas, nvidia-cuda-runtime, nvidia-cudnn-cu13, ...);
# the folders found are put on LD_LIBRARY_PATH and printed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
photo_name=sample1.jpg

if [ "${1:-}" = "--bundle" ]; then
  out="${2:?usage: gpu-check.sh --bundle DIR}"
  root="$(cd "$here/../.." && pwd)"
  cd "$root"
  bash scripts/forge-models.sh >/dev/null
  rm -rf "$out"
  mkdir -p "$out/models"
  dotnet publish tests/MatchService.Benchmarks/MatchService.Benchmarks.csproj -c Release -r linux-x64 --self-contained \
    -nologo -v q -o "$out/bench"
  cp -r models-alternatives/face_recognition_float "$out/models/"
  cp ".cache/npm/face-api-1.7.15/package/demo/$photo_name" "$out/"
  cp "$here/gpu-check.sh" "$out/"
  echo "gpu-check: bundle in $out ($(du -sh "$out" | cut -f1)); on the GPU machine: bash $out/gpu-check.sh [seconds]"
  exit 0
fi

seconds="${1:-5}"
fail() { echo "gpu-check: FAILED: $*" >&2; exit 1; }

# --- the GPU and the libraries the CUDA provider loads -------------------------------------------------------------
gpus="$(find /dev -maxdepth 1 -regex '/dev/nvidia[0-9]+' | wc -l)"
[ "$gpus" -ge 1 ] || fail "no NVIDIA GPU on this machine (/dev/nvidia0 absent)"
echo "== $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1 || echo "NVIDIA GPU") x$gpus =="

# libonnxruntime_providers_cuda.so needs these (libcuda.so.1 is the driver's); cuDNN is opened when a session starts.
needed=(libcuda.so.1 libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9)
candidates=(/usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/lib/x86_64-linux-gnu)
for site in $(python3 -c 'import site, sys; print(" ".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null) \
            ${VIRTUAL_ENV:+"$VIRTUAL_ENV"/lib/python3*/site-packages} /usr/local/lib/python3*/dist-packages /opt/conda/lib/python3*/site-packages; do
  [ -d "$site/nvidia" ] && candidates+=("$site"/nvidia/*/lib)
done
loader_finds() {  # $1 = soname: in ld.so's cache or on LD_LIBRARY_PATH
  ldconfig -p 2>/dev/null | awk '{print $1}' | grep -qx "$1" && return 0
  local d
  for d in ${LD_LIBRARY_PATH//:/ }; do [ -e "$d/$1" ] && return 0; done
  return 1
}
extra=()
for lib in "${needed[@]}"; do
  if loader_finds "$lib"; then
    echo "  $lib: found by the dynamic loader"
    continue
  fi
  found=""
  for d in "${candidates[@]}"; do
    if [ -e "$d/$lib" ]; then found="$d"; break; fi
  done
  [ -n "$found" ] || fail "$lib not found (searched the loader's paths, ${candidates[*]}); install CUDA 13 / cuDNN 9 or point LD_LIBRARY_PATH at them"
  echo "  $lib: $found"
  [[ " ${extra[*]-} " == *" $found "* ]] || extra+=("$found")
done
if ((${#extra[@]})); then
  LD_LIBRARY_PATH="$(IFS=:; echo "${extra[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
  echo "  LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
fi
all_gpus="$(seq -s, -f 'cuda:%g' 0 $((gpus - 1)))"

# --- a bundle: the self-contained benchmarks, no SDK ---------------------------------------------------------------
if [ -x "$here/bench/MatchService.Benchmarks" ]; then
  bench=("$here/bench/MatchService.Benchmarks" engine --model "$here/models/face_recognition_float" --photo "$here/$photo_name" --seconds "$seconds")
  # A device the machine lacks must fail start-up with its reason, not fall back silently.
  set +e
  missing="$("${bench[@]}" --device "cuda:$gpus" --seconds 0.1 2>&1)"
  code=$?
  set -e
  [ "$code" = 2 ] && grep -q "cuda:$gpus is unavailable" <<<"$missing" || fail "cuda:$gpus (absent) did not fail start-up clearly (exit $code): $missing"
  echo "cuda:$gpus (absent): $(grep -m1 "is unavailable" <<<"$missing")"
  "${bench[@]}" --device cuda:0
  if [ "$gpus" -ge 2 ]; then "${bench[@]}" --device "$all_gpus"; fi
  exit 0
fi

# --- a checkout with the SDK: the device tests, then the benchmark -------------------------------------------------
root="$(cd "$here/../.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/forge-models.sh >/dev/null
dotnet build -c Release tests/MatchService.Inference.Tests/MatchService.Inference.Tests.csproj -v q -nologo
dotnet build -c Release tests/MatchService.Benchmarks/MatchService.Benchmarks.csproj -v q -nologo

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test tests/MatchService.Inference.Tests/MatchService.Inference.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~DeviceTests" --logger "console;verbosity=detailed" | tee "$log"
if grep -q "needs a GPU:" "$log"; then
  fail "GPU tests skipped (reasons above): this machine cannot run CUDA as built"
fi

bench=(dotnet run -c Release --no-build --project tests/MatchService.Benchmarks -- engine --model models-alternatives/face_recognition_float
  --photo ".cache/npm/face-api-1.7.15/package/demo/$photo_name" --seconds "$seconds")
"${bench[@]}" --device cuda:0
if [ "$gpus" -ge 2 ]; then "${bench[@]}" --device "$all_gpus"; fi
