#!/usr/bin/env bash
# Accessibility check of the EPUB with Ace by DAISY (https://daisy.github.io/ace/).
#
#   bench/ace.sh [BOOK.epub]
#
# Needs what tools/install-test-deps.sh installs: Debian `chromium` + a CJK font, and
# `@daisy/ace-cli` from npm in $ACE_PREFIX (default ~/.cache/speak-ace; puppeteer's own
# browser download is skipped: Ace drives the Debian chromium through
# PUPPETEER_EXECUTABLE_PATH, and Ace itself launches it with --no-sandbox, needed as root).
# Installs nothing itself.
# Without an argument it builds the sample with `speak build` first. Exits non-zero when Ace
# reports any violation; the full report is left in $ACE_REPORT (default ./ace-report).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$repo/.venv/bin/python}"
[ -x "$python" ] || python=python3
prefix="${ACE_PREFIX:-$HOME/.cache/speak-ace}"
report="${ACE_REPORT:-$PWD/ace-report}"
chromium="${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}"

ace="$prefix/bin/ace"
[ -x "$ace" ] || ace="$prefix/bin/ace-cli"
if [ ! -x "$chromium" ] || [ ! -x "$ace" ]; then
    echo "ace.sh: needs $chromium and Ace in $prefix; run: sudo bash tools/install-test-deps.sh" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then
    epub="$1"
else
    (cd "$repo" && PYTHONPATH="$repo" "$python" -c 'from speak.cli import main; main()' \
        build samples/miit-2022-priorities.txt -o "$work/out")
    epub="$(ls "$work"/out/*.epub | head -n 1)"
fi
[ -f "$epub" ] || { echo "ace.sh: no EPUB at '$epub'" >&2; exit 2; }

echo "ace $("$ace" --version) on $epub"
PUPPETEER_EXECUTABLE_PATH="$chromium" "$ace" --silent --force --outdir "$report" "$epub"

# Count every failed assertion (violation) in the EARL report, print them, fail if any.
"$python" - "$report/report.json" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
violations = [
    (doc["earl:testSubject"]["url"], a["earl:test"]["earl:impact"], a["earl:test"]["dct:title"],
     a["earl:result"].get("dct:description", ""))
    for doc in report["assertions"]
    for a in doc.get("assertions", [])
    if a["earl:result"]["earl:outcome"] == "fail"
]
for url, impact, rule, what in violations:
    print(f"  {impact:9} {rule:32} {url}: {what[:120]}")
meta = report.get("a11y-metadata", {})
print(f"documents checked: {len(report['assertions'])}; a11y metadata present: "
      f"{len(meta.get('present', []))}, missing: {', '.join(meta.get('missing', [])) or 'none'}")
print(f"Ace outcome: {report['earl:result']['earl:outcome']}; violations: {len(violations)}")
sys.exit(1 if violations or report["earl:result"]["earl:outcome"] != "pass" else 0)
PY
