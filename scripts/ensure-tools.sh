#!/bin/sh
# Installs the Debian packages the tests drive for real, when they are missing and we may:
# chromium (the UI tests), zstd (fixtures with zstd layers), docker-registry and skopeo (registry
# tests: a real registry on loopback, images pushed into it), apache2-utils (htpasswd for its basic auth), openssl (the token issuer's certificate).
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing="$missing chromium"
command -v zstd >/dev/null 2>&1 || missing="$missing zstd"
command -v tar >/dev/null 2>&1 || missing="$missing tar"
command -v docker-registry >/dev/null 2>&1 || missing="$missing docker-registry"
command -v skopeo >/dev/null 2>&1 || missing="$missing skopeo"
command -v htpasswd >/dev/null 2>&1 || missing="$missing apache2-utils"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "strata: missing Debian packages:$missing. Install them (apt-get install$missing) and run again." >&2
  exit 1
fi
echo "strata: installing Debian packages:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
