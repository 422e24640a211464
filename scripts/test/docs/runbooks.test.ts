/**
 * The operator docs stay true to the code: they exist and are linked, their links resolve, every
 * `pnpm tradai ...` they tell an operator to run is a real command, the teardown table follows the CLI's
 * destroy orders, and the policies teardown lowers exist in the pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tradaiPolicies } from "@tradai/policies/policies";
import type { Command } from "commander";
import { DOWN_ORDERS } from "../../src/cli/infra/orchestrate";
import { REPO_ROOT } from "../../src/cli/platform";
import { createProgram } from "../../src/cli/program";
import { CapturedIo, testContext } from "../cli/helpers";

const RUNBOOKS = ["bootstrap.md", "rollback.md", "teardown.md"] as const;
const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
      (m[1] ?? "")
        .toLowerCase()
        .replace(/[^\w\s-]/g, "")
        .replace(/\s/g, "-"),
    ),
  );
}

describe("operator docs", () => {
  it("exist, and the README links the command reference", () => {
    for (const doc of [...RUNBOOKS, "configuration.md", "commands.md"]) {
      expect(fs.existsSync(path.join(REPO_ROOT, "docs", doc))).toBe(true);
    }
    expect(read("README.md")).toContain("](docs/commands.md)");
  });

  it.each(RUNBOOKS)("%s: relative links resolve to files and headings", (doc) => {
    const text = read(`docs/${doc}`);
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] ?? "")
      .filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const [file = "", anchor] = link.split("#");
      const target = path.join(REPO_ROOT, "docs", file);
      expect({ link, exists: fs.existsSync(target) }).toEqual({ link, exists: true });
      if (anchor)
        expect({ link, anchor: anchors(fs.readFileSync(target, "utf8")).has(anchor) }).toEqual({
          link,
          anchor: true,
        });
    }
  });

  it.each(RUNBOOKS)("%s: every `pnpm tradai` command it gives is a command of the CLI", (doc) => {
    const program = createProgram(() => testContext(), new CapturedIo());
    const invocations = [...read(`docs/${doc}`).matchAll(/pnpm tradai ([a-z][\w-]*) ([a-z][\w-]*)/g)];
    expect(invocations.length).toBeGreaterThan(0);
    for (const [, group, name] of invocations) {
      const command = program.commands
        .find((c: Command) => c.name() === group)
        ?.commands.find((c: Command) => c.name() === name);
      expect({ command: `${group} ${name}`, exists: command !== undefined }).toEqual({
        command: `${group} ${name}`,
        exists: true,
      });
    }
  });

  it("teardown: each mode's row names the layers the CLI destroys, in its order", () => {
    const text = read("docs/teardown.md");
    for (const [mode, layers] of Object.entries(DOWN_ORDERS)) {
      const row = text.split("\n").find((l) => l.startsWith(`| \`${mode}\` |`));
      const destroys = row?.split("|")[2] ?? "";
      const named = [...destroys.matchAll(/\b(persistent|foundation|compute|edge)\b/g)].map((m) => m[1]);
      // The first mention of each layer, in order, is the destroy order.
      expect([...new Set(named)]).toEqual([...layers]);
    }
    expect(text).toContain("destroy-all-data");
  });

  it("teardown: it lowers exactly the pack's prod-only protection policies to advisory", () => {
    const text = read("docs/teardown.md");
    const config = /cat > \/tmp\/teardown-policy\.json <<'EOF'\n([\s\S]*?)\n\s*EOF/.exec(text)?.[1];
    const lowered = Object.keys(JSON.parse(config ?? "{}") as Record<string, string>);
    const names = tradaiPolicies.map((p) => p.name);
    expect(lowered.sort()).toEqual(
      names.filter((n) => n.endsWith("deletion-protection") || n === "data-resources-protected").sort(),
    );
  });
});
