#!/usr/bin/env bash
# The one test command: on a fresh Debian machine it installs what is missing and starts what is
# not running, then runs the dependency audit, lint, typecheck and the vitest suite. `.ci/run`
# calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

log "system packages"
missing=()
command -v kubectl >/dev/null || missing+=(kubernetes-client)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v openssl >/dev/null || missing+=(openssl)
command -v prometheus >/dev/null || missing+=(prometheus)
[ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
# The browser tests (test/browser) drive Debian's Chromium through playwright-core, headless.
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_install "${missing[@]}"
fi
echo "kubectl: $(kubectl version --client 2>/dev/null | head -1)"

log "redis"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /tmp/fleetgraph-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/fleetgraph-redis --logfile /tmp/fleetgraph-redis/redis.log
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping

log "npm dependencies"
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "node (npm scripts): $(npm exec --silent -- node --version)"

log "npm audit"
# High or critical advisories fail unless .audit-allowlist.json explains them (docs/security.md).
npm exec --silent -- node scripts/npm-audit.ts

log "lint"
npm run --silent lint

log "typecheck"
npm run --silent typecheck

log "build"
npm run --silent build

log "tests"
npm run --silent vitest -- "$@"
