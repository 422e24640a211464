/**
 * The limits of what TradAI writes to and sends through, in one place. Inputs are bounded by them so a
 * caller gets a clear rejection naming the field, before anything is written, instead of the AWS SDK's
 * error after a partial write. Service quotas from the AWS documentation; TradAI's own bounds are chosen
 * inside them.
 */

/** SNS: a message with its attributes (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). */
export const SNS_MAX_MESSAGE_BYTES = 256 * 1024;
/** SNS: the subject of a message (characters). */
export const SNS_MAX_SUBJECT_LENGTH = 100;
/** SQS: a message body with its attributes. */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;
/** DynamoDB: one item, attribute names and values included. */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;
/** DynamoDB: a partition key value. */
export const DYNAMODB_MAX_PARTITION_KEY_BYTES = 2048;
/** S3: an object key (UTF-8 bytes). */
export const S3_MAX_KEY_BYTES = 1024;
/** ECS RunTask: the `overrides` structure, JSON formatting included (characters). */
export const ECS_MAX_OVERRIDES_BYTES = 8192;
/** ECS RunTask: `startedBy` (characters). */
export const ECS_MAX_STARTED_BY_LENGTH = 128;
/** Step Functions: an execution's input or a state's data. */
export const SFN_MAX_PAYLOAD_BYTES = 256 * 1024;
/** Step Functions: the `Cause` of a failure (characters). */
export const SFN_MAX_CAUSE_LENGTH = 32_768;
/** MLflow: a metric key (characters). */
export const MLFLOW_MAX_METRIC_KEY_LENGTH = 250;
/** Auto Scaling: a group name (characters). */
export const AUTOSCALING_MAX_GROUP_NAME_LENGTH = 255;

/** A job id (jobs table key, ECS `startedBy`, Step Functions execution input): well inside all three. */
export const JOB_ID_MAX_LENGTH = 128;
/** A reason stored on a job or sent in a notification (one line of text, a stop reason). */
export const REASON_MAX_BYTES = 4 * 1024;
/** How many reasons one notification carries. */
export const REASONS_MAX_COUNT = 20;
/** An error stored on a job or sent in a notification: a Step Functions cause fits. */
export const ERROR_MAX_BYTES = 4 * SFN_MAX_CAUSE_LENGTH;
/**
 * A backtest request (`JOB_REQUEST`): it travels in the backtest task's ECS overrides, next to the other
 * variables and the structure's own JSON, which all must fit {@link ECS_MAX_OVERRIDES_BYTES}.
 */
export const BACKTEST_REQUEST_MAX_BYTES = 6 * 1024;
/** Strategy parameters of one backtest. */
export const PARAMETERS_MAX_COUNT = 64;
/** A string parameter value. */
export const PARAMETER_VALUE_MAX_LENGTH = 256;
/** A strategy definition as stored (one strategies-table item, far inside DynamoDB's item limit). */
export const STRATEGY_MAX_BYTES = 64 * 1024;
/** Symbols, indicators or rules of one strategy. */
export const STRATEGY_LIST_MAX_LENGTH = 50;
/** Parameters of one indicator. */
export const INDICATOR_PARAMS_MAX_COUNT = 16;

/** UTF-8 size of a string. */
export const utf8Bytes = (value: string): number => new TextEncoder().encode(value).length;

/** UTF-8 size of a value serialised as JSON (what a queue, topic or table receives). */
export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value) ?? "");
