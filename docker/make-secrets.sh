#!/usr/bin/env bash
# Makes what the daemon needs to be exposed safely, in docker/secrets/ (or DIR): a private CA,
# a TLS certificate and key for the daemon signed by it, and a token file holding a first
# admin principal, whose token is printed once on stdout. compose.yaml mounts these files as
# secrets. Nothing is overwritten: remove DIR to start again.
#
#   bash docker/make-secrets.sh [--dir DIR] [--name HOST]... [--admin NAME]
#
# --name adds a host name (or IP address) the certificate is valid for, besides localhost,
# 127.0.0.1 and agdf-server; give the name clients will use to reach the daemon.
# The token comes from the image's own `agdf-server token add` (AGDF_IMAGE, default agdf:latest,
# run with CONTAINER_ENGINE, default docker), or from AGDF_SERVER_BIN when it is set (a host
# build: AGDF_SERVER_BIN=build/server/agdf-server).
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)/secrets
admin=admin
names=(DNS:localhost IP:127.0.0.1 DNS:agdf-server)
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --admin) admin=$2; shift 2 ;;
    --name)
      if [[ $2 =~ ^[0-9.]+$ || $2 == *:* ]]; then names+=("IP:$2"); else names+=("DNS:$2"); fi
      shift 2 ;;
    *) echo "usage: $0 [--dir DIR] [--name HOST]... [--admin NAME]" >&2; exit 64 ;;
  esac
done

server_bin=${AGDF_SERVER_BIN:-}
[ -z "$server_bin" ] || server_bin=$(realpath "$server_bin")
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$dir"
[ ! -e tokens.jsonl ] && [ ! -e server.key ] || {
  echo "make-secrets: $dir already holds secrets; remove them to make new ones" >&2
  exit 1
}
umask 077

san=$(IFS=,; echo "${names[*]}")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
  -subj "/CN=agdf private CA" -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj "/CN=agdf-server" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$san" >server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
  -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext ca.srl
chmod 0644 ca.crt server.crt

if [ -n "$server_bin" ]; then
  token=$("$server_bin" token add "$admin" --role admin --tokens "$dir/tokens.jsonl")
else
  token=$("${CONTAINER_ENGINE:-docker}" run --rm --user "$(id -u):$(id -g)" -v "$dir:/secrets" \
    "${AGDF_IMAGE:-agdf:latest}" token add "$admin" --role admin --tokens /secrets/tokens.jsonl)
fi

# The image's user (uid 10001) must be able to read the key and the token file.
if [ "$(id -u)" -eq 0 ]; then
  chown 10001:10001 server.key tokens.jsonl
else
  echo "make-secrets: run \`sudo chown 10001:10001 $dir/server.key $dir/tokens.jsonl\` so the" \
    "image's user can read them (or run this script with sudo)" >&2
fi
echo "make-secrets: wrote ca.crt ca.key server.crt server.key tokens.jsonl to $dir;" \
  "keep ca.key offline. The token of '$admin' (admin) follows; it is shown only now:" >&2
echo "$token"
