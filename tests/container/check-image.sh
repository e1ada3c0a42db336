#!/usr/bin/env bash
# Builds Dockerfile.gpu with podman and probes the image on loopback, as CI can without a GPU or a container registry:
#   1. stand-in bases, made here and reused while the machine's .NET install is unchanged: Debian 12 minbase from the
#      apt mirror this machine uses (debootstrap), and SDK / ASP.NET Core runtime images made by copying the machine's
#      .NET into it (Microsoft's layout: /usr/share/dotnet, user app uid 1654). The CUDA base cannot be pulled here, so
#      the runtime stage is built on the Debian stand-in: this proves the Dockerfile's stages, files, user, entrypoint,
#      models and health, not the CUDA userland;
#   2. the app image, with the host's CA bundle mounted as a build secret for the NuGet restore only;
#   3. the image's contents and settings (non-root user, entrypoint, health check, models, ONNX Runtime's libraries,
#      no CA bundle left behind);
#   4. the container on 127.0.0.1 with a read-only root and no capabilities: `matchctl health` SERVING, the health
#      check, `matchctl models` lists every model with its instance's provider, one CompareWithConfidence answers, and
#      `podman stop` (SIGTERM) drains and the container exits 0.
# Exit status: 0 passed, 1 failed, 77 skipped (podman cannot run containers on this machine; the reason is printed).
#   bash tests/container/check-image.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="$root/tests/container"
export CONTAINERS_CONF="$here/containers.conf"
standin=localhost/matchservice-standin
image=localhost/matchservice:check
name="matchservice-check-$$"
started=$SECONDS
say() { echo "check-image [$((SECONDS - started))s]: $*"; }
fail() { echo "check-image: FAILED: $*" >&2; exit 1; }
skip() { echo "check-image: SKIPPED: $*" >&2; exit 77; }

