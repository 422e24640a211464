/**
 * `startPlatform({ emulatorUrl })`: the platform provisions the plan into a moto server someone else runs
 * (the flow tests give it their worker's) and leaves it running when it stops; a URL where no moto
 * answers is refused, naming it, before anything is provisioned.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { useMoto } from "@tradai/testing";
import { startPlatform } from "../src/platform";
import { devPlanDir, REPO_ROOT } from "./harness";

jest.setTimeout(120_000);

const tablesIn = async (url: string) => {
  const db = new DynamoDBClient({
    endpoint: url,
    region: "eu-central-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    return (await db.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    db.destroy();
  }
};

const options = async () => ({
  repoRoot: REPO_ROOT,
  planDir: await devPlanDir(),
  stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "tradai-local-state-")),
  renderer: "silent" as const,
  schedules: false,
  services: [],
});

describe("a platform on an emulator it did not start", () => {
  const moto = useMoto();

  it("provisions every planned table there, says so in its status, and leaves it running after stop", async () => {
    expect(await tablesIn(moto().url)).toEqual([]);
    const platform = await startPlatform({ ...(await options()), emulatorUrl: `${moto().url}/` });
    let planned: string[];
    try {
      planned = platform.topology.tables.map((t) => t.name).sort();
      expect(planned.length).toBeGreaterThan(0);
      expect(platform.urls.emulator).toBe(moto().url);
      expect((await tablesIn(moto().url)).sort()).toEqual(planned);
      expect(platform.status().find((row) => row.component === "emulator")).toEqual({
        component: "emulator",
        status: "running",
        address: moto().url,
        detail: "attached (not started here)",
      });
    } finally {
      await platform.stop();
    }
    expect((await tablesIn(moto().url)).sort()).toEqual(planned);
  });

  it("refuses a URL where no moto answers, naming it, and provisions nothing", async () => {
    const requests: string[] = [];
    const other = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(404).end("not here");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      await expect(startPlatform({ ...(await options()), emulatorUrl: url })).rejects.toThrow(
        `no moto emulator answers at ${url} (GET ${url}/moto-api/data.json: HTTP 404)`,
      );
    } finally {
      other.close();
    }
    // The probe was all it got: no bucket, table or queue was sent its way.
    expect(requests).toEqual(["GET /moto-api/data.json"]);
  });
});
