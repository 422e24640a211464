/**
 * The compiler of the seeded breaks (seeded-breaks.test.ts): TypeScript 7's native compiler, driven through
 * its API in one session, so each edit costs a re-check of what it touches instead of a whole compile in
 * the test worker (about 5 CPU-s for all of them, against 15 CPU-s and 1.4 GB for TypeScript 5.9's).
 *
 * Runs as its own process (`node compile-with-edits.mts`, Node's type stripping): the API is ES modules,
 * which jest's module loader does not run. Reads a {@link CompileRequest} as JSON on stdin and prints a
 * JSON array with, per edit set, the errors (`<root-relative file>: <message and its chain>`) in the files
 * the set's `checked` pattern matches. The edited files are served from memory; nothing is written.
 */
import * as path from "node:path";
import { API, type Diagnostic } from "typescript/unstable/sync";
import type { CompileRequest } from "./compile-request.js";

const flatten = (d: Diagnostic): string[] => [d.text, ...(d.messageChain ?? []).flatMap(flatten)];

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as CompileRequest;
  let overlay = new Map<string, string>();
  const api = new API({
    cwd: request.root,
    // undefined: read the real file.
    fs: { readFile: (file) => overlay.get(file) },
  });
  try {
    let snapshot = api.updateSnapshot({ openProjects: [request.project] });
    const results: string[][] = [];
    for (const set of request.sets) {
      const changed = [...new Set([...overlay.keys(), ...Object.keys(set.edits)])];
      overlay = new Map(Object.entries(set.edits));
      if (changed.length > 0) snapshot = api.updateSnapshot({ fileChanges: { changed } });
      const program = snapshot.getProject(request.project)?.program;
      if (!program) throw new Error(`${request.project} is not a project of the compiler's snapshot`);
      const checked = new RegExp(set.checked);
      // The program's own errors too (a root file gone, a bad option), which no file reports.
      const errors = [...program.getProgramDiagnostics(), ...program.getGlobalDiagnostics()].map(
        (d) => `(program): ${flatten(d).join(" ")}`,
      );
      for (const file of program.getSourceFileNames()) {
        const rel = path.relative(request.root, file).split(path.sep).join("/");
        if (!checked.test(rel)) continue;
        for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])
          errors.push(`${rel}: ${flatten(d).join(" ")}`);
      }
      results.push(errors);
    }
    process.stdout.write(JSON.stringify(results));
  } finally {
    api.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
