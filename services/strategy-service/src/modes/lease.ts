/**
 * The trading lease: one item per trading service in the leases table (`leaseId` = the service id). An
 * instance places orders only while it holds the lease, so two instances of one trading service (a
 * deployment overlap, a task that hangs while its replacement starts) never both trade.
 *
 * Every write is conditional: an instance takes the lease only when nobody holds it, its holder's lease
 * expired, or it is already the holder (renewal). The lease is renewed on every tick of the trading loop
 * (with the heartbeat) and released on a graceful stop, so the next instance takes over at once; a holder
 * that dies without releasing is replaced once its lease expires.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";

/** The item, as stored. `expiresAt` (epoch seconds) is the table's TTL attribute and only cleans up. */
export interface LeaseItem {
  leaseId: string;
  holder: string;
  /** Epoch milliseconds after which another instance may take the lease. */
  leaseUntil: number;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: number;
}

/** The outcome of an attempt to take or renew the lease. */
export type LeaseState =
  | { held: true; until: Date }
  | { held: false; holder: string | undefined; until: Date | undefined };

export interface TradingLeaseOptions {
  table: string;
  /** The service id: one lease per trading service. */
  leaseId: string;
  /** This instance (unique per process). */
  holder: string;
  /** How long a lease lasts without renewal. Must exceed the loop interval. */
  durationMs: number;
}

/** TTL cleanup of a released-by-expiry item, well after it stopped mattering. */
const CLEANUP_AFTER_SECONDS = 86_400;

export class TradingLease {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly options: TradingLeaseOptions,
  ) {}

  get holder(): string {
    return this.options.holder;
  }

  /** Takes or renews the lease at `now`. Throws only when DynamoDB itself fails. */
  async acquire(now: Date): Promise<LeaseState> {
    const { table, leaseId, holder, durationMs } = this.options;
    const until = now.getTime() + durationMs;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: table,
          Key: { leaseId },
          UpdateExpression:
            "SET holder = :me, leaseUntil = :until, renewedAt = :now, expiresAt = :ttl, " +
            "acquiredAt = if_not_exists(acquiredAt, :now)",
          ConditionExpression: "attribute_not_exists(leaseId) OR holder = :me OR leaseUntil <= :nowMs",
          ExpressionAttributeValues: {
            ":me": holder,
            ":until": until,
            ":now": now.toISOString(),
            ":nowMs": now.getTime(),
            ":ttl": Math.floor(until / 1000) + CLEANUP_AFTER_SECONDS,
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { held: true, until: new Date(until) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = error.Item as { holder?: { S?: string }; leaseUntil?: { N?: string } } | undefined;
      const currentUntil = current?.leaseUntil?.N;
      return {
        held: false,
        holder: current?.holder?.S,
        until: currentUntil === undefined ? undefined : new Date(Number(currentUntil)),
      };
    }
  }

  /** Gives the lease up if this instance holds it (a graceful stop), so the next instance need not wait. */
  async release(): Promise<boolean> {
    const { table, leaseId, holder } = this.options;
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: table,
          Key: { leaseId },
          ConditionExpression: "holder = :me",
          ExpressionAttributeValues: { ":me": holder },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
