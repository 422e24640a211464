import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { CreateBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import {
  MOTO_SERVER_SCRIPT,
  type Moto,
  startMoto,
  stopWorkerMotos,
  workerMoto,
  workerStateFile,
} from "../src/moto";
import { groupAlive } from "../src/process";
import { INSTALL_HOOK_TIMEOUT_MS, venvBin } from "../src/python-env";

// One server for the tests of startMoto and of its launcher: each start is about a second of CPU.
describe("startMoto and its launcher (testing/src/moto-server.py)", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, INSTALL_HOOK_TIMEOUT_MS); // the first test of a fresh checkout may install .venv
  afterAll(async () => {
    await moto?.stop();
  });

  it("serves AWS APIs on a loopback port and forgets everything on reset", async () => {
    expect(moto.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = new S3Client({
      endpoint: moto.url,
      region: "eu-central-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: "emulator-check",
          CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
        }),
      );
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([
        "emulator-check",
      ]);
      await moto.reset();
      expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    } finally {
      s3.destroy();
    }
  });

  it("reads moto's service listing, each response class's methods and each service's regions once, signs SNS deliveries with one key, and keeps only werkzeug's warnings", () => {
    // Imported as a module (not run): the patches it applies before starting the server.
    const probe = [
      "import importlib.util, logging",
      `spec = importlib.util.spec_from_file_location("launcher", ${JSON.stringify(MOTO_SERVER_SCRIPT)})`,
      "launcher = importlib.util.module_from_spec(spec)",
      "spec.loader.exec_module(launcher)",
      "from moto import backends",
      "listing = backends.list_of_moto_modules",
      "print(hasattr(listing, 'cache_info'), 'dynamodb' in listing(), listing() is listing())",
      "from moto.core import responses",
      "from moto.sqs.responses import SQSResponse",
      "methods = responses.method_names_from_class",
      "print(hasattr(methods, 'cache_info'), 'send_message' in methods(SQSResponse))",
      "print(logging.getLevelName(logging.getLogger('werkzeug').level))",
      "from moto.core.base_backend import AccountSpecificBackend as Backends",
      "first = Backends('sqs', '123456789012', object, True, None)",
      "second = Backends('sqs', '210987654321', object, True, None)",
      "print('eu-central-1' in first.regions, first.regions == second.regions, launcher._regions_by_service.cache_info().hits)",
      "from moto.sns.models import Subscription",
      "print(Subscription.private_key(None) is Subscription.private_key(None), Subscription.private_key(None).key_size)",
    ].join("\n");
    const result = spawnSync(venvBin("python"), ["-c", probe], { encoding: "utf8" });
    expect({
      status: result.status,
      stderr: result.stderr,
      stdout: result.stdout.trim().split("\n"),
    }).toEqual({
      status: 0,
      stderr: "",
      stdout: ["True True True", "True True", "WARNING", "True True 1", "True 2048"],
    });
  });

  it("starts without Amazon's AMI catalogue, and EC2 still launches an instance from any image id", async () => {
    await moto.reset();
    const ec2 = new EC2Client({
      endpoint: moto.url,
      region: "eu-central-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    try {
      expect((await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images).toEqual([]);
      const launched = await ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-12c6146b",
          InstanceType: "t4g.nano",
          MinCount: 1,
          MaxCount: 1,
        }),
      );
      expect(launched.Instances?.[0]?.ImageId).toBe("ami-12c6146b");
    } finally {
      ec2.destroy();
    }
  });
});

describe("workerMoto (one emulator per jest worker, emptied for each file)", () => {
  const s3At = (url: string) =>
    new S3Client({
      endpoint: url,
      region: "eu-central-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
  const buckets = async (url: string) => {
    const s3 = s3At(url);
    try {
      return ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
    } finally {
      s3.destroy();
    }
  };
  const createBucket = async (url: string, name: string) => {
    const s3 = s3At(url);
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: name,
          CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
        }),
      );
    } finally {
      s3.destroy();
    }
  };
  const runningCount = async (url: string) => {
    const ecs = new ECSClient({
      endpoint: url,
      region: "eu-central-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    try {
      await ecs.send(new CreateClusterCommand({ clusterName: "c" }));
      const { taskDefinition } = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "f",
          containerDefinitions: [{ name: "app", image: "app:1", memory: 512 }],
        }),
      );
      const { service } = await ecs.send(
        new CreateServiceCommand({
          cluster: "c",
          serviceName: "s",
          taskDefinition: taskDefinition?.taskDefinitionArn,
          desiredCount: 1,
        }),
      );
      return service?.runningCount;
    } finally {
      ecs.destroy();
    }
  };
  let runDir: string;
  beforeEach(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-moto-run-"));
  });
  afterEach(async () => {
    await stopWorkerMotos(runDir);
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it(
    "hands the next file the same server, emptied, and leaves it running when a file stops it",
    async () => {
      const first = await workerMoto(runDir);
      await createBucket(first.url, "left-by-the-first-file");
      await first.stop();
      const second = await workerMoto(runDir);
      expect(second.url).toBe(first.url);
      expect(await buckets(second.url)).toEqual([]);
    },
    INSTALL_HOOK_TIMEOUT_MS,
  );

  it("replaces a server that died, and one started with other settings; the run's teardown ends them", async () => {
    const first = await workerMoto(runDir);
    const { pid } = JSON.parse(fs.readFileSync(workerStateFile(runDir), "utf8")) as { pid: number };
    process.kill(-pid, "SIGKILL");
    const second = await workerMoto(runDir);
    expect(second.url).not.toBe(first.url);
    expect(await runningCount(second.url)).toBe(0);

    const third = await workerMoto(runDir, { settings: { MOTO_ECS_SERVICE_RUNNING: "1" } });
    expect(third.url).not.toBe(second.url);
    expect(await runningCount(third.url)).toBe(1);
    const { pid: thirdPid } = JSON.parse(fs.readFileSync(workerStateFile(runDir), "utf8")) as { pid: number };
    expect(groupAlive(pid)).toBe(false);

    await stopWorkerMotos(runDir);
    expect(groupAlive(thirdPid)).toBe(false);
  });
});
