/**
 * The code the platform runs on this machine: exactly what the images ship. Every Lambda runs its
 * `lambdas/<key>/dist/index.js` and every Node service its `services/<name>/dist/main.js`, bundled from
 * the checkout by the same function (and with the same options) that bundles them for `pulumi up`
 * (`@tradai/components/lambda-bundle`, content-cached: a warm start only hashes the sources). So a flow
 * that passes here passed through the deployed bytes: a module esbuild cannot bundle, or a file a handler
 * reads beside its source, fails here as it would in AWS. Bundles also start faster than the sources under a
 * TypeScript loader did: a service in a third of the CPU, a function environment in a tenth.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  type BundleSpec,
  ensureBundles,
  lambdaBundleSpec,
  serviceBundleSpec,
} from "@tradai/components/lambda-bundle";
import { venvBin } from "@tradai/testing";
import type { Topology } from "../topology";

/** A container's command on this machine. */
export interface LocalProgram {
  command: string;
  args: string[];
}

export interface LocalCode {
  /** The module whose `handler` a function's environment loads (its image's `index.handler`). */
  handlerOf(key: string): string;
  /** The program of an image (its repository name picks it: `.../strategy-service@sha256:...`). */
  programOf(image: string): LocalProgram;
}

/** The image's repository name: `<registry[:port]>/<path>/<name>[:tag][@digest]` -> `<name>`. */
export function imageName(image: string): string {
  const last = (image.split("@")[0] ?? image).split("/").pop() ?? image;
  return last.split(":")[0] ?? last;
}

/** Preloaded into service processes: Cognito's JWKS host goes to local identity (see the module). */
const COGNITO_REDIRECT = path.join(__dirname, "..", "runtime", "cognito-redirect.cts");

/**
 * Bundles the planned functions and Node services (one esbuild run for what changed) and says how each
 * runs. A function without `lambdas/<key>/src/handler.ts`, or an image with neither a Node service nor an
 * `entrypoint.py`, is an error naming it, before anything starts.
 */
export function bundleLocalCode(
  repoRoot: string,
  topology: Pick<Topology, "functions" | "taskDefinitions">,
): LocalCode {
  const functionSpecs = new Map<string, BundleSpec>();
  for (const fn of topology.functions) {
    const spec = lambdaBundleSpec(fn.key, repoRoot);
    if (!fs.existsSync(spec.entry)) {
      throw new Error(`function ${fn.key} (${fn.functionName}) has no handler at ${spec.entry}`);
    }
    functionSpecs.set(fn.key, spec);
  }
  const serviceSpecs = new Map<string, BundleSpec>();
  const entrypoints = new Map<string, string>();
  for (const container of topology.taskDefinitions.flatMap((td) => td.containers)) {
    const name = imageName(container.image);
    if (serviceSpecs.has(name) || entrypoints.has(name)) continue;
    const spec = serviceBundleSpec(name, repoRoot);
    const entrypoint = path.join(repoRoot, "services", name, "entrypoint.py");
    if (fs.existsSync(spec.entry)) serviceSpecs.set(name, spec);
    else if (fs.existsSync(entrypoint)) entrypoints.set(name, entrypoint);
    else throw new Error(`no local program for image ${container.image} (looked for services/${name})`);
  }
  ensureBundles([...functionSpecs.values(), ...serviceSpecs.values()]);
  const output = (spec: BundleSpec) => path.join(spec.outDir, spec.outFile);
  return {
    handlerOf(key) {
      const spec = functionSpecs.get(key);
      if (!spec)
        throw new Error(
          `unknown function ${key}; the plan declares: ${[...functionSpecs.keys()].join(", ")}`,
        );
      return output(spec);
    },
    programOf(image) {
      const name = imageName(image);
      const spec = serviceSpecs.get(name);
      if (spec) {
        // As the image runs it (NODE_OPTIONS=--enable-source-maps, `node main.js`), plus the redirect.
        return {
          command: process.execPath,
          args: ["--enable-source-maps", "--require", COGNITO_REDIRECT, output(spec)],
        };
      }
      const entrypoint = entrypoints.get(name);
      if (entrypoint) return { command: venvBin("python"), args: [entrypoint] };
      throw new Error(`no local program for image ${image}: the plan's task definitions do not name it`);
    },
  };
}