# --- tools -------------------------------------------------------------------------------------------------------
missing=()
for tool in podman:podman runc:runc debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if ((${#missing[@]})); then
  [ "$(id -u)" -eq 0 ] || skip "${missing[*]} missing and not root to install them (apt-get install ${missing[*]})"
  say "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || skip "apt-get could not install ${missing[*]}"
fi
[ "$(id -u)" -eq 0 ] || skip "needs root: debootstrap and rootful podman (this script was written for the CI VMs, which run as root)"
if ! podman info >/dev/null 2>&1; then skip "podman info fails: $(podman info 2>&1 | tail -1)"; fi

# Superseded images and the build stages' layers are dropped at the end (about 3 GB a run); the stand-ins stay.
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman image prune -f >/dev/null 2>&1 || true
  rm -rf "${work:-}"
}
trap cleanup EXIT
work="$(mktemp -d)"

# --- the app's inputs: forged models and matchctl ------------------------------------------------------------------
bash scripts/forge-models.sh >/dev/null
dotnet build src/MatchService.Cli/MatchService.Cli.csproj -c Release -nologo -v q >/dev/null
matchctl=(dotnet "$root/src/MatchService.Cli/bin/Release/net10.0/matchctl.dll")

# --- 1. stand-in bases ---------------------------------------------------------------------------------------------
# Rebuilt when the machine's .NET install changes (its version list is the stand-ins' label).
dotnet_id="$(ls /usr/share/dotnet/sdk /usr/share/dotnet/shared/*/ 2>/dev/null | sha256sum | cut -c1-16)"
have_standin() { [ "$(podman image inspect --format '{{index .Labels "dotnet-id"}}' "$1" 2>/dev/null)" = "$dotnet_id" ]; }
if ! have_standin "$standin/dotnet-sdk:10.0" || ! have_standin "$standin/dotnet-aspnet:10.0"; then
  # The first Debian mirror this machine's apt uses for bookworm (deb822 .sources or one-line sources.list).
  mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}')"
  [ -n "$mirror" ] || mirror="$(grep -hE '^deb\s+\S+\s+bookworm\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2; exit}')"
  [ -n "$mirror" ] || fail "no bookworm mirror in /etc/apt/sources.list*"
  say "debootstrap Debian bookworm minbase from $mirror"
  rootfs="$work/rootfs"
  debootstrap --variant=minbase --include=libicu72,libssl3 bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/*
  tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$standin/debian:bookworm" >/dev/null
  rm -rf "$rootfs"
  say "stand-in debian:bookworm $(podman image inspect --format '{{.Size}}' "$standin/debian:bookworm" | numfmt --to=iec)"

  # Microsoft's images: /usr/share/dotnet, dotnet on the PATH, user app (1654); the SDK has everything, the runtime
  # image only the host and the shared frameworks.
  common="FROM $standin/debian:bookworm
LABEL dotnet-id=$dotnet_id
RUN groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --create-home app
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1"
  printf '%s\nCOPY . /usr/share/dotnet/\nRUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet\n' "$common" \
    | podman build -q -f - -t "$standin/dotnet-sdk:10.0" /usr/share/dotnet >/dev/null
  printf '%s\nCOPY dotnet /usr/share/dotnet/dotnet\nCOPY host /usr/share/dotnet/host\nCOPY shared /usr/share/dotnet/shared\nRUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet\n' "$common" \
    | podman build -q -f - -t "$standin/dotnet-aspnet:10.0" /usr/share/dotnet >/dev/null
  say "stand-in SDK and ASP.NET Core runtime images made from $(dotnet --version 2>/dev/null || echo "this machine's .NET")"
fi

# Containers must run at all here (root in a VM, runc, cgroups): if not, that is the machine, not the image.
run_error="$(podman run --rm --network none "$standin/debian:bookworm" true 2>&1)" || skip "podman cannot run a container here: $run_error"

# --- 2. the app image ----------------------------------------------------------------------------------------------
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -s "$ca_bundle" ] || fail "no CA bundle at $ca_bundle for the restore step"
say "building Dockerfile.gpu"
podman build --format docker -f Dockerfile.gpu -t "$image" \
  --build-arg SDK_IMAGE="$standin/dotnet-sdk:10.0" \
  --build-arg ASPNET_IMAGE="$standin/dotnet-aspnet:10.0" \
  --build-arg RUNTIME_IMAGE="$standin/debian:bookworm" \
  --build-arg NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-online}" \
  --secret id=ca-bundle,src="$ca_bundle" \
  . >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; fail "podman build (log above)"; }
say "image built: $(podman image inspect --format '{{.Size}}' "$image" | numfmt --to=iec)"

# The CPU-only variant: the same stages on the same base, without the CUDA and TensorRT provider libraries.
podman build --format docker -f Dockerfile.gpu -t "$image-cpu" \
  --build-arg SDK_IMAGE="$standin/dotnet-sdk:10.0" \
  --build-arg ASPNET_IMAGE="$standin/dotnet-aspnet:10.0" \
  --build-arg RUNTIME_IMAGE="$standin/debian:bookworm" \
  --build-arg NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-online}" \
  --build-arg CUDA_PROVIDERS=false \
  --secret id=ca-bundle,src="$ca_bundle" \
  . >"$work/build-cpu.log" 2>&1 || { tail -40 "$work/build-cpu.log" >&2; fail "podman build of the CPU-only variant (log above)"; }
cpu_libs="$(podman run --rm --network none --no-healthcheck --entrypoint /bin/sh "$image-cpu" -c 'ls /app/libonnxruntime*.so' | xargs -n1 basename | tr '\n' ' ')"
[ "$cpu_libs" = "libonnxruntime.so libonnxruntime_providers_shared.so " ] || fail "CPU-only image holds: $cpu_libs"
say "CPU-only variant built: $(podman image inspect --format '{{.Size}}' "$image-cpu" | numfmt --to=iec) ($cpu_libs)"

# --- 3. what the image holds ---------------------------------------------------------------------------------------
inspect() { podman image inspect --format "$1" "$image"; }
[ "$(inspect '{{.Config.User}}')" = "1654:1654" ] || fail "image user is '$(inspect '{{.Config.User}}')', not 1654:1654"
[ "$(inspect '{{json .Config.Entrypoint}}')" = '["dotnet","/app/MatchService.Server.dll"]' ] || fail "entrypoint $(inspect '{{json .Config.Entrypoint}}')"
inspect '{{json .Config.Healthcheck}}' | grep -q 'matchctl.dll' || fail "no matchctl health check in the image"
inspect '{{json .Config.Env}}' | grep -q 'SSL_CERT_FILE' && fail "SSL_CERT_FILE leaked into the image"
expected_models="$(for d in models/*/; do basename "$d"; done | sort | tr '\n' ' ')"
listing="$(podman run --rm --network none --no-healthcheck --entrypoint /bin/sh "$image" -c '
  id -u; for d in /app/models/*/; do [ -f "$d/model.onnx" ] && basename "$d"; done | sort | tr "\n" " "; echo
  ls /app/libonnxruntime.so /app/libonnxruntime_providers_cuda.so /app/libonnxruntime_providers_shared.so /app/matchctl/matchctl.dll
  ls /run/secrets/ca-bundle 2>/dev/null || echo "no CA bundle"')" || fail "listing the image: $listing"
echo "$listing" | sed 's/^/  /'
[ "$(echo "$listing" | sed -n 1p)" = 1654 ] || fail "the container runs as uid $(echo "$listing" | sed -n 1p)"
[ "$(echo "$listing" | sed -n 2p)" = "$expected_models" ] || fail "models in the image: '$(echo "$listing" | sed -n 2p)', expected '$expected_models'"
echo "$listing" | grep -q "no CA bundle" || fail "the build's CA bundle is in the image"

# --- 4. the container on loopback ----------------------------------------------------------------------------------
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
address="http://127.0.0.1:$port"
say "running on $address"
# podman schedules health checks with systemd timers, which this VM lacks (it says so on stderr, kept in run.log);
# `podman healthcheck run` below runs the image's check itself.
podman run -d --name "$name" -p "127.0.0.1:$port:50051" --read-only --tmpfs /tmp --cap-drop ALL \
  --security-opt no-new-privileges -e Match__DrainTimeout=00:00:10 "$image" >/dev/null 2>"$work/run.log" \
  || { cat "$work/run.log" >&2; fail "podman run"; }
serving=0
for _ in $(seq 1 180); do
  if "${matchctl[@]}" health --address "$address" --service match.v1.MatchService --timeout 2 >/dev/null 2>&1; then serving=1; break; fi
  [ "$(podman inspect --format '{{.State.Running}}' "$name")" = true ] || break
  sleep 1
done
[ "$serving" = 1 ] || { podman logs "$name" 2>&1 | tail -40 >&2; fail "matchctl health never said SERVING"; }
say "matchctl health: SERVING"
podman healthcheck run "$name" >/dev/null || fail "the image's health check reports unhealthy"
say "image health check: healthy"

models_json="$("${matchctl[@]}" models --address "$address" --json)" || fail "matchctl models: $models_json"
python3 - "$models_json" "$expected_models" <<'PY' || fail "ListModels"
import json, sys
models = json.loads(sys.argv[1])["models"]
names = sorted(m["name"] for m in models)
assert names == sys.argv[2].split(), f"ListModels lists {names}, the image holds {sys.argv[2].split()}"
for m in models:
    assert m.get("ready"), f"{m['name']} is not ready"
    instances = m.get("instances", [])
    assert instances and all(i["provider"] == "CPUExecutionProvider" for i in instances), f"{m['name']}: {instances}"
print("  " + ", ".join(f"{m['name']} ({' '.join(i['id'] + ' ' + i['provider'] for i in m['instances'])})" for m in models))
PY
say "ListModels: every model ready"

photos=.cache/npm/face-api-1.7.15/package/demo
set +e
compare="$("${matchctl[@]}" compare --address "$address" "$photos/sample1.jpg" "$photos/sample2.jpg" 2>&1)"
code=$?
set -e
echo "$compare" | sed 's/^/  /' | head -8
case $code in 0|3|4) say "CompareWithConfidence answered (exit $code)" ;; *) fail "matchctl compare exited $code" ;; esac

say "podman stop (SIGTERM, 30 s before SIGKILL)"
stop_started=$SECONDS
podman stop --time 30 "$name" >/dev/null 2>>"$work/run.log"
took=$((SECONDS - stop_started))
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$name")"
podman logs "$name" 2>&1 | grep -iE 'drain|shutting|stopp' | sed 's/^/  /' | tail -5 || true
[ "$exit_code" = 0 ] || { podman logs "$name" 2>&1 | tail -30 >&2; fail "the container exited $exit_code after SIGTERM"; }
[ "$took" -lt 30 ] || fail "the container took ${took}s to stop: SIGKILL, not its own drain, ended it"
say "SIGTERM: drained and exited 0 in ${took}s"
say "PASSED in $((SECONDS - started))s"
