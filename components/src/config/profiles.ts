/**
 * What differs between environments when a stack's config says nothing. Each layer's config schema takes
 * its defaults from here and programs read only the validated config (`ctx.config`), never this table.
 * Every `Pulumi.<env>.yaml` states these values, and components/test/config-environments.test.ts requires
 * what it states to agree with the default here.
 */
import type { Environment } from "@tradai/contracts";

export interface EnvironmentProfile {
  /** Deletion protection, `protect` and retain-on-delete on data resources. */
  protectData: boolean;
  /** CloudWatch log retention in days. */
  logRetentionDays: number;
  /** Availability zones the network spans. */
  azCount: number;
  /** VPC CIDR block (distinct per environment so they can be peered later). */
  vpcCidr: string;
}

export const PROFILES: Record<Environment, EnvironmentProfile> = {
  dev: { protectData: false, logRetentionDays: 14, azCount: 2, vpcCidr: "10.10.0.0/16" },
  staging: { protectData: false, logRetentionDays: 30, azCount: 3, vpcCidr: "10.20.0.0/16" },
  prod: { protectData: true, logRetentionDays: 90, azCount: 3, vpcCidr: "10.30.0.0/16" },
};
