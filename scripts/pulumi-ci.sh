#!/usr/bin/env bash
# Pulumi for CI (spec section 5.3): preview or deploy one layer, or all four in order, non-interactively,
# with the policy pack.
#
#   scripts/pulumi-ci.sh <persistent|foundation|compute|edge|all> <dev|staging|prod> <preview|up> [s3-backend-url]
#
# Required environment:
#   S3_PULUMI_BACKEND_URL      state backend (s3://...), unless given as the 4th argument
#   PULUMI_CONFIG_PASSPHRASE   only for stacks on the passphrase secrets provider (their
#                              stacks/<layer>/Pulumi.<stack>.yaml carries an encryptionsalt); stacks on
#                              bootstrap's awskms:// provider (the default) decrypt with the AWS credentials
#   AWS credentials            AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for a role
#                              session, as aws-actions/configure-aws-credentials exports them), or
#                              AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
#   AWS_REGION                 optional, default eu-central-1
# Exit codes: 2 = bad arguments, 1 = missing environment or a failed Pulumi command.
set -euo pipefail

readonly LAYERS=(persistent foundation compute edge)
readonly ENVIRONMENTS=(dev staging prod)

usage() {
  cat >&2 <<USAGE
usage: $(basename "$0") <layer|all> <stack> <preview|up> [s3-backend-url]
  layer           persistent, foundation, compute, edge, or all (in that order)
  stack           dev, staging or prod
  command         preview or up
  s3-backend-url  Pulumi state backend, default \$S3_PULUMI_BACKEND_URL
USAGE
  exit 2
}

# contains <value> <choice>...: true when value is one of the choices.
contains() {
  local value="$1" choice
  shift
  for choice in "$@"; do
    [ "$choice" = "$value" ] && return 0
  done
  return 1
}

if [ "$#" -lt 3 ] || [ "$#" -gt 4 ]; then usage; fi
layer="$1"
stack="$2"
command="$3"
backend="${4:-${S3_PULUMI_BACKEND_URL:-}}"

if [ "$layer" != "all" ] && ! contains "$layer" "${LAYERS[@]}"; then
  echo "error: unknown layer '$layer'" >&2
  usage
fi
contains "$stack" "${ENVIRONMENTS[@]}" || { echo "error: unknown stack '$stack'" >&2; usage; }
contains "$command" preview up || { echo "error: unknown command '$command'" >&2; usage; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$layer" = "all" ]; then
  targets=("${LAYERS[@]}")
else
  targets=("$layer")
fi

# uses_passphrase <layer>: true when the layer's stack is on the passphrase secrets provider.
uses_passphrase() {
  grep -q '^encryptionsalt:' "$root/stacks/$1/Pulumi.$stack.yaml" 2>/dev/null
}

missing=()
passphrase_stacks=()
for target in "${targets[@]}"; do
  if uses_passphrase "$target"; then passphrase_stacks+=("$target"); fi
done
if [ "${#passphrase_stacks[@]}" -gt 0 ] && [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ]; then
  missing+=("PULUMI_CONFIG_PASSPHRASE (the $stack stack of ${passphrase_stacks[*]} uses the passphrase secrets provider)")
fi
[ -n "$backend" ] || missing+=("S3_PULUMI_BACKEND_URL (or the s3-backend-url argument)")
if ! { [ -n "${AWS_ACCESS_KEY_ID:-}" ] && [ -n "${AWS_SECRET_ACCESS_KEY:-}" ]; } &&
  ! { [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ] && [ -n "${AWS_ROLE_ARN:-}" ]; }; then
  missing+=("AWS credentials (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "error: missing required environment:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

export AWS_REGION="${AWS_REGION:-eu-central-1}"
cd "$root"

pulumi login "$backend"

# The compute program bundles every Lambda and service from source itself (no build step here), and its
# images pin provenance off (docker-build's embedded buildx); this only keeps a host buildx binary's
# default attestations off too, should anything run one.
export BUILDX_NO_DEFAULT_ATTESTATIONS=1

for target in "${targets[@]}"; do
  echo "::group::pulumi $command $target ($stack)"
  args=("$command" --stack "$stack" --cwd "stacks/$target" --non-interactive --policy-pack "$root/policies")
  [ "$command" = "up" ] && args+=(--yes)
  pulumi "${args[@]}"
  echo "::endgroup::"
done
