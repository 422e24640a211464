/**
 * The parts of MLflow's REST responses (API 2.0, protobuf JSON) the model Lambdas read. Protobuf JSON
 * omits empty fields, so lists default to empty; int64 fields may arrive as strings and doubles as
 * "NaN"/"Infinity", so both are accepted and coerced.
 */
import * as z from "zod";

/** An int64 from protobuf JSON: a number or a decimal string. */
const Int64 = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((value) => Number(value));

/** A double from protobuf JSON: a number or one of the special values protobuf spells as strings. */
const Double = z
  .union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])])
  .transform((value) => Number(value));

const Tag = z.object({ key: z.string(), value: z.string().default("") });

/** `[{ key, value }]` as a plain record. */
const Tags = z
  .array(Tag)
  .default([])
  .transform((tags) => Object.fromEntries(tags.map((t) => [t.key, t.value])));

export const ModelVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: Int64,
  last_updated_timestamp: Int64.optional(),
  current_stage: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  tags: Tags,
  aliases: z.array(z.string()).default([]),
});

/** A model version: `creationTimestamp` is epoch milliseconds; `runId` is absent for versions not from a run. */
export interface ModelVersion {
  name: string;
  version: string;
  creationTimestamp: number;
  runId: string | undefined;
  source: string | undefined;
  status: string | undefined;
  tags: Record<string, string>;
  aliases: string[];
}

export const RegisteredModelSchema = z.object({
  name: z.string(),
  creation_timestamp: Int64,
  last_updated_timestamp: Int64.optional(),
  description: z.string().optional(),
  tags: Tags,
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).default([]),
});

export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  /** alias -> version */
  aliases: Record<string, string>;
  tags: Record<string, string>;
}

const Metric = z.object({
  key: z.string(),
  value: Double,
  timestamp: Int64.optional(),
  step: Int64.optional(),
});

export const RunSchema = z.object({
  info: z.object({
    run_id: z.string(),
    experiment_id: z.string(),
    status: z.string().optional(),
    start_time: Int64.optional(),
    end_time: Int64.optional(),
  }),
  data: z
    .object({
      metrics: z.array(Metric).default([]),
      params: z.array(Tag).default([]),
      tags: z.array(Tag).default([]),
    })
    .default({ metrics: [], params: [], tags: [] }),
});

export interface Run {
  runId: string;
  experimentId: string;
  status: string | undefined;
  /** The latest value of each metric (MLflow's run view holds the last logged value per key). */
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/** MLflow's error body: `{ error_code, message }`. */
export const ErrorBodySchema = z.object({ error_code: z.string(), message: z.string().default("") });

export function toModelVersion(raw: z.output<typeof ModelVersionSchema>): ModelVersion {
  return {
    name: raw.name,
    version: raw.version,
    creationTimestamp: raw.creation_timestamp,
    runId: raw.run_id || undefined,
    source: raw.source,
    status: raw.status,
    tags: raw.tags,
    aliases: raw.aliases,
  };
}

export function toRegisteredModel(raw: z.output<typeof RegisteredModelSchema>): RegisteredModel {
  return {
    name: raw.name,
    creationTimestamp: raw.creation_timestamp,
    aliases: Object.fromEntries(raw.aliases.map((a) => [a.alias, a.version])),
    tags: raw.tags,
  };
}

export function toRun(raw: z.output<typeof RunSchema>): Run {
  return {
    runId: raw.info.run_id,
    experimentId: raw.info.experiment_id,
    status: raw.info.status,
    metrics: Object.fromEntries(raw.data.metrics.map((m) => [m.key, m.value])),
    params: Object.fromEntries(raw.data.params.map((p) => [p.key, p.value])),
    tags: Object.fromEntries(raw.data.tags.map((t) => [t.key, t.value])),
  };
}
