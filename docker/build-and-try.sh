#!/usr/bin/env bash
# Builds the agdf image with podman and tries what it holds, on a machine with neither a
# container engine nor registry access: the Debian base images come from debootstrap, and the
# built image is unpacked and run in a chroot (loopback networking is the host's).
#
# The try uses the image's own configuration (user, environment, entrypoint, HEALTHCHECK):
#   1. the one-shot runner: agdf-server run EXAMPLE --json on a graph that halts (exit 3);
#   2. the daemon as compose.yaml runs it, with TLS and tokens from secrets (a CA and a
#      certificate made with openssl, a token file made by the image's `agdf-server token add`,
#      under /run/secrets): the entrypoint on a free 127.0.0.1 port, timed from start until the
#      image's health check passes over TLS; the image's agdf CLI is refused without a token,
#      then runs an example graph with the admin token and the result (exit status, counts) is
#      checked; SIGTERM must stop the daemon with status 0;
#   3. the run was stored in the state directory's run history;
#   4. nothing was written outside the data and state directories and /tmp (compose.yaml runs
#      read-only).
# Exits non-zero with a message on the first failure. Safe to run again: what exists is reused.
# `--try-only` skips the build and tries the image already tagged.
#
# Environment: AGDF_IMAGE (tag, default localhost/agdf:latest), AGDF_CACHE_DIR (debootstrap
# tarballs, default /var/tmp/agdf-container-cache), AGDF_MAX_IMAGE_MB (default 150),
# AGDF_DEBIAN_MIRROR (default http://deb.debian.org/debian), AGDF_BUILD_JOBS (compile jobs,
# default one per CPU).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
image=${AGDF_IMAGE:-localhost/agdf:latest}
cache_dir=${AGDF_CACHE_DIR:-/var/tmp/agdf-container-cache}
max_image_mb=${AGDF_MAX_IMAGE_MB:-150}
mirror=${AGDF_DEBIAN_MIRROR:-http://deb.debian.org/debian}
jobs=${AGDF_BUILD_JOBS:-}
stage_image=${AGDF_BUILD_STAGE_IMAGE:-localhost/agdf-build-stage:latest}
build_base=docker.io/library/debian:bookworm
runtime_base=docker.io/library/debian:bookworm-slim
healthy_target_ms=2000
healthy_timeout_s=30
stop_timeout_s=10

work=""
build_work=""
rootfs=""
container=""
server_pid=""

say() { echo "build-and-try: $*"; }
fail() {
  echo "build-and-try: FAILED: $*" >&2
  exit 1
}
pm() { podman --cgroup-manager=cgroupfs "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$rootfs" ]; then
    kill_chroot_processes
    mountpoint -q "$rootfs/proc" && umount "$rootfs/proc"
    mountpoint -q "$rootfs" && umount "$rootfs"
  fi
  [ -z "$container" ] || pm rm -f -v "$container" >/dev/null 2>&1 || true
  [ -z "$work" ] || rm -rf --one-file-system "$work"
  [ -z "$build_work" ] || rm -rf "$build_work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Processes whose root is the unpacked image: only this script starts any there.
chroot_processes() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$rootfs" ] && echo "${p#/proc/}"
  done
  return 0
}

# shellcheck disable=SC2317 # called from the EXIT trap
kill_chroot_processes() {
  local pids
  mapfile -t pids < <(chroot_processes)
  [ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null || true
}

# ---- tools and base images -------------------------------------------------------------------

ensure_tools() {
  [ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap, podman build and chroot need it)"
  local missing=() cmd
  for cmd in podman debootstrap jq openssl; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Trims a debootstrap tree the way Debian's official images are trimmed (no apt lists, caches
# or logs), so sizes measured here match what `docker build` gets from the registry.
trim_like_official() {
  local dir=$1
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin \
    "$dir"/var/cache/apt/archives/*.deb "$dir"/var/log/*.log "$dir"/var/log/apt/*
}

# The -slim variant also drops documentation, manual pages and translations, now and for every
# package installed later.
trim_like_slim() {
  local dir=$1
  cat >"$dir/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$dir"/usr/share/{groff,info,linda,lintian,locale,man}/*
}

ensure_base_images() {
  if pm image exists "$build_base" && pm image exists "$runtime_base"; then
    say "base images present: $build_base, $runtime_base"
    return
  fi
  local full=$cache_dir/debian-bookworm.tar slim=$cache_dir/debian-bookworm-slim.tar
  if [ ! -s "$full" ] || [ ! -s "$slim" ]; then
    mkdir -p "$cache_dir"
    local tree
    tree=$(mktemp -d "$cache_dir/rootfs.XXXXXX")
    say "debootstrap bookworm (minbase) from $mirror"
    debootstrap --variant=minbase bookworm "$tree" "$mirror" >"$cache_dir/debootstrap.log" 2>&1 ||
      fail "debootstrap failed, see $cache_dir/debootstrap.log"
    trim_like_official "$tree"
    tar -C "$tree" -c . >"$full.partial" && mv "$full.partial" "$full"
    trim_like_slim "$tree"
    tar -C "$tree" -c . >"$slim.partial" && mv "$slim.partial" "$slim"
    rm -rf --one-file-system "$tree"
  fi
  say "importing base images from $cache_dir"
  pm import --change 'CMD ["bash"]' "$full" "$build_base" >/dev/null
  pm import --change 'CMD ["bash"]' "$slim" "$runtime_base" >/dev/null
}

# ---- build -----------------------------------------------------------------------------------

build_image() {
  local version revision created context old_ids id
  version=$(sed -n 's/^project(agdf VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
  revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)
  [ -z "$(git -C "$repo" status --porcelain 2>/dev/null)" ] || revision="$revision-dirty"
  created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  # A snapshot of the tree (build directories and .git left out; .dockerignore still applies):
  # both builds below must see the same sources even while the tree is being edited.
  build_work=$(mktemp -d /var/tmp/agdf-build.XXXXXX)
  context=$build_work/context
  mkdir "$context"
  tar -C "$repo" --exclude=./.git --exclude=./build --exclude='./build-*' -cf - . |
    tar -C "$context" -xf - || fail "could not copy the source tree"
  old_ids=$(pm image inspect --format '{{.Id}}' "$image" "$stage_image" 2>/dev/null || true)

  say "building $image (version $version, revision $revision)"
  # The build stage is tagged too, so its layers stay cached and the old ones can be removed.
  # docker format: the OCI image format has no HEALTHCHECK.
  local common=(--isolation=chroot --pull=never --format docker --build-arg JOBS="$jobs"
    -f "$context/docker/Dockerfile")
  # The host's ccache (which scripts/test.sh filled, paths relative to the repository) serves
  # the image's compile too: a cold CI compiles each file once, not once more for the image.
  local host_ccache
  host_ccache=$(ccache --get-config cache_dir 2>/dev/null || true)
  if [ -n "$host_ccache" ] && mkdir -p "$host_ccache" 2>/dev/null; then
    say "sharing the host's ccache ($host_ccache) with the build stage"
    common+=(--volume "$host_ccache:/host-ccache" --build-arg CCACHE_DIR=/host-ccache)
  fi
  pm build "${common[@]}" --target build -t "$stage_image" "$context" ||
    fail "image build failed (build stage)"
  pm build "${common[@]}" -t "$image" \
    --label org.opencontainers.image.version="$version" \
    --label org.opencontainers.image.revision="$revision" \
    --label org.opencontainers.image.created="$created" "$context" || fail "image build failed"
  rm -rf "$build_work"
  build_work=""

  # The previous image and build stage are now untagged: remove them with the layers only they
  # used (removal fails harmlessly for a layer still in use).
  for id in $old_ids; do
    [ "$(pm image inspect --format '{{len .RepoTags}}' "$id" 2>/dev/null)" != 0 ] ||
      pm rmi "$id" >/dev/null 2>&1 || true
  done
}

check_size() {
  local bytes mb
  bytes=$(pm image inspect --format '{{.Size}}' "$image")
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  say "image size: $mb MB ($bytes bytes; limit $max_image_mb MB)"
  [ "$bytes" -le $((max_image_mb * 1000000)) ] || fail "image is $mb MB, over $max_image_mb MB"
}

# ---- try -------------------------------------------------------------------------------------

unpack_image() {
  work=$(mktemp -d /var/tmp/agdf-try.XXXXXX)
  rootfs=$work/rootfs
  mkdir "$rootfs"
  # In memory: unpacking and removing a hundred megabytes on a busy disk takes far longer.
  mount -t tmpfs -o size=1g,mode=0755 agdf-try "$rootfs" 2>/dev/null || true
  # podman create complains it cannot reach systemd to time health checks: irrelevant here.
  container=$(pm create "$image" 2>"$work/create.log") || fail "podman create: $(cat "$work/create.log")"
  pm export "$container" | tar -x -C "$rootfs" || fail "could not unpack the image"
  pm rm -v "$container" >/dev/null 2>&1 || fail "podman rm $container failed"
  container=""
  # What a container runtime would provide: /proc and the basic device nodes.
  mkdir -p "$rootfs/proc" "$rootfs/dev"
  mount -t proc proc "$rootfs/proc"
  local name major minor
  while read -r name major minor; do
    [ -e "$rootfs/dev/$name" ] || mknod -m 0666 "$rootfs/dev/$name" c "$major" "$minor"
  done <<'EOF'
null 1 3
zero 1 5
random 1 8
urandom 1 9
EOF
  touch "$work/unpacked"
}

# Reads the image's run configuration into globals: user, working dir, env, entrypoint,
# health-check command.
read_image_config() {
  local inspect config user group
  inspect=$(pm image inspect "$image")
  config=$(jq -c '.[0].Config' <<<"$inspect")
  user=$(jq -r '.User // ""' <<<"$config")
  case ${user%%:*} in
    "" | root | 0) fail "the image runs as root (USER is '$user')" ;;
  esac
  group=${user#*:}
  [ "$group" != "$user" ] || group=""
  user=${user%%:*}
  run_uid=$(awk -F: -v u="$user" '$1 == u || $3 == u { print $3; exit }' "$rootfs/etc/passwd")
  [ -n "$run_uid" ] || fail "user $user is not in the image's /etc/passwd"
  [ -n "$group" ] || group=$(awk -F: -v u="$user" '$1 == u || $3 == u { print $4; exit }' "$rootfs/etc/passwd")
  run_gid=$(awk -F: -v g="$group" '$1 == g || $3 == g { print $3; exit }' "$rootfs/etc/group")
  [ -n "$run_gid" ] || fail "group $group is not in the image's /etc/group"
  run_dir=$(jq -r '.WorkingDir // "/"' <<<"$config")
  [ -n "$run_dir" ] || run_dir=/
  mapfile -t run_env < <(jq -r '.Env // [] | .[]' <<<"$config")
  mapfile -t entrypoint < <(jq -r '(.Entrypoint // []) + (.Cmd // []) | .[]' <<<"$config")
  [ ${#entrypoint[@]} -gt 0 ] || fail "the image has no ENTRYPOINT"
  # podman reports the health check beside Config, docker inside it.
  mapfile -t health_test < <(jq -r '.[0] | (.Healthcheck // .Config.Healthcheck).Test // [] | .[]' \
    <<<"$inspect")
  [ ${#health_test[@]} -gt 1 ] || fail "the image has no HEALTHCHECK (built without --format docker?)"
  say "image runs as uid $run_uid gid $run_gid in $run_dir: ${entrypoint[*]}"
}

# Sets image_cmd to a command line that runs a command in the unpacked image as the image's
# user, with the image's environment plus the VAR=value overrides given before --.
make_image_cmd() {
  local overrides=()
  while [ "$1" != -- ]; do
    overrides+=("$1")
    shift
  done
  shift
  image_cmd=(chroot --userspec="$run_uid:$run_gid" "$rootfs"
    /usr/bin/env -i -C "$run_dir" "${run_env[@]}" "${overrides[@]}" "$@")
}

in_image() {
  make_image_cmd "$@"
  "${image_cmd[@]}"
}

free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free loopback port found"
}

# Checks `--json` output, either the runner's one result object or the CLI's event lines (the
# "finished" event): the final status and per-node counts, written "node in/out/err".
check_result() {
  local what=$1 json=$2 want_status=$3
  shift 3
  local result got_status got_counts want_counts
  result=$(jq -cs '[.[] | select(has("status") or .type == "finished")] | last
                   | {status: (.status // .state), stats}' <<<"$json" 2>/dev/null) ||
    fail "$what: output is not JSON: $json"
  got_status=$(jq -r '.status' <<<"$result")
  [ "$got_status" = "$want_status" ] || fail "$what: status $got_status, expected $want_status: $json"
  got_counts=$(jq -r '.stats // {} | to_entries[] | "\(.key) \(.value.in)/\(.value.out)/\(.value.err)"' \
    <<<"$result" | sort | paste -sd,)
  want_counts=$(printf '%s\n' "$@" | sort | paste -sd,)
  [ "$got_counts" = "$want_counts" ] || fail "$what: counts $got_counts, expected $want_counts"
}

try_one_shot_runner() {
  local example=/usr/local/share/agdf/examples/halt_at_node.json out status=0
  out=$(in_image -- agdf-server run "$example" --json 2>"$work/runner.log") || status=$?
  [ "$status" -eq 3 ] ||
    fail "agdf-server run halt_at_node.json exited $status, expected 3: $(cat "$work/runner.log")"
  check_result "agdf-server run halt_at_node.json" "$out" halted \
    "extract 0/5/0" "transform 5/5/0" "load 5/2/1" "output 2/2/0"
  say "one-shot runner: halt_at_node.json halted with the expected counts (exit 3)"
}

run_health_check() {
  case ${health_test[0]} in
    CMD-SHELL) in_image "$@" -- /bin/sh -c "${health_test[1]}" ;;
    CMD) in_image "$@" -- "${health_test[@]:1}" ;;
    *) fail "health check kind ${health_test[0]} is not understood" ;;
  esac
}

# What compose.yaml mounts under /run/secrets: a CA, the daemon's certificate and key (made
# here with openssl), and a token file with one admin made by the image's own command. Sets
# admin_token and secret_env (the daemon's and the CLI's variables for them).
make_secrets() {
  local dir=$rootfs/run/secrets
  mkdir -p "$dir"
  chown "$run_uid:$run_gid" "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj "/CN=agdf try CA" -keyout "$work/ca.key" -out "$dir/agdf-tls-ca" 2>/dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=agdf-server \
      -keyout "$dir/agdf-tls-key" -out "$work/server.csr" 2>/dev/null &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$work/ext" &&
    openssl x509 -req -in "$work/server.csr" -CA "$dir/agdf-tls-ca" -CAkey "$work/ca.key" \
      -CAcreateserial -CAserial "$work/ca.srl" -days 1 -extfile "$work/ext" \
      -out "$dir/agdf-tls-cert" 2>/dev/null || fail "openssl could not make the TLS files"
  chown "$run_uid:$run_gid" "$dir/agdf-tls-key"
  admin_token=$(in_image -- agdf-server token add admin --role admin \
    --tokens /run/secrets/agdf-tokens 2>"$work/token.log") ||
    fail "agdf-server token add failed: $(cat "$work/token.log")"
  [[ $admin_token =~ ^agdf_[0-9a-f]{12}_[0-9a-f]{64}$ ]] || fail "token add printed '$admin_token'"
  ! grep -q "$admin_token" "$dir/agdf-tokens" || fail "the token file holds the token in clear"
  secret_env=(AGDF_TOKENS=/run/secrets/agdf-tokens AGDF_TLS_CERT=/run/secrets/agdf-tls-cert
    AGDF_TLS_KEY=/run/secrets/agdf-tls-key AGDF_TLS_CA=/run/secrets/agdf-tls-ca)
  say "secrets: TLS certificate (openssl) and an admin token (agdf-server token add)"
}

try_daemon() {
  local port listen log started healthy_ms out status=0 deadline
  port=$(free_port)
  listen=127.0.0.1:$port
  log=$work/agdf-server.log
  make_secrets

  started=$(now_ms)
  make_image_cmd AGDF_LISTEN="$listen" "${secret_env[@]}" -- "${entrypoint[@]}"
  # chroot and env exec, so this pid is agdf-server's own.
  "${image_cmd[@]}" >"$log" 2>&1 &
  server_pid=$!
  deadline=$((started + healthy_timeout_s * 1000))
  until run_health_check AGDF_LISTEN="$listen" "${secret_env[@]}" >/dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || fail "agdf-server exited before it was healthy: $(cat "$log")"
    [ "$(now_ms)" -lt "$deadline" ] || fail "not healthy after ${healthy_timeout_s}s: $(cat "$log")"
    sleep 0.02
  done
  healthy_ms=$(($(now_ms) - started))
  say "start to healthy: ${healthy_ms} ms (target < ${healthy_target_ms} ms)"
  [ "$healthy_ms" -lt "$healthy_target_ms" ] ||
    echo "build-and-try: WARNING: start to healthy ${healthy_ms} ms is over the target" >&2
  grep -q "agdf-server listening on $listen" "$log" ||
    fail "agdf-server did not print 'agdf-server listening on $listen': $(cat "$log")"

  # shellcheck disable=SC2016 # expanded by the image's shell
  in_image -- /bin/sh -c 'probe="$AGDF_DATA_DIR/.write-probe" && touch "$probe" && rm "$probe"' ||
    fail "the image's user cannot write to its data directory"

  grep -q 'msg="TLS on"' "$log" && grep -q 'msg="tokens required" principals=1' "$log" ||
    fail "the daemon did not report TLS and tokens: $(cat "$log")"
  status=0
  in_image AGDF_SERVER="$listen" "${secret_env[@]}" -- agdf functions >/dev/null 2>&1 || status=$?
  [ "$status" -eq 7 ] || fail "agdf functions without a token exited $status, expected 7 (refused)"
  status=0
  out=$(in_image AGDF_SERVER="$listen" "${secret_env[@]}" AGDF_TOKEN="$admin_token" -- \
    agdf run /usr/local/share/agdf/examples/three_nodes.json --json 2>"$work/cli.log") || status=$?
  [ "$status" -eq 0 ] || fail "agdf run three_nodes.json exited $status: $out $(cat "$work/cli.log")"
  check_result "agdf run three_nodes.json" "$out" completed \
    "extract 0/2/0" "transform 2/2/0" "load 2/2/0"
  say "agdf CLI over TLS: refused without a token; three_nodes.json completed with the admin token"
  ! grep -q "$admin_token" "$log" || fail "the daemon's log holds the token"

  kill -TERM "$server_pid"
  deadline=$(($(now_ms) + stop_timeout_s * 1000))
  while kill -0 "$server_pid" 2>/dev/null; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "agdf-server still running ${stop_timeout_s}s after SIGTERM"
    sleep 0.02
  done
  status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" -eq 0 ] || fail "agdf-server exited $status on SIGTERM: $(cat "$log")"
  [ -z "$(chroot_processes)" ] || fail "processes left in the image after the daemon stopped"
  say "SIGTERM: agdf-server exited 0"
}

# The daemon keeps its run history in AGDF_STATE_DIR: the run the CLI made must be there.
check_history_stored() {
  local state_dir
  state_dir=$(printf '%s\n' "${run_env[@]}" | sed -n 's/^AGDF_STATE_DIR=//p')
  [ -n "$state_dir" ] || fail "the image sets no AGDF_STATE_DIR"
  [ -s "$rootfs$state_dir/runs.db" ] || fail "no run history in $state_dir after the daemon ran"
  say "run history stored in $state_dir/runs.db"
}

# compose.yaml runs the image with a read-only root: what was tried must have written only to
# the data and state directories and /tmp.
check_writes_confined() {
  local data_dir state_dir written
  data_dir=$(printf '%s\n' "${run_env[@]}" | sed -n 's/^AGDF_DATA_DIR=//p')
  state_dir=$(printf '%s\n' "${run_env[@]}" | sed -n 's/^AGDF_STATE_DIR=//p')
  written=$(find "$rootfs" -xdev -newer "$work/unpacked" \
    -not -path "$rootfs${data_dir:-/data}" -not -path "$rootfs${data_dir:-/data}/*" \
    -not -path "$rootfs${state_dir:-/state}" -not -path "$rootfs${state_dir:-/state}/*" \
    -not -path "$rootfs/tmp" -not -path "$rootfs/tmp/*" -not -path "$rootfs/dev" \
    -not -path "$rootfs/run/secrets" -not -path "$rootfs/run/secrets/*" -not -path "$rootfs/run" \
    -print)
  [ -z "$written" ] || fail "written outside the data and state directories and /tmp: $written"
  say "writes stayed in ${data_dir:-/data}, ${state_dir:-/state} and /tmp"
}

main() {
  local t0=$SECONDS t try_only=false
  case ${1:-} in
    "") ;;
    --try-only) try_only=true ;;
    *) fail "usage: $0 [--try-only]   (--try-only: try the image already built, do not build)" ;;
  esac
  ensure_tools
  if $try_only; then
    pm image exists "$image" || fail "no image $image to try: run without --try-only first"
  else
    t=$SECONDS
    ensure_base_images
    say "base images: $((SECONDS - t)) s"
    t=$SECONDS
    build_image
    say "build: $((SECONDS - t)) s"
  fi
  check_size
  t=$SECONDS
  unpack_image
  read_image_config
  try_one_shot_runner
  try_daemon
  check_history_stored
  check_writes_confined
  say "try: $((SECONDS - t)) s"
  say "OK ($((SECONDS - t0)) s in all)"
}

# One line: bash reads a script as it runs, so an edit during a run cannot change what follows.
main "$@"; exit
