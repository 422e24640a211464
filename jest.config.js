/** @type {import('jest').Config} */
const swc = [
  "@swc/jest",
  {
    jsc: { parser: { syntax: "typescript" }, target: "es2023" },
    module: { type: "commonjs" },
    sourceMaps: "inline",
  },
];

module.exports = {
  // Node, with the output of the code under test shown only for failing tests (DEBUG=1 shows all).
  testEnvironment: "<rootDir>/testing/src/quiet-environment.ts",
  transform: { "^.+\\.ts$": swc },
  testMatch: ["<rootDir>/**/test/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/.tools/", "/.venv/"],
  // TypeScript loads when a test first uses it, not whenever @pulumi/pulumi loads (testing/src/lazy-typescript.ts).
  moduleNameMapper: { "^typescript$": "<rootDir>/testing/src/lazy-typescript.ts" },
  modulePathIgnorePatterns: ["<rootDir>/.tools/", "<rootDir>/plan/", "<rootDir>/dist/", "<rootDir>/.venv/"],
  globalSetup: "<rootDir>/testing/src/global-setup.ts",
  globalTeardown: "<rootDir>/testing/src/global-teardown.ts",
  // Lambda and service tests record their AWS calls for `pnpm iam:check` (reports/iam-calls).
  setupFilesAfterEnv: ["<rootDir>/packages/iam-recorder/src/jest-setup.ts"],
  // Layer programs under mocks and emulator-backed tests do real work; 2 workers match the CI machine.
  maxWorkers: 2,
  testTimeout: 60000,
};
