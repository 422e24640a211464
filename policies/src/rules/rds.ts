/** RDS guardrails: never reachable from the internet, encrypted at rest, automated backups kept. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { Props } from "../props";
import { T } from "../types";

/** No publicly accessible RDS instance (standalone or in a cluster). */
export const rdsNotPublic: ResourceValidationPolicy = {
  name: "rds-not-publicly-accessible",
  description: "RDS instances must not be publicly accessible.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.rdsInstance && args.type !== T.rdsClusterInstance) return;
    const props: Props = args.props;
    if (props.publiclyAccessible === true) {
      reportViolation(
        `RDS instance "${args.name}" must not be publicly accessible (publiclyAccessible: true).`,
      );
    }
  },
};

/** Storage encryption on instances and clusters. */
export const rdsStorageEncrypted: ResourceValidationPolicy = {
  name: "rds-storage-encrypted",
  description: "RDS instances and clusters must encrypt their storage.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const kind =
      args.type === T.rdsInstance ? "RDS instance" : args.type === T.rdsCluster ? "RDS cluster" : "";
    if (!kind) return;
    const props: Props = args.props;
    if (props.storageEncrypted !== true) {
      reportViolation(`${kind} "${args.name}" must set storageEncrypted: true.`);
    }
  },
};

/** Automated backups on standalone instances (clusters cannot turn them off). */
export const rdsBackupRetention: ResourceValidationPolicy = {
  name: "rds-backup-retention",
  description: "RDS instances must keep automated backups (backupRetentionPeriod of at least 1 day).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.rdsInstance) return;
    const props: Props = args.props;
    // A read replica's backups belong to its source.
    if (props.replicateSourceDb !== undefined) return;
    const days = props.backupRetentionPeriod;
    if (typeof days !== "number" || days < 1) {
      const got = days === undefined ? "it is not set" : `got ${JSON.stringify(days)}`;
      reportViolation(
        `RDS instance "${args.name}" must set backupRetentionPeriod to at least 1 day (${got}).`,
      );
    }
  },
};
