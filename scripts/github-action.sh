#!/usr/bin/env bash
# The `breakwater check` step of action.yml. GitHub Actions runs it in the `working-directory` input, with the
# inputs in INPUT_* variables (never pasted into the script, so no input can inject shell code). It runs the
# workspace's own Breakwater (node_modules/.bin/breakwater) when there is one, otherwise `npx breakwater@<version>`.
# It always exits 0 once Breakwater has run: the exit code goes to the step's `exit-code` output, so the SARIF upload
# runs after findings too, and the action's last step exits with it.
set -uo pipefail
set -f # paths and arguments are words, never globs

paths=(${INPUT_PATHS:-.})
extra=(${INPUT_ARGS:-})

if [ -x node_modules/.bin/breakwater ]; then
  breakwater=(node_modules/.bin/breakwater)
else
  version="${INPUT_VERSION:-}"
  if [ -z "$version" ]; then version="$(node -p 'require(process.argv[1]).version' "$GITHUB_ACTION_PATH/package.json")"; fi
  breakwater=(npx --yes "breakwater@$version")
fi

shared=()
if [ -n "${INPUT_CONFIG:-}" ]; then shared+=(--config "$INPUT_CONFIG"); fi
if [ -n "${INPUT_SUPPRESSIONS_FILE:-}" ]; then shared+=(--suppressions-location "$INPUT_SUPPRESSIONS_FILE"); fi
shared+=("${extra[@]}")

if [ "${INPUT_UPLOAD_SARIF:-false}" = true ]; then
  sarif="${INPUT_SARIF_FILE:-breakwater.sarif}"
  "${breakwater[@]}" check "${paths[@]}" --format sarif --output "$sarif" "${shared[@]}"
  status=$?
  # 0 and 1 wrote a log; 2 is a usage, config or internal error, which the main run below reports too.
  if [ "$status" -le 1 ]; then echo "sarif-file=$PWD/$sarif" >> "$GITHUB_OUTPUT"; fi
fi

main=(--format "${INPUT_FORMAT:-github}" --max-warnings "${INPUT_MAX_WARNINGS:--1}")
if [ -n "${INPUT_OUTPUT:-}" ]; then main+=(--output "$INPUT_OUTPUT"); fi
"${breakwater[@]}" check "${paths[@]}" "${main[@]}" "${shared[@]}"
echo "exit-code=$?" >> "$GITHUB_OUTPUT"
