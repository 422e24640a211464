/**
 * The offline plan's context hash is docker-build's (pulumi-docker-build v0.0.22, the version pinned in
 * stacks/compute/package.json), so the plan predicts its rebuilds. The expected hashes below were produced
 * by docker-build's own code: `hashBuildContext` and its helpers from provider/internal/context.go at tag
 * v0.0.22, compiled unchanged into a small Go program with the module's dependency versions (fsutil
 * v0.0.0-20260609091201-0257b3308df4, patternmatcher v0.6.1, afero v1.15.0) and run on this fixture tree.
 * One case is also derived by hand from the algorithm, byte by byte.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dockerBuildContextHash, goModeString, PatternMatcher, parseIgnoreFile } from "../src/context-hash";
import { writeContextTree } from "./fixtures/context-tree";

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-context-"));
  writeContextTree(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const hash = (context: string, dockerfile: string, named: Record<string, string> = {}) =>
  dockerBuildContextHash(context, dockerfile, named, root);

describe("dockerBuildContextHash matches docker-build v0.0.22", () => {
  it.each([
    [
      "<Dockerfile>.dockerignore with exceptions, **, modes, symlinks",
      "app",
      "app/Dockerfile",
      {},
      "4be9e5aa435de59491480c17da94d3c84abd35c792e922644bc3c54d233327da",
    ],
    [
      "named contexts: a remote image (not hashed) and a local one (filtered by the main context's patterns)",
      "app",
      "app/Dockerfile",
      { base: "docker-image://repo@sha256:00", extra: "named" },
      "b185fc90c597b5337a9a50d7db0ab61f9b8ac5fa58f20098b5e37ca22df347b2",
    ],
    [
      "the context's .dockerignore when no Dockerfile.dockerignore exists",
      "named",
      "named/Dockerfile",
      {},
      "3253478378d64ea07112be269bbfec7c16a708a979efe917b13ad89cb808f27f",
    ],
    [
      "no Dockerfile path: the context's .dockerignore, every other file",
      "app",
      "",
      {},
      "6ae31e99d15ac14258a66e3938307b3da13c08510376a4fc2048da83ed84bacf",
    ],
    [
      "no local context: only local named contexts count",
      "missing",
      "missing/Dockerfile",
      { extra: "named" },
      "554bf34fb3a1e472cf8a35bd050bfa782b1178512b91979b5202e622f11d83bf",
    ],
    [
      "a named context hashed with the main context's patterns",
      "named",
      "app/Dockerfile",
      { a: "app" },
      "d8e84c124d40278a2a462b8148ef4193f1a1df2bab75359f0a2a050220543cc6",
    ],
  ])("%s", (_title, context, dockerfile, named, expected) => {
    expect(hash(context, dockerfile, named as Record<string, string>).hash).toBe(expected);
  });

  it("equals the algorithm applied by hand: Dockerfile content, then content + path + Go mode per file in walk order", () => {
    // named/: no Dockerfile, ignore rules from named/.dockerignore ("*.ts"): .dockerignore and dist/out.js.
    const h = createHash("sha256");
    const file = (rel: string, mode: string) => {
      h.update(fs.readFileSync(path.join(root, "named", rel)));
      h.update(rel);
      h.update(mode);
    };
    file(".dockerignore", "-rw-r--r--");
    file("dist/out.js", "-rw-r--r--");
    expect(hash("named", "named/Dockerfile").hash).toBe(h.digest("hex"));
  });

  it("lists the files that entered the hash, with their Go modes, in docker-build's walk order", () => {
    const result = hash("app", "app/Dockerfile");
    expect(result.ignoreFile).toBe("app/Dockerfile.dockerignore");
    expect(result.files.map((f) => `${f.path} ${f.mode}`)).toEqual([
      "dist/index.js -rw-r--r--",
      "dist/index.js.map -rwxr-xr-x",
      "keep/file -rw-rw-r--",
      "src/deep/code.ts urwxr-xr-x",
      "src/link.ts Lrwxrwxrwx",
    ]);
  });

  it("changes with a file's content, its mode, and the Dockerfile, not with an excluded file", () => {
    const before = hash("app", "app/Dockerfile").hash;
    const touch = (edit: () => void, restore: () => void) => {
      edit();
      try {
        return hash("app", "app/Dockerfile").hash;
      } finally {
        restore();
      }
    };
    const f = (rel: string) => path.join(root, "app", rel);
    const content = (rel: string, text: string) => {
      const old = fs.readFileSync(f(rel));
      return touch(
        () => fs.writeFileSync(f(rel), text),
        () => fs.writeFileSync(f(rel), old),
      );
    };
    expect(content("dist/index.js", "changed")).not.toBe(before);
    expect(content("Dockerfile", "FROM other\n")).not.toBe(before);
    expect(content("src/readme.md", "excluded either way")).toBe(before);
    expect(
      touch(
        () => fs.chmodSync(f("dist/index.js"), 0o664),
        () => fs.chmodSync(f("dist/index.js"), 0o644),
      ),
    ).not.toBe(before);
    expect(hash("app", "app/Dockerfile").hash).toBe(before);
  });
});

describe("the parts ported from moby/patternmatcher and Go", () => {
  it("parses ignore files like ignorefile.ReadAll", () => {
    expect(parseIgnoreFile("\uFEFF# c\n a/ \n!  b/../c\n/d\n\n#x\n")).toEqual(["a", "!c", "d"]);
  });

  it("matches like MatchesUsingParentResults (exceptions, **, parent results)", () => {
    const m = new PatternMatcher(["*", "!dist/", "**/*.test.ts", "src/**"]);
    const [distMatched, distInfo] = m.matchesUsingParentResults("dist", []);
    expect(distMatched).toBe(false);
    expect(m.matchesUsingParentResults("dist/a.js", distInfo)[0]).toBe(false);
    expect(m.matchesUsingParentResults("dist/a.test.ts", distInfo)[0]).toBe(true);
    expect(m.matchesUsingParentResults("other", [])[0]).toBe(true);
    expect(new PatternMatcher(["**/node_modules"]).matchesUsingParentResults("node_modules", [])[0]).toBe(
      true,
    );
    expect(new PatternMatcher(["a?c"]).matchesUsingParentResults("abc", [])[0]).toBe(true);
    expect(new PatternMatcher(["a?c"]).matchesUsingParentResults("a/c", [])[0]).toBe(false);
  });

  it("prints modes like Go's FileMode.String()", () => {
    expect(goModeString(0o100644)).toBe("-rw-r--r--");
    expect(goModeString(0o100755)).toBe("-rwxr-xr-x");
    expect(goModeString(0o120777)).toBe("Lrwxrwxrwx");
    expect(goModeString(0o104755)).toBe("urwxr-xr-x");
    expect(goModeString(0o041777)).toBe("dtrwxrwxrwx");
  });
});
