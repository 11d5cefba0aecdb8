#!/bin/sh
# Refresh static/vendor/ from the npm packages pinned in package.json / package-lock.json.
#
# netmap runs on closed networks: every CSS, JS, font and image is served from static/,
# never from a CDN. The files this script writes under static/vendor/ are committed, so
# the app needs neither node nor npm to run; run this only to change a pinned version.
#
#   sh scripts/vendor_assets.sh
#
# It installs into a throwaway directory (nothing is left in the project's node_modules/),
# copies only the built files the app serves, and rewrites the root-relative "/assets/"
# URLs in the precompiled stylesheets into paths relative to each stylesheet, so the fonts
# and images load from /static/vendor/<package>/assets/ wherever the app is mounted.
set -eu

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
VENDOR="$ROOT/static/vendor"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/netmap-vendor.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

cp "$ROOT/package.json" "$ROOT/package-lock.json" "$WORK/"
(cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
NM="$WORK/node_modules"

pkg_version() { node -p "require('$NM/$1/package.json').version"; }
pkg_license() { node -p "require('$NM/$1/package.json').license"; }

# Rewrite url(/assets/...) to url(assets/...) in a stylesheet; fail if none were found,
# because a package whose CSS no longer points at /assets/ needs this script re-checking.
rebase_css() {
  grep -q 'url(/assets/' "$1" || { echo "no url(/assets/ in $1: check rebase_css" >&2; exit 1; }
  sed -i 's#url(/assets/#url(assets/#g' "$1"
}

# Drop the "sourceMappingURL" comment (the .map files are not vendored). Only the comment
# goes: minified files often end with code and the comment on the same line.
strip_map() {
  sed -i -e 's@//[#@] sourceMappingURL=[^ ]*$@@' -e 's@/\*[#@] sourceMappingURL=[^*]*\*/@@' "$1"
}

# --- govuk-frontend ---------------------------------------------------------------
SRC="$NM/govuk-frontend/dist/govuk"
DST="$VENDOR/govuk-frontend"
rm -rf "$DST"
mkdir -p "$DST/assets"
cp "$SRC/govuk-frontend.min.css" "$SRC/govuk-frontend.min.js" "$DST/"
cp -R "$SRC/assets/fonts" "$SRC/assets/images" "$DST/assets/"
[ -f "$SRC/assets/manifest.json" ] && cp "$SRC/assets/manifest.json" "$DST/assets/"
[ -d "$SRC/assets/rebrand" ] && cp -R "$SRC/assets/rebrand" "$DST/assets/"
rebase_css "$DST/govuk-frontend.min.css"
strip_map "$DST/govuk-frontend.min.css"
strip_map "$DST/govuk-frontend.min.js"

# --- vis-network (standalone UMD: bundles vis-data, exposes window.vis) ----------
SRC="$NM/vis-network"
DST="$VENDOR/vis-network"
rm -rf "$DST"
mkdir -p "$DST"
cp "$SRC/standalone/umd/vis-network.min.js" "$SRC/styles/vis-network.min.css" "$DST/"
cp "$SRC/LICENSE-MIT" "$SRC/LICENSE-APACHE-2.0" "$DST/"
strip_map "$DST/vis-network.min.js"
strip_map "$DST/vis-network.min.css"
# The standalone build also adds its CSS as <style> elements, which the Content-Security-Policy
# refuses (one console error each); the page links vis-network.min.css instead. Turn the
# injector off; the build fails loudly if a new version changes its shape.
INJECTOR='"undefined"!=typeof document){var C=document.head'
grep -qF "$INJECTOR" "$DST/vis-network.min.js" || { echo "vis-network: style injector not found" >&2; exit 1; }
sed -i 's/"undefined"!=typeof document){var C=document.head/"undefined"!=typeof document\&\&!1){var C=document.head/' "$DST/vis-network.min.js"

# --- @ministryofjustice/frontend (optional extras: timeline, sortable table, ...) --
if [ -d "$NM/@ministryofjustice/frontend" ]; then
  SRC="$NM/@ministryofjustice/frontend/moj"
  DST="$VENDOR/moj-frontend"
  rm -rf "$DST"
  mkdir -p "$DST/assets"
  cp "$SRC/moj-frontend.min.css" "$SRC/moj-frontend.min.js" "$DST/"
  cp -R "$SRC/assets/images" "$DST/assets/"
  rebase_css "$DST/moj-frontend.min.css"
  strip_map "$DST/moj-frontend.min.css"
  strip_map "$DST/moj-frontend.min.js"
fi

# --- axe-core (the accessibility checker; used only by tests/browser, never by a page) --
# The browser tests inject axe.min.js's text through the devtools protocol (page.evaluate,
# which the Content-Security-Policy does not govern), so no page ever loads it.
SRC="$NM/axe-core"
DST="$VENDOR/axe-core"
rm -rf "$DST"
mkdir -p "$DST"
cp "$SRC/axe.min.js" "$SRC/LICENSE" "$DST/"
[ -f "$SRC/LICENSE-3RD-PARTY.txt" ] && cp "$SRC/LICENSE-3RD-PARTY.txt" "$DST/"

# --- record what was vendored ------------------------------------------------------
{
  echo "# Written by scripts/vendor_assets.sh; do not edit by hand."
  for p in govuk-frontend vis-network @ministryofjustice/frontend axe-core; do
    [ -d "$NM/$p" ] && echo "$p $(pkg_version "$p") $(pkg_license "$p")"
  done
} > "$VENDOR/VERSIONS.txt"

echo "Vendored into $VENDOR:"
cat "$VENDOR/VERSIONS.txt"
