/**
 * Package boundaries, checked by dependency-cruiser (`pnpm deps:check`, part of `pnpm check`).
 * A workspace package reaches another only by name (`@tradai/...`, resolved through the pnpm links of
 * the dependencies it declares), never by a relative path into its folder; every package it imports is
 * declared in its own package.json; and the dependency direction of docs/architecture.md holds.
 */

/** One workspace package per alternative; the capture group is the package folder. */
const PACKAGE =
  "^(packages/[^/]+|components|lambdas/(?!test/)[^/]+(?=/)|services/[^/]+|stacks/[^/]+|policies|scripts|testing|local)/";
/** `lambdas/` itself is the @tradai/lambdas package (build.ts, bench.ts and their test). */
const LAMBDAS_ROOT = "^lambdas/(test/|[^/]+\\.ts$)";
const TESTS = "(^|/)(test|testing)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-relative-import-across-packages",
      comment:
        "Import another workspace package by its name (and declare it in package.json), not by a relative path into its folder.",
      severity: "error",
      from: { path: PACKAGE },
      to: { dependencyTypes: ["local"], pathNot: ["^$1/"] },
    },
    {
      name: "no-relative-import-out-of-lambdas-root",
      comment:
        "lambdas/build.ts and bench.ts are the @tradai/lambdas package: import other packages by name.",
      severity: "error",
      from: { path: LAMBDAS_ROOT },
      to: { dependencyTypes: ["local"], pathNot: [LAMBDAS_ROOT] },
    },
    {
      name: "no-undeclared-dependency",
      comment: "Every package a file imports is declared in the package.json closest to that file.",
      severity: "error",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "not-to-unresolvable",
      comment:
        "An import that does not resolve (an undeclared workspace package has no link to resolve through).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "contracts-imports-zod-only",
      comment:
        "@tradai/contracts is loaded by the Lambdas, the services, the layers and the CLI: zod and itself only.",
      severity: "error",
      from: { path: "^packages/contracts/" },
      to: { pathNot: ["^packages/contracts/", "/node_modules/zod/"], dependencyTypesNot: ["core"] },
    },
    {
      name: "runtime-code-does-not-load-the-infrastructure",
      comment:
        "Lambdas and services run in AWS: they may not import the Pulumi components, the layers or the offline plan.",
      severity: "error",
      from: { path: "^(lambdas|services)/", pathNot: [TESTS, LAMBDAS_ROOT] },
      to: { path: "^(components|stacks|packages/plan|scripts|policies)/" },
    },
    {
      name: "components-do-not-import-their-users",
      comment: "Components are reusable: they do not import a layer program, the CLI or the offline plan.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^(stacks|scripts|packages/plan)/" },
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)(dist|\\.tools|\\.venv|fixtures)/"] },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["require", "node", "default", "types"],
      extensions: [".ts", ".d.ts", ".js", ".json"],
    },
  },
};
