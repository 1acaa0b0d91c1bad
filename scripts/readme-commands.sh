#!/usr/bin/env bash
# Runs every command the README documents, beside `npm test` (scripts/fresh-clone.sh proves that one), on a fresh
# clone of this repository's HEAD in a temporary folder: each must exit 0. The benchmarks run at small sizes
# (SMALL=0 runs them at their documented sizes, which takes an hour or more). Prints one line per command with its
# time and status, and exits non-zero if any failed. KEEP=1 keeps the folder (each command's output is in log/).
set -uo pipefail
repo="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)"
work="$(mktemp -d "${TMPDIR:-/tmp}/readme-commands.XXXXXX")"
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
git clone -q "$repo" "$work/p"
cd "$work/p"
mkdir -p "$work/log"
echo "commit $(git rev-parse --short HEAD), $(date -u +%FT%TZ)"

failed=0
step() {
  local name="$1"
  shift
  local started=$SECONDS
  if "$@" >"$work/log/$name.log" 2>&1; then
    echo "ok   $name ($((SECONDS - started)) s)"
  else
    echo "FAIL $name ($((SECONDS - started)) s): see $work/log/$name.log"
    tail -n 20 "$work/log/$name.log"
    failed=1
  fi
}
small() { if [ "${SMALL:-1}" = 1 ]; then echo "$@"; fi; }

step npm-ci npm ci
step asl-print npm run asl:print
step build-web npm run build:web
step synth npm run synth
step bench npm run bench
step bench-web npm run bench:web
# `npm run demo` on its own keeps its case in .data/demo; the CLIs then read that folder.
step demo npm run demo
step stats npm run stats -- --data .data/demo
step audit-verify npm run audit:verify -- --data .data/demo
case_id="$(node -e "
  const fs = require('node:fs');
  const m = fs.readFileSync('$work/log/demo.log', 'utf8').match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  process.stdout.write(m ? m[0] : '');
")"
step audit-export npm run audit:export -- "$case_id" --data .data/demo
# Any JSON file: the check answers MATCH or DIFFERS (exit 1) for the data an entry concerns; anything else fails.
audit_check() {
  { npm run audit:check -- "$case_id" 1 package.json --data .data/demo || true; } | tee /dev/stderr |
    grep -Eq '^(MATCH|DIFFERS) '
}
step audit-check audit_check
step bench-load npm run bench:load -- $(small --cases 40)
step bench-scale npm run bench:scale -- $(small --cases 200 --chain 200 --seconds 3)
# `npm start` comes up healthy, then stops on Ctrl-C: the signal goes to its whole process group, as a terminal
# sends it (a background job of a script ignores SIGINT, so it is started in a session of its own).
start_and_stop() {
  setsid npm start &
  local pid=$!
  local url=''
  for _ in $(seq 1 180); do
    [ -f .data/endpoints.json ] && url="$(node -p "require('./.data/endpoints.json').apiUrl")"
    if [ -n "$url" ] && node -e "fetch('$url/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
      break
    fi
    url=''
    sleep 1
  done
  kill -INT -- "-$pid"
  wait "$pid"
  [ -n "$url" ]
}
step start start_and_stop
exit "$failed"
