/**
 * The local AWS emulator: `moto_server` from the project virtualenv, one per test file, on 127.0.0.1 and a
 * free port. Code under test reaches it through `AWS_ENDPOINT_URL`, which every AWS SDK v3 client honours.
 */

import { type LocalServer, startLocalServer } from "./process";
import { ensurePythonEnv, INSTALL_HOOK_TIMEOUT_MS, venvBin } from "./python-env";

export const TEST_REGION = "eu-central-1";
/** moto's default account id. */
export const TEST_ACCOUNT_ID = "123456789012";

export interface Moto extends LocalServer {
  /** Forgets every resource the emulator holds. */
  reset(): Promise<void>;
}

/** Starts a fresh emulator. */
export async function startMoto(): Promise<Moto> {
  await ensurePythonEnv();
  const server = await startLocalServer({
    name: "moto_server",
    command: venvBin("moto_server"),
    args: (port) => ["-H", "127.0.0.1", "-p", String(port)],
    readyPath: "/moto-api/",
  });
  return {
    ...server,
    async reset() {
      const response = await fetch(`${server.url}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
    },
  };
}

/** The environment an AWS SDK client needs to talk to the emulator and nothing else. */
export function awsEnvFor(moto: Pick<LocalServer, "url">): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: moto.url,
    AWS_REGION: TEST_REGION,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SESSION_TOKEN: "testing",
  };
}

/**
 * Jest helper: starts the emulator before the file's tests, points `process.env` at it, and restores the
 * environment and stops it afterwards. Returns a getter because the server exists only after `beforeAll`.
 *
 * @example
 * const moto = useMoto();
 * it("writes", async () => { await handler(event); expect(await scan(moto().url)).toHaveLength(1); });
 */
export function useMoto(): () => Moto {
  let moto: Moto | undefined;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    moto = await startMoto();
    for (const [key, value] of Object.entries(awsEnvFor(moto))) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  }, INSTALL_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await moto?.stop();
  });
  return () => {
    if (!moto) throw new Error("useMoto(): the emulator is only available inside tests (after beforeAll)");
    return moto;
  };
}
