#!/usr/bin/env bash
# Installs what the browser tests need, outside the repository: playwright-core from npm
# (pinned; it downloads no browser) under ~/.cache/sparkplane, driving Debian's chromium
# (installed by scripts/deps.sh). Idempotent.
#   install.sh            install (when missing)
#   install.sh --paths    print PLAYWRIGHT_DIR=... and CHROMIUM=... (nothing installed)
set -euo pipefail

VERSION=1.65.2
CACHE="${SPARKPLANE_CACHE:-$HOME/.cache/sparkplane}"
DIR="$CACHE/playwright-core-$VERSION"
CHROMIUM=/usr/lib/chromium/chromium  # the binary itself; /usr/bin/chromium is a shell wrapper

if [ "${1:-}" = "--paths" ]; then
  printf 'PLAYWRIGHT_DIR=%q\nCHROMIUM=%q\n' "$DIR" "$CHROMIUM"
  exit 0
fi
command -v npm >/dev/null || { echo "browser: npm is not installed (Node.js 18+)" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "browser: $CHROMIUM is missing: run scripts/deps.sh (Debian's chromium)" >&2; exit 1; }
if [ ! -f "$DIR/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$DIR"
  echo "browser: installing playwright-core $VERSION into $DIR" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$DIR" --no-audit --no-fund --silent \
    "playwright-core@$VERSION" >&2
fi
