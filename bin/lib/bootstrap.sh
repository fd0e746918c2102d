# Sourced by bin/start and bin/test: installs what a fresh machine lacks (pnpm, the
# workspace's packages); the servers themselves are installed by the infra launcher.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

bootstrap() {
  command -v node >/dev/null || fail "Node.js 20 or newer is needed (node is not on PATH)"
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$node_major" -ge 20 ] || fail "Node.js 20 or newer is needed (found $(node -v))"

  local pnpm_version
  pnpm_version="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
  if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "$pnpm_version" ]; then
    step "installing pnpm $pnpm_version (first run only)"
    npm install --global --silent "pnpm@$pnpm_version" || fail "could not install pnpm $pnpm_version with npm"
  fi

  step "installing workspace packages"
  # pnpm freezes the lockfile by itself under CI=true, which is where a stale lockfile must fail.
  pnpm install --prefer-offline --reporter=silent || fail "pnpm install failed"
}
