import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { RECORD_FILE_ENV } from "@tradai/iam-recorder";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { hasEndpointOverride, s3Client, s3ClientConfig } from "../src/s3";

const ENDPOINT = "http://127.0.0.1:5000";

/** The URL the client would send a GetObject to, captured before anything leaves the process. */
async function requestUrl(client: S3Client, bucket: string, key: string): Promise<string> {
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number; path: string };
      const port = request.port ? `:${request.port}` : "";
      throw Object.assign(new Error("captured"), {
        url: `${request.protocol}//${request.hostname}${port}${request.path}`,
      });
    },
    { step: "finalizeRequest", priority: "low", name: "captureUrl" },
  );
  try {
    await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    throw new Error("the request was not captured");
  } catch (error) {
    return (error as { url?: string }).url ?? String(error);
  } finally {
    client.destroy();
  }
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

describe("the S3 client rule", () => {
  const rules: { env: NodeJS.ProcessEnv; config?: S3ClientConfig; pathStyle: boolean; why: string }[] = [
    { env: {}, pathStyle: false, why: "real AWS: virtual-hosted" },
    { env: { AWS_ENDPOINT_URL: ENDPOINT }, pathStyle: true, why: "the global endpoint override" },
    { env: { AWS_ENDPOINT_URL_S3: ENDPOINT }, pathStyle: true, why: "the S3 endpoint override" },
    { env: { AWS_ENDPOINT_URL_SQS: ENDPOINT }, pathStyle: false, why: "another service's override" },
    { env: { AWS_ENDPOINT_URL: "" }, pathStyle: false, why: "an empty override (the SDK ignores it)" },
    {
      env: { AWS_ENDPOINT_URL: ENDPOINT, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
      pathStyle: false,
      why: "overrides the SDK is told to ignore",
    },
    {
      env: { AWS_ENDPOINT_URL_S3: ENDPOINT, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" },
      pathStyle: true,
      why: "overrides not ignored",
    },
    {
      env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
      config: { endpoint: ENDPOINT },
      pathStyle: true,
      why: "an explicit endpoint (always used by the SDK)",
    },
  ];

  it.each(rules)("forcePathStyle is $pathStyle for $why", ({ env, config, pathStyle }) => {
    expect(hasEndpointOverride(config, env)).toBe(pathStyle);
    expect(s3ClientConfig({ region: "eu-west-1", ...config }, env)).toEqual({
      region: "eu-west-1",
      ...config,
      forcePathStyle: pathStyle,
    });
  });

  it("addresses real S3 virtual-hosted and an emulator path-style (the URL the SDK resolves)", async () => {
    const aws = s3Client({ region: "eu-west-1", credentials }, {});
    expect(await requestUrl(aws, "tradai-prod-artifacts", "a/b.json")).toBe(
      "https://tradai-prod-artifacts.s3.eu-west-1.amazonaws.com/a/b.json",
    );
    const emulated = s3Client({ region: "eu-west-1", credentials, endpoint: ENDPOINT });
    expect(await requestUrl(emulated, "tradai-prod-artifacts", "a/b.json")).toBe(
      `${ENDPOINT}/tradai-prod-artifacts/a/b.json`,
    );
  });

  it("attaches the IAM call recorder when a recording file is named, and only then", () => {
    const saved = process.env[RECORD_FILE_ENV];
    const recorded = (client: S3Client) =>
      client.middlewareStack.identify().some((m) => m.includes("tradaiIamRecorder"));
    try {
      delete process.env[RECORD_FILE_ENV];
      expect(recorded(s3Client({ region: TEST_REGION }))).toBe(false);
      process.env[RECORD_FILE_ENV] = path.join(os.tmpdir(), `s3-rule-${randomUUID()}.jsonl`);
      expect(recorded(s3Client({ region: TEST_REGION }))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env[RECORD_FILE_ENV];
      else process.env[RECORD_FILE_ENV] = saved;
    }
  });

  describe("against the emulator", () => {
    useMoto();

    it("writes and reads an object through the factory's client (endpoint from AWS_ENDPOINT_URL)", async () => {
      const bucket = `rule-${randomUUID().slice(0, 8)}`;
      const fixture = new S3Client(s3ClientConfig({ region: TEST_REGION }));
      await fixture.send(new CreateBucketCommand({ Bucket: bucket }));
      fixture.destroy();
      const s3 = s3Client({ region: TEST_REGION });
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k.txt", Body: "hello" }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k.txt" }));
      expect(await got.Body?.transformToString()).toBe("hello");
      s3.destroy();
    });
  });
});

describe("the biome rule that keeps S3 clients on the factory", () => {
  const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
  const PLUGIN = "tools/biome/no-direct-s3-client.grit";
  const biome = path.join(REPO_ROOT, "node_modules", ".bin", "biome");

  it("is a plugin of the repository's biome configuration", () => {
    const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "biome.json"), "utf8")) as {
      plugins?: string[];
    };
    expect(config.plugins).toContain(`./${PLUGIN}`);
  });

  it("refuses `new S3Client(` in Lambda and service code, not in tests or in the factory's package", () => {
    // A throw-away project with only the plugin, so the verdict is the rule's alone.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-rule-"));
    try {
      fs.copyFileSync(path.join(REPO_ROOT, PLUGIN), path.join(dir, "rule.grit"));
      fs.writeFileSync(
        path.join(dir, "biome.json"),
        JSON.stringify({
          plugins: ["./rule.grit"],
          linter: { rules: { recommended: false } },
          formatter: { enabled: false },
          assist: { enabled: false },
        }),
      );
      const direct =
        'import { S3Client } from "@aws-sdk/client-s3";\nexport const s3 = new S3Client({ forcePathStyle: true });\n';
      const files: Record<string, string> = {
        "lambdas/some-fn/src/handler.ts": direct,
        "services/some-svc/src/main.ts":
          'import { S3Client } from "@aws-sdk/client-s3";\nexport const s3 = new S3Client();\n',
        "lambdas/some-fn/test/handler.test.ts": direct,
        "services/some-svc/test/main.test.ts": direct,
        "packages/aws-clients/src/s3.ts": direct,
        "services/other-svc/src/main.ts":
          'import { s3Client } from "@tradai/aws-clients/s3";\nexport const s3 = s3Client();\n',
      };
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      const run = spawnSync(biome, ["lint", "--max-diagnostics=50", "."], { cwd: dir, encoding: "utf8" });
      const output = `${run.stdout}${run.stderr}`;
      const flagged = [...output.matchAll(/^(\S+\.ts):\d+:\d+ plugin/gm)].map((m) => m[1]).sort();
      expect(flagged).toEqual(["lambdas/some-fn/src/handler.ts", "services/some-svc/src/main.ts"]);
      expect(run.status).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
