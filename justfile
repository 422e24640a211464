# The spec's `just` recipes (docs/commands.md), each a one-line delegation to the tradai CLI.
# `stack`/`env` is dev, staging or prod; recipes that had no environment in the spec default to dev.

default:
    @just --list

# --- Lambdas (spec 4.2) ---

lambda-build-wheel:
    pnpm tradai libs build
lambda-build-base env="dev":
    pnpm tradai lambda build base --env {{env}}
lambda-build name env="dev":
    pnpm tradai lambda build {{name}} --env {{env}}
lambda-build-all env="dev":
    pnpm tradai lambda build --env {{env}}
lambda-ecr-login env="dev":
    pnpm tradai ecr login {{env}}
lambda-push-base env="dev":
    pnpm tradai lambda push base --env {{env}}
lambda-push name env="dev":
    pnpm tradai lambda push {{name}} --env {{env}}
lambda-push-all env="dev":
    pnpm tradai lambda push --env {{env}}
lambda-bootstrap env="dev":
    pnpm tradai lambda push --env {{env}}
lambda-check-images env="dev":
    pnpm tradai lambda check-images {{env}}
lambda-list:
    pnpm tradai lambda list

# --- Infrastructure (spec 5.2) ---

infra-setup:
    pnpm tradai infra setup
infra-bootstrap stack:
    pnpm tradai infra bootstrap {{stack}}
infra-up-persistent stack:
    pnpm tradai infra up persistent {{stack}}
infra-up-foundation stack:
    pnpm tradai infra up foundation {{stack}}
infra-up-compute stack:
    pnpm tradai infra up compute {{stack}}
infra-up-edge stack:
    pnpm tradai infra up edge {{stack}}
infra-preview stack:
    pnpm tradai infra preview {{stack}}
infra-preview-persistent stack:
    pnpm tradai infra preview persistent {{stack}}
infra-preview-foundation stack:
    pnpm tradai infra preview foundation {{stack}}
infra-preview-compute stack:
    pnpm tradai infra preview compute {{stack}}
infra-preview-edge stack:
    pnpm tradai infra preview edge {{stack}}
infra-down-soft stack:
    pnpm tradai infra down soft {{stack}}
infra-down-all stack:
    pnpm tradai infra down all {{stack}}
infra-down-persistent stack:
    pnpm tradai infra down persistent {{stack}}
infra-outputs layer stack:
    pnpm tradai infra outputs {{layer}} {{stack}}
infra-refresh layer stack:
    pnpm tradai infra refresh {{layer}} {{stack}}
infra-recover layer stack:
    pnpm tradai infra recover {{layer}} {{stack}}
infra-stack-init layer stack:
    pnpm tradai infra stack-init {{layer}} {{stack}}
infra-verify-account stack="":
    pnpm tradai infra verify-account {{stack}}
infra-test:
    pnpm tradai infra test
infra-lint:
    pnpm tradai infra lint
infra-check:
    pnpm tradai infra check
infra-typecheck:
    pnpm tradai infra typecheck

# --- Service containers (spec 6) ---

docker-build env="dev":
    pnpm tradai service build --env {{env}}
docker-build-service service env="dev":
    pnpm tradai service build {{service}} --env {{env}}
service-push-all env="dev":
    pnpm tradai service push --env {{env}}
service-push service env="dev":
    pnpm tradai service push {{service}} --env {{env}}
service-check-images env="dev":
    pnpm tradai service check-images {{env}}
images-check env="dev":
    pnpm tradai images check {{env}}
ecs-force-deploy-all env="dev":
    pnpm tradai ecs force-deploy-all {{env}}
ecs-force-deploy service env="dev":
    pnpm tradai ecs force-deploy {{service}} {{env}}
ecs-status env="dev":
    pnpm tradai ecs status {{env}}
ecs-events service env="dev":
    pnpm tradai ecs events {{service}} {{env}}

# --- Libraries (spec 7) ---

codeartifact-login env:
    pnpm tradai libs codeartifact-login {{env}}
build-libs:
    pnpm tradai libs build
publish-strategy env:
    pnpm tradai libs publish @tradai/lambda-common {{env}}
publish-all-libs env:
    pnpm tradai libs publish-all {{env}}
