#!/usr/bin/env bash
# Make `docker compose` (the v2 CLI plugin) available where only the docker client is installed.
# The plugin is built from its Go module with the machine's Go toolchain, because no prebuilt binary
# can be downloaded here. Without an engine, the plugin is still enough for `docker compose config`,
# which tests/deploy runs. Does nothing when `docker compose` already works.
#
# Usage: bash deploy/docker/install-compose-plugin.sh   (a cold build takes a few minutes)
set -euo pipefail

COMPOSE_MODULE="github.com/docker/compose/v2"
COMPOSE_VERSION="${COMPOSE_VERSION:-v2.40.3}"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"

if docker compose version >/dev/null 2>&1; then
    docker compose version
    exit 0
fi
command -v go >/dev/null || { echo "go is needed to build the compose plugin" >&2; exit 1; }

# `go install module@version` refuses this module (its go.mod has exclude directives), so build it
# inside a copy of the downloaded module instead.
export GOTOOLCHAIN=local
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source_dir="$(cd "$work" && go mod download -json "$COMPOSE_MODULE@$COMPOSE_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$source_dir" ] || { echo "could not download $COMPOSE_MODULE@$COMPOSE_VERSION" >&2; exit 1; }
cp -r "$source_dir" "$work/compose"
chmod -R u+w "$work/compose"
(
    cd "$work/compose"
    go build -trimpath \
        -ldflags "-s -w -X $COMPOSE_MODULE/internal.Version=$COMPOSE_VERSION" \
        -o "$work/docker-compose" ./cmd
)
mkdir -p "$PLUGIN_DIR"
install -m 0755 "$work/docker-compose" "$PLUGIN_DIR/docker-compose"
docker compose version
