#!/usr/bin/env bash
# Regenerates testing/requirements.lock and testing/tools.lock from testing/requirements.txt and
# testing/tools.txt: every package pinned with the hashes of every wheel the index has for that version (so
# the lock installs on any platform; the tests install it with --require-hashes --no-deps, wheels only).
# The resolver is uv (pinned) in a throwaway virtualenv; versions already in a lock are kept unless
# --upgrade is passed.
#   testing/scripts/lock.sh [--upgrade]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION=0.13.8
# MLflow's and moto's dependencies that the test servers never import: MLflow's model flavours and
# plotting (the tracking server with a sqlite store needs numpy and pandas, not scikit-learn or pyarrow),
# and moto's CloudFormation linter and X-Ray SDK (no test uses CloudFormation or X-Ray). Leaving them out
# halves the virtualenv. testing/test/python-env.test.ts starts both servers from the result.
UNUSED=(
  scipy scikit-learn joblib threadpoolctl narwhals skops prettytable wcwidth
  pyarrow matplotlib contourpy cycler fonttools kiwisolver pillow
  cfn-lint sympy mpmath networkx regex jsonpatch jsonpointer aws-xray-sdk wrapt
)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"

compile() {
  local input="$1" output="$2"
  shift 2
  "$tmp/venv/bin/uv" pip compile "$input" --output-file "$output" --universal --python-version 3.11 \
    --only-binary :all: --generate-hashes --no-header --quiet "$@"
}

exclude=()
for name in "${UNUSED[@]}"; do exclude+=(--no-emit-package "$name"); done
compile requirements.txt requirements.lock "${exclude[@]}" "$@"
compile tools.txt tools.lock "$@"
echo "lock.sh: wrote testing/requirements.lock and testing/tools.lock" >&2
