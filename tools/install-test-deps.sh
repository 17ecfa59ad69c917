#!/bin/sh
# Install the Debian packages the test suite needs: a headless browser and its WebDriver
# (read-along page tests), a CJK font (so Chinese renders in screenshots) and ffmpeg (ffprobe
# lists the MP3s' chapters and durations; ffmpeg decodes them for the loudness test).
# Idempotent: does nothing when they are already installed; refreshes the package lists
# only when a package cannot be found. Non-interactive. Run as root or with sudo.
set -eu

PACKAGES="chromium chromium-driver fonts-wqy-zenhei ffmpeg"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $pkg"
done

if [ -z "$missing" ]; then
    echo "install-test-deps: already installed:$(printf ' %s' $PACKAGES)"
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
