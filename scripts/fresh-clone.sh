#!/usr/bin/env bash
# Proves the README's test command on a fresh machine: clones this repository's HEAD into a temporary folder and
# runs `npm ci && npm test` there with chromium, chromium-browser, pdftoppm and pdftotext hidden from PATH (nothing
# is uninstalled: each PATH folder holding one of them is replaced by a folder of links to everything else in it).
# Prints the time taken and vitest's summary; exits with the command's status. KEEP=1 keeps the folder.
set -euo pipefail
repo="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)"
commit="$(git -C "$repo" rev-parse HEAD)"
work="$(mktemp -d "${TMPDIR:-/tmp}/fresh-clone.XXXXXX")"
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

hidden=(chromium chromium-browser pdftoppm pdftotext)
path=()
IFS=: read -r -a dirs <<<"$PATH"
for i in "${!dirs[@]}"; do
  dir="${dirs[$i]}"
  [ -d "$dir" ] || continue
  holds=0
  for name in "${hidden[@]}"; do [ -e "$dir/$name" ] && holds=1; done
  if [ "$holds" = 0 ]; then path+=("$dir"); continue; fi
  shim="$work/path/$i"
  mkdir -p "$shim"
  for entry in "$dir"/*; do
    name="$(basename "$entry")"
    case " ${hidden[*]} " in *" $name "*) continue ;; esac
    ln -s "$entry" "$shim/$name"
  done
  path+=("$shim")
done
clean_path="$(IFS=:; echo "${path[*]}")"
for name in "${hidden[@]}"; do
  if PATH="$clean_path" command -v "$name" >/dev/null 2>&1; then echo "could not hide $name" >&2; exit 1; fi
done

git clone --quiet "$repo" "$work/right-to-know"
git -C "$work/right-to-know" checkout --quiet --detach "$commit"
echo "fresh clone of $commit in $work/right-to-know; hidden from PATH: ${hidden[*]}"

started=$(date +%s)
status=0
(
  cd "$work/right-to-know"
  env -u CHROMIUM_PATH PATH="$clean_path" CI=true bash -c 'npm ci && npm test'
) >"$work/run.log" 2>&1 || status=$?
seconds=$(($(date +%s) - started))

# vitest's summary (colours stripped; the stacks' JSON log lines, which name failures a test provoked, left out),
# then the time taken.
sed 's/\x1b\[[0-9;]*m//g' "$work/run.log" | grep -v '^{' | grep -E '^ *(Test Files|Tests|Start at|Duration) |FAIL|failed' |
  tail -n 20 || true
printf 'npm ci && npm test: exit %d in %dm%02ds\n' "$status" $((seconds / 60)) $((seconds % 60))
[ "$status" = 0 ] || { echo "full log: $work/run.log (kept)"; KEEP=1; }
exit "$status"
