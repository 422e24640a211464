import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { lambdaBundleSpec, serviceBundleSpec } from "@tradai/components/lambda-bundle";
import { venvBin } from "@tradai/testing";
import { bundleLocalCode, imageName } from "../src/components/code";
import type { Topology } from "../src/topology";

const REPO = path.resolve(__dirname, "..", "..");
const REDIRECT = path.join(REPO, "local", "src", "runtime", "cognito-redirect.cts");
const image = (name: string) =>
  `123456789012.dkr.ecr.eu-central-1.amazonaws.com/tradai/${name}@sha256:${"0".repeat(64)}`;

function topology(functions: string[], images: string[]): Pick<Topology, "functions" | "taskDefinitions"> {
  return {
    functions: functions.map((key) => ({
      key,
      functionName: `tradai-dev-${key}`,
      arn: `arn:aws:lambda:eu-central-1:123456789012:function:tradai-dev-${key}`,
      environment: {},
      timeoutSeconds: 30,
    })),
    taskDefinitions: images.map((img, i) => ({
      family: `family-${i}`,
      arn: `arn:aws:ecs:eu-central-1:123456789012:task-definition/family-${i}`,
      cpu: "256",
      memory: "512",
      containers: [{ name: "app", image: img, environment: {}, secrets: {} }],
    })),
  };
}

describe("the code the local platform runs", () => {
  it("is each function's and Node service's image bundle, from the bundler `pulumi up` uses", () => {
    const code = bundleLocalCode(
      REPO,
      topology(["update-status"], [image("backend"), image("strategy-service"), image("mlflow")]),
    );
    const lambda = lambdaBundleSpec("update-status", REPO);
    expect(code.handlerOf("update-status")).toBe(path.join(lambda.outDir, lambda.outFile));
    expect(fs.existsSync(code.handlerOf("update-status"))).toBe(true);

    const backend = serviceBundleSpec("backend", REPO);
    // The image's command (`node main.js` with NODE_OPTIONS=--enable-source-maps), plus the Cognito redirect.
    expect(code.programOf(image("backend"))).toEqual({
      command: process.execPath,
      args: ["--enable-source-maps", "--require", REDIRECT, path.join(backend.outDir, backend.outFile)],
    });
    expect(fs.existsSync(path.join(backend.outDir, backend.outFile))).toBe(true);
    expect(code.programOf(image("mlflow"))).toEqual({
      command: venvBin("python"),
      args: [path.join(REPO, "services", "mlflow", "entrypoint.py")],
    });
    expect(() => code.programOf(image("data-collection"))).toThrow(
      `no local program for image ${image("data-collection")}: the plan's task definitions do not name it`,
    );
    expect(() => code.handlerOf("promote-model")).toThrow(
      "unknown function promote-model; the plan declares: update-status",
    );
  });

  it("names the image repository whatever the registry, tag or digest", () => {
    expect(imageName(image("strategy-service"))).toBe("strategy-service");
    expect(imageName("backend:latest")).toBe("backend");
    expect(imageName("localhost:5000/tradai/mlflow:3.17")).toBe("mlflow");
  });

  it("refuses a plan naming code the checkout does not have, before anything starts", () => {
    expect(() => bundleLocalCode(REPO, topology(["no-such-function"], []))).toThrow(
      `function no-such-function (tradai-dev-no-such-function) has no handler at ${path.join(REPO, "lambdas", "no-such-function", "src", "handler.ts")}`,
    );
    expect(() => bundleLocalCode(REPO, topology([], [image("no-such-service")]))).toThrow(
      `no local program for image ${image("no-such-service")} (looked for services/no-such-service)`,
    );
  });

  it("stops at a source that does not bundle, naming it, and writes no bundle", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-local-code-"));
    try {
      fs.writeFileSync(path.join(root, "package.json"), '{ "name": "fixture", "private": true }\n');
      fs.mkdirSync(path.join(root, "lambdas", "broken", "src"), { recursive: true });
      fs.writeFileSync(
        path.join(root, "lambdas", "broken", "src", "handler.ts"),
        'import { missing } from "./nowhere";\nexport const handler = async () => missing;\n',
      );
      expect(() => bundleLocalCode(root, topology(["broken"], []))).toThrow(/lambda\/broken[\s\S]*nowhere/);
      expect(fs.existsSync(path.join(root, "lambdas", "broken", "dist", "index.js"))).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the Cognito redirect preloaded into services", () => {
  /** What a request from a process started with the redirect reached: the local server, or an error. */
  async function requestFrom(url: string): Promise<string> {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const child = spawn(
        process.execPath,
        [
          "--require",
          REDIRECT,
          "-e",
          `require("node:https").request(${JSON.stringify(url)}, (r) => { r.resume(); r.on("end", () => console.log("answered")); }).on("error", (e) => console.log("error " + e.code)).end();`,
        ],
        { env: { PATH: process.env.PATH ?? "", AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: local } },
      );
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
      });
      await new Promise((resolve) => child.on("close", resolve));
      return `${out.trim()} ${JSON.stringify(seen)}`;
    } finally {
      server.close();
    }
  }

  it("sends the user pool's JWKS request to local identity, and leaves other hosts alone", async () => {
    await expect(
      requestFrom("https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_pool/.well-known/jwks.json"),
    ).resolves.toBe('answered ["/eu-central-1_pool/.well-known/jwks.json"]');
    // Not redirected: it goes to its own host (which does not resolve here), and the local server sees nothing.
    await expect(
      requestFrom("https://example.invalid/eu-central-1_pool/.well-known/jwks.json"),
    ).resolves.toBe("error ENOTFOUND []");
  });
});
