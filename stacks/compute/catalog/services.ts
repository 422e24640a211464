/**
 * The ECS services (spec section 6): image, port, mode, what each may do. Ports match the security
 * groups of the foundation layer.
 */
import * as pulumi from "@pulumi/pulumi";
import { API_ACCESS, type ContainerSecrets, type PolicyStatement } from "@tradai/components";
import {
  type EcsServiceName,
  type Environment,
  type FoundationOutputs,
  type LaunchVariable,
  MLFLOW_PATH_PREFIX,
  type MLFLOW_SECRET_VARIABLES,
  mlflowTrackingUri,
  type PersistentOutputs,
  SERVICE_PORTS,
  type ServiceEnvInput,
  type ServiceEnvName,
  type ServiceImage,
} from "@tradai/contracts";

export interface ServiceRefs {
  env: Environment;
  persistent: pulumi.Output<PersistentOutputs>;
  foundation: pulumi.Output<FoundationOutputs>;
  /** Cloud Map namespace name, e.g. `tradai-dev.internal`. */
  namespace: string;
  /** The ALB's DNS name (a Host header MLflow must accept). */
  albDnsName: pulumi.Output<string>;
  region: string;
  accountId: pulumi.Output<string>;
  /** Physical name of the validate-strategy function the backend checks strategies with. */
  validateStrategyFunctionName: string;
  /** The registered model the trading services trade (their live drawdown is published for it). */
  tradingModel: string;
  /** Quote currency amount each live entry buys (compute config `liveOrderQuoteAmount`). */
  liveOrderQuoteAmount: number;
}

/** Set on every task by this catalog, whether or not its code reads them. */
type CommonKey = "ENVIRONMENT" | "AWS_REGION" | "LOG_LEVEL" | "SERVICE_NAME" | "SERVICE_VERSION";

/**
 * What may be wired to a variable: the strings the schema accepts when it accepts only some (`MODE`,
 * `LOG_LEVEL`), any string otherwise (coerced numbers, URLs, names).
 */
type Wired<T> = [Exclude<T, undefined>] extends [string]
  ? string extends Exclude<T, undefined>
    ? string
    : Exclude<T, undefined>
  : string;

/**
 * The environment of task definition `N`, from its schema's input (@tradai/contracts `SERVICE_ENV`):
 * every variable the code requires, except those its launcher sets per run (`TASK_LAUNCH_VARIABLES`).
 */
export type TaskEnvironment<N extends ServiceEnvName> = {
  [K in keyof Omit<ServiceEnvInput<N>, LaunchVariable<N>>]: pulumi.Input<
    Wired<Omit<ServiceEnvInput<N>, LaunchVariable<N>>[K]>
  >;
} & {
  [K in LaunchVariable<N> & keyof ServiceEnvInput<N>]?: pulumi.Input<Wired<ServiceEnvInput<N>[K]>>;
} & Partial<Record<CommonKey, pulumi.Input<string>>>;

/**
 * The environment wired to task definition `N`: every variable its code requires (less the launcher's),
 * only values its schema accepts where it names them (`MODE`), and nothing the code does not read
 * (except the catalog's common variables), checked at compile time.
 */
export function serviceEnvironment<N extends ServiceEnvName, const E extends TaskEnvironment<N>>(
  _name: N,
  environment: E & Record<Exclude<keyof E, keyof ServiceEnvInput<N> | CommonKey>, never>,
): Record<string, pulumi.Input<string>> {
  return environment;
}

export interface ServiceSpec {
  image: ServiceImage;
  port?: number;
  cpu: number;
  memory: number;
  environment: Record<string, pulumi.Input<string>>;
  secrets?: ContainerSecrets;
  secretArns?: pulumi.Input<string>[];
  permissions: PolicyStatement[];
  /** Load balancer target key (backendApi, mlflow). */
  target?: "backendApi" | "mlflow";
  /** Critical services stay on on-demand Fargate. */
  spotEligible: boolean;
  /** At most one task may ever run (deployed stop-before-start): the trading services. @default false */
  singleton?: boolean;
  /**
   * A secret injected at task start that rotates on its own: each successful rotation forces a new
   * deployment, so the tasks never keep a revoked credential. @default none
   */
  redeployOnRotation?: pulumi.Input<string>;
  healthCheck?: string[];
}

