/**
 * Outputs of the foundation and compute layers for one environment, shaped like the offline plan's mocks
 * answer (names from `physicalName`, ARNs in the plan account). They stand in until those layers' programs
 * exist; each is validated against its layer contract by the tests.
 */
import { physicalName } from "@tradai/components";
import {
  type ComputeOutputs,
  ECS_SERVICE_NAMES,
  type Environment,
  type FoundationOutputs,
  LAMBDAS,
  SERVICE_IMAGES,
} from "@tradai/contracts";

const REGION = "eu-central-1";
const ACCOUNT = "123456789012";
const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;

function queue(env: Environment, logical: string): FoundationOutputs["queues"]["backtestJobs"] {
  const name = physicalName(env, logical);
  const dlqName = physicalName(env, `${logical}-dlq`);
  const url = (n: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${n}`;
  return {
    name,
    arn: arn("sqs", name),
    url: url(name),
    dlqName,
    dlqArn: arn("sqs", dlqName),
    dlqUrl: url(dlqName),
  };
}

export function foundationFixture(env: Environment): FoundationOutputs {
  const db = physicalName(env, "mlflow");
  return {
    network: {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      vpcCidr: "10.10.0.0/16",
      availabilityZones: [`${REGION}a`, `${REGION}b`],
      publicSubnetIds: ["subnet-0a", "subnet-0b"],
      privateSubnetIds: ["subnet-1a", "subnet-1b"],
      isolatedSubnetIds: ["subnet-2a", "subnet-2b"],
      privateRouteTableIds: ["rtb-1a", "rtb-1b"],
      natMode: "instance",
    },
    securityGroups: { alb: "sg-alb", services: "sg-services", lambdas: "sg-lambdas", database: "sg-db" },
    database: {
      instanceId: db,
      arn: arn("rds", `db:${db}`),
      address: `${db}.c0abcdef1234.${REGION}.rds.amazonaws.com`,
      port: 5432,
      dbName: "mlflow",
      masterSecretArn: arn("secretsmanager", `secret:rds!db-0a1b2c3d-AbCdEf`),
    },
    queues: { backtestJobs: queue(env, "backtest-jobs"), backtestResults: queue(env, "backtest-results") },
    topics: {
      alerts: { name: physicalName(env, "alerts"), arn: arn("sns", physicalName(env, "alerts")) },
      notifications: {
        name: physicalName(env, "notifications"),
        arn: arn("sns", physicalName(env, "notifications")),
      },
    },
  };
}

export function computeFixture(env: Environment): ComputeOutputs {
  const cluster = physicalName(env, "cluster");
  const alb = physicalName(env, "alb", { maxLength: 32 });
  const albSuffix = `app/${alb}/0a1b2c3d4e5f6071`;
  const tg = (logical: string) => {
    const name = physicalName(env, logical, { maxLength: 32 });
    return {
      arn: arn("elasticloadbalancing", `targetgroup/${name}/1a2b3c4d5e6f7081`),
      arnSuffix: `targetgroup/${name}/1a2b3c4d5e6f7081`,
    };
  };
  const digest = `sha256:${"ab".repeat(32)}`;
  const lambdas = LAMBDAS;
  const machine = physicalName(env, "retraining");
  return {
    cluster: { name: cluster, arn: arn("ecs", `cluster/${cluster}`) },
    namespace: { id: "ns-0a1b2c3d4e5f6071", name: `${env}.tradai.internal` },
    alb: {
      arn: arn("elasticloadbalancing", `loadbalancer/${albSuffix}`),
      arnSuffix: albSuffix,
      dnsName: `${alb}-1234567890.${REGION}.elb.amazonaws.com`,
      zoneId: "Z215JYRZR1TBD5",
      listenerArn: arn("elasticloadbalancing", `listener/${albSuffix}/2b3c4d5e6f708192`),
      protocol: env === "dev" ? "http" : "https",
      originHost:
        env === "dev" ? `${alb}-1234567890.${REGION}.elb.amazonaws.com` : `origin.${env}.tradai.example`,
      targetGroups: { backendApi: tg("backend-api"), mlflow: tg("mlflow") },
    },
    services: Object.fromEntries(ECS_SERVICE_NAMES.map((s) => [s, { name: physicalName(env, s) }])),
    functions: Object.fromEntries(
      lambdas.map((fn) => {
        const name = physicalName(env, fn);
        return [fn, { name, arn: arn("lambda", `function:${name}`) }];
      }),
    ),
    stateMachine: { name: machine, arn: arn("states", `stateMachine:${machine}`) },
    images: {
      base: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/tradai/${env}/lambda-base@${digest}`,
      lambdas: Object.fromEntries(
        lambdas.map((fn) => [
          fn,
          `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/tradai/${env}/lambda-${fn}@${digest}`,
        ]),
      ),
      services: Object.fromEntries(
        SERVICE_IMAGES.map((s) => [
          s,
          `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/tradai/${env}/${s}@${digest}`,
        ]),
      ) as ComputeOutputs["images"]["services"],
    },
  };
}
