#!/usr/bin/env bash
# Installs what MatchService needs on a fresh Debian 12 machine, idempotently:
#   - Debian packages (native codecs, ONNX and gRPC protos, test peers and tools),
#   - npm packages, fetched with `npm pack` into .cache/npm at pinned versions and checked by integrity hash.
# Safe to run again: anything already present is skipped. ONNX Runtime (CPU, CUDA and TensorRT providers) is a NuGet
# package (Directory.Packages.props) that `dotnet restore` fetches; nothing here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache"
mkdir -p "$cache/npm"

# --- Debian packages -------------------------------------------------------------------------
apt_packages=(
  libturbojpeg0 libpng16-16 libwebp7          # image codecs (P/Invoke)
  grpc-proto libonnx-dev                      # reflection protos for the python interop client, onnx.proto
  python3-grpcio python3-protobuf             # independent gRPC peer for interop tests
  protobuf-compiler                           # protoc --python_out for the interop scripts
  prometheus                                  # promtool check metrics
  nghttp2-client                              # h2load for benchmarks
  libjpeg-turbo-progs webp libpng-tools pngcrush netpbm  # reference encoders/decoders for fixtures
  nodejs npm                                  # npm pack, face-api reference runs
)
missing=()
for p in "${apt_packages[@]}"; do
  # nodejs/npm may come from elsewhere (the machine image); only install when the command is absent.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- npm packages ----------------------------------------------------------------------------
# name@version  integrity (sha512 from the registry's dist.integrity)
npm_packages=(
  "@vladmandic/face-api@1.7.15 sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw=="
)

fetch_npm() {  # $1 = name@version, $2 = integrity; unpacks into .cache/npm/<name-without-scope>-<version>/package
  local spec="$1" integrity="$2"
  local name="${spec%@*}" version="${spec##*@}"
  local dir="$cache/npm/${name##*/}-$version"
  [ -f "$dir/.ok" ] && return 0
  echo "setup: fetching npm package $spec"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>&1)
  local tgz; tgz="$(ls "$tmp"/*.tgz)"
  local actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "setup: integrity mismatch for $spec: expected $integrity, got $actual" >&2
    rm -rf "$tmp"; exit 1
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  tar xzf "$tgz" -C "$dir"
  rm -rf "$tmp"
  touch "$dir/.ok"
}
for entry in "${npm_packages[@]}"; do
  fetch_npm ${entry}
done
echo "setup: ready"