const nodeHealth = (port: number) => [
  "CMD",
  "node",
  "-e",
  `fetch('http://127.0.0.1:${port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
];

export function serviceCatalog(r: ServiceRefs): Record<EcsServiceName, ServiceSpec> {
  const p = r.persistent;
  const f = r.foundation;
  const common = { ENVIRONMENT: r.env, AWS_REGION: r.region, LOG_LEVEL: "info" as const };
  const table = (sid: string, actions: string[], arn: pulumi.Output<string>): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Action: actions.map((a) => `dynamodb:${a}`),
    Resource: arn,
  });
  const marketData = p.buckets.marketData.arn;
  const artifacts = p.buckets.artifacts.arn;
  // Created by operators (never in config or state): `tradai infra` docs, "live trading credentials".
  const exchangeSecret = pulumi.interpolate`arn:aws:secretsmanager:${r.region}:${r.accountId}:secret:tradai/${r.env}/exchange-credentials`;
  const tradingEnvironment = {
    // The trading loop decides on stored candles (the ReadCandles grant below).
    MARKET_DATA_BUCKET: p.buckets.marketData.name,
    HEARTBEATS_TABLE: p.tables.heartbeats.name,
    HEARTBEAT_INTERVAL_SECONDS: "30",
    TRADING_MODEL_NAME: r.tradingModel,
    LEASES_TABLE: p.tables.tradingLeases.name,
  };
  const trading = (mode: "dry-run" | "live"): ServiceSpec => ({
    image: "strategy-service",
    cpu: 256,
    memory: 512,
    environment:
      mode === "live"
        ? serviceEnvironment("live-trading", {
            ...common,
            MODE: "live",
            ...tradingEnvironment,
            EXCHANGE_CREDENTIALS_SECRET_ARN: `tradai/${r.env}/exchange-credentials`,
            TRADING_ORDER_QUOTE_AMOUNT: String(r.liveOrderQuoteAmount),
          })
        : serviceEnvironment("dry-run-trading", { ...common, MODE: "dry-run", ...tradingEnvironment }),
    permissions: [
      // The heartbeat is one PutItem per tick (pnpm iam:check found no other write).
      table("Heartbeats", ["PutItem"], p.tables.heartbeats.arn),
      // Take/renew (conditional UpdateItem) and release (conditional DeleteItem) the trading lease.
      table("TradingLease", ["UpdateItem", "DeleteItem"], p.tables.tradingLeases.arn),
      // A day without candles must read as 404 (NoSuchKey), which S3 answers only to a caller that may
      // list the bucket; otherwise 403 stops the loop (found by pnpm iam:check).
      { Sid: "ListCandles", Effect: "Allow", Action: "s3:ListBucket", Resource: marketData },
      {
        // LiveDrawdown: model-rollback's alarm metric.
        Sid: "PutTradaiMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "TradAI" } },
      },
      {
        Sid: "ReadCandles",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: pulumi.interpolate`${marketData}/*`,
      },
      ...(mode === "live"
        ? [
            {
              Sid: "ExchangeCredentials",
              Effect: "Allow" as const,
              Action: "secretsmanager:GetSecretValue",
              // Secrets Manager appends a random suffix to the name.
              Resource: pulumi.interpolate`${exchangeSecret}-*`,
            },
          ]
        : []),
    ],
    spotEligible: false,
    // Two traders would both place orders: never run old and new tasks together.
    singleton: true,
  });

  return {
    "backend-api": {
      image: "backend",
      port: SERVICE_PORTS.backend,
      cpu: 512,
      memory: 1024,
      target: "backendApi",
      environment: serviceEnvironment("backend-api", {
        ...common,
        PORT: String(SERVICE_PORTS.backend),
        JOBS_TABLE: p.tables.jobs.name,
        STRATEGIES_TABLE: p.tables.strategies.name,
        BACKTEST_JOBS_QUEUE_URL: f.queues.backtestJobs.url,
        COGNITO_USER_POOL_ID: p.cognito.userPoolId,
        COGNITO_CLIENT_IDS: p.cognito.clientId,
        // The token the API Gateway authorizer lets through; the backend verifies the same kind.
        COGNITO_TOKEN_USE: API_ACCESS.tokenUse,
        COGNITO_REQUIRED_SCOPES: API_ACCESS.scopes.join(","),
        VALIDATE_STRATEGY_FUNCTION: r.validateStrategyFunctionName,
      }),
      permissions: [
        // DescribeTable: /ready checks the tables it depends on.
        table("Jobs", ["GetItem", "PutItem", "DeleteItem", "DescribeTable"], p.tables.jobs.arn),
        table(
          "Strategies",
          ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Scan", "DescribeTable"],
          p.tables.strategies.arn,
        ),
        {
          Sid: "SubmitBacktests",
          Effect: "Allow",
          Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"],
          Resource: f.queues.backtestJobs.arn,
        },
        {
          // Strategies entering through the API (stored, or named by a backtest) are validated by it.
          Sid: "ValidateStrategies",
          Effect: "Allow",
          Action: "lambda:InvokeFunction",
          Resource: pulumi.interpolate`arn:aws:lambda:${r.region}:${r.accountId}:function:${r.validateStrategyFunctionName}`,
        },
      ],
      spotEligible: true,
      healthCheck: nodeHealth(SERVICE_PORTS.backend),
    },
    "data-collection": {
      image: "data-collection",
      port: SERVICE_PORTS["data-collection"],
      cpu: 512,
      memory: 1024,
      environment: serviceEnvironment("data-collection", {
        ...common,
        PORT: String(SERVICE_PORTS["data-collection"]),
        MARKET_DATA_BUCKET: p.buckets.marketData.name,
      }),
      permissions: [
        { Sid: "ListCandles", Effect: "Allow", Action: "s3:ListBucket", Resource: marketData },
        {
          Sid: "WriteCandles",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: pulumi.interpolate`${marketData}/ohlcv/*`,
        },
      ],
      spotEligible: true,
      healthCheck: nodeHealth(SERVICE_PORTS["data-collection"]),
    },
    "strategy-service": {
      image: "strategy-service",
      port: SERVICE_PORTS["strategy-service"],
      cpu: 512,
      memory: 1024,
      environment: serviceEnvironment("strategy-service", {
        ...common,
        MODE: "api",
        PORT: String(SERVICE_PORTS["strategy-service"]),
        MARKET_DATA_BUCKET: p.buckets.marketData.name,
      }),
      permissions: [
        { Sid: "ListCandles", Effect: "Allow", Action: "s3:ListBucket", Resource: marketData },
        {
          Sid: "ReadCandles",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: pulumi.interpolate`${marketData}/*`,
        },
      ],
      spotEligible: true,
      healthCheck: nodeHealth(SERVICE_PORTS["strategy-service"]),
    },
    mlflow: {
      image: "mlflow",
      port: SERVICE_PORTS.mlflow,
      cpu: 512,
      memory: 1024,
      target: "mlflow",
      environment: serviceEnvironment("mlflow", {
        ...common,
        DB_HOST: f.database.address,
        DB_PORT: f.database.port.apply(String),
        DB_NAME: f.database.dbName,
        ARTIFACTS_BUCKET: p.buckets.artifacts.name,
        MLFLOW_STATIC_PREFIX: MLFLOW_PATH_PREFIX,
        MLFLOW_ALLOWED_HOSTS: pulumi.interpolate`mlflow.${r.namespace},mlflow.${r.namespace}:${SERVICE_PORTS.mlflow},${r.albDnsName}`,
      }),
      // The entrypoint builds the database URI from these (ECS injects them at task start).
      secrets: {
        DB_USERNAME: pulumi.interpolate`${f.database.masterSecretArn}:username::`,
        DB_PASSWORD: pulumi.interpolate`${f.database.masterSecretArn}:password::`,
      } satisfies Record<(typeof MLFLOW_SECRET_VARIABLES)[number], pulumi.Input<string>>,
      secretArns: [f.database.masterSecretArn],
      // RDS rotates the managed master password (every 7 days); MLflow reads it only at start.
      redeployOnRotation: f.database.masterSecretArn,
      permissions: [
        { Sid: "ListArtifacts", Effect: "Allow", Action: "s3:ListBucket", Resource: artifacts },
        {
          Sid: "Artifacts",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: pulumi.interpolate`${artifacts}/mlflow/*`,
        },
      ],
      spotEligible: false,
      healthCheck: [
        "CMD",
        "python",
        "-c",
        `import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${SERVICE_PORTS.mlflow}${MLFLOW_PATH_PREFIX}/health').status==200 else 1)`,
      ],
    },
    "dry-run-trading": trading("dry-run"),
    "live-trading": trading("live"),
  };
}

/** The one-off strategy-service tasks: backtests (started by sqs-consumer) and training (Step Functions). */
export function taskCatalog(r: ServiceRefs): Record<"backtest" | "training", ServiceSpec> {
  const p = r.persistent;
  const f = r.foundation;
  const common = { ENVIRONMENT: r.env, AWS_REGION: r.region, LOG_LEVEL: "info" as const };
  const marketData = p.buckets.marketData.arn;
  const artifacts = p.buckets.artifacts.arn;
  const readCandles: PolicyStatement[] = [
    { Sid: "ListCandles", Effect: "Allow", Action: "s3:ListBucket", Resource: marketData },
    {
      Sid: "ReadCandles",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: pulumi.interpolate`${marketData}/*`,
    },
  ];
  return {
    backtest: {
      image: "strategy-service",
      cpu: 1024,
      memory: 2048,
      // JOB_ID and JOB_REQUEST: sqs-consumer's RunTask overrides, per job.
      environment: serviceEnvironment("backtest", {
        ...common,
        MODE: "backtest",
        MARKET_DATA_BUCKET: p.buckets.marketData.name,
        ARTIFACTS_BUCKET: p.buckets.artifacts.name,
        BACKTEST_RESULTS_QUEUE_URL: f.queues.backtestResults.url,
        // Jobs may name a rule-based strategy stored through the backend.
        STRATEGIES_TABLE: p.tables.strategies.name,
      }),
      permissions: [
        ...readCandles,
        {
          Sid: "ReadStrategies",
          Effect: "Allow",
          Action: "dynamodb:GetItem",
          Resource: p.tables.strategies.arn,
        },
        {
          Sid: "WriteResults",
          Effect: "Allow",
          Action: "s3:PutObject",
          Resource: pulumi.interpolate`${artifacts}/backtests/*`,
        },
        {
          Sid: "SendResults",
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: f.queues.backtestResults.arn,
        },
      ],
      spotEligible: true,
    },
    training: {
      image: "strategy-service",
      cpu: 2048,
      memory: 4096,
      // MODEL_NAME and JOB_ID: the retraining workflow's RunTask overrides, per run.
      environment: serviceEnvironment("training", {
        ...common,
        MODE: "training",
        MARKET_DATA_BUCKET: p.buckets.marketData.name,
        MLFLOW_TRACKING_URI: mlflowTrackingUri(r.namespace),
      }),
      permissions: readCandles,
      spotEligible: false,
    },
  };
}
