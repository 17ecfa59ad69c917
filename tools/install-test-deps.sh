#!/bin/sh
# Install what the test suite needs outside Python: the Debian packages (a headless browser
# and its WebDriver for the read-along page tests, a CJK font so Chinese renders in
# screenshots, ffmpeg: ffprobe lists the MP3s' chapters and durations and ffmpeg decodes them
# for the loudness test) and Ace by DAISY from npm (the EPUB accessibility test; bench/ace.sh).
# Idempotent: does nothing when they are already installed; refreshes the package lists
# only when a package cannot be found. Non-interactive. Run as root or with sudo.
set -eu

PACKAGES="chromium chromium-driver fonts-wqy-zenhei ffmpeg"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $pkg"
done

install_ace() {
    # @daisy/ace-cli into $ACE_PREFIX (bench/ace.sh looks there); it drives Debian chromium.
    prefix="${ACE_PREFIX:-$HOME/.cache/speak-ace}"
    if [ -x "$prefix/bin/ace" ] || [ -x "$prefix/bin/ace-cli" ]; then
        echo "install-test-deps: Ace already in $prefix"
        return
    fi
    echo "install-test-deps: installing @daisy/ace-cli into $prefix"
    PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
        npm install --global --prefix "$prefix" --no-audit --no-fund @daisy/ace-cli >/dev/null
}

if [ -z "$missing" ]; then
    echo "install-test-deps: already installed:$(printf ' %s' $PACKAGES)"
    install_ace
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
APT="$SUDO apt-get -y -q -o Dpkg::Use-Pty=0"

# Refresh the lists only if apt does not know a missing package (fresh container, stale lists).
need_update=0
for pkg in $missing; do
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then need_update=1; fi
done
[ "$need_update" -eq 0 ] || $APT update

echo "install-test-deps: installing:$missing"
# shellcheck disable=SC2086  # word splitting of the package list is intended
if ! $APT install --no-install-recommends $missing; then
    # The lists may be stale (a version was removed from the mirror): refresh once and retry.
    $APT update
    $APT install --no-install-recommends $missing
fi
install_ace
