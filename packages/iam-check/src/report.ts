/** The human report of `pnpm iam:check`. */
import type { CheckReport, Verdict } from "./check";
import { NOT_RECORDED } from "./check";

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

function denial(v: Verdict): string {
  const why = v.error
    ? `error: ${v.error}`
    : v.deniedBy.length > 0
      ? `explicitly denied by ${v.deniedBy.join(", ")}`
      : v.nearest.length > 0
        ? `would be allowed by: none; nearest ${v.nearest.join("; ")}`
        : "would be allowed by: none";
  const ctx = Object.keys(v.context).length > 0 ? ` ${JSON.stringify(v.context)}` : "";
  return `  [${v.env}] ${v.principal} ${v.action} ${v.resource}${ctx} (${why}) <- ${v.source}`;
}

export function renderReport(report: CheckReport): string {
  const out: string[] = [];
  const distinct = new Set(report.verdicts.map((v) => `${v.principal} ${v.action} ${v.resource}`));
  out.push(
    `iam:check: ${report.recordedCalls} recorded AWS calls, ${distinct.size} distinct (principal, action, resource) requests, environments ${report.envs.join(", ")}`,
  );
  out.push("");
  out.push(
    `${pad("principal", 34)}${pad("recorded", 10)}${report.envs.map((e) => pad(`${e} allowed/denied`, 24)).join("")}`,
  );
  for (const p of report.principals) {
    const cells = report.envs.map((e) => {
      const c = p.byEnv[e] ?? { allowed: 0, denied: 0 };
      return pad(`${c.allowed}/${c.denied}`, 24);
    });
    out.push(`${pad(p.principal, 34)}${pad(String(p.calls), 10)}${cells.join("")}`);
  }
  for (const [p, why] of Object.entries(NOT_RECORDED)) out.push(`${pad(p, 34)}not recorded: ${why}`);
  const covered = report.principals.length - report.uncovered.length;
  out.push("");
  out.push(`coverage: ${covered}/${report.principals.length} principals recorded`);
  for (const u of report.uncovered) out.push(`  UNCOVERED ${u}`);
  for (const u of report.unknownPrincipals)
    out.push(`  UNKNOWN principal in recordings (not in the plan): ${u}`);

  const denied = report.verdicts.filter((v) => v.decision !== "Allowed");
  out.push("");
  if (denied.length === 0) out.push("denied: none");
  else {
    out.push(`DENIED: ${denied.length} (principal action resource (which statement would allow it / none))`);
    for (const v of denied) out.push(denial(v));
  }
  out.push("");
  if (report.unexercised.length === 0) out.push("unexercised statements: none");
  else {
    out.push(
      `unexercised statements (no recorded call needed them; candidates for removal, not a failure): ${report.unexercised.length}`,
    );
    for (const u of report.unexercised) {
      out.push(
        `  ${u.principal} ${u.policy}/${u.statement} [${u.actions.join(", ")}] in ${u.envs.join(", ")}`,
      );
    }
  }
  if (report.unusedActions.length > 0) {
    out.push("");
    out.push(`unused actions of exercised statements (report only): ${report.unusedActions.length}`);
    for (const u of report.unusedActions) {
      out.push(
        `  ${u.principal} ${u.policy}/${u.statement} [${u.actions.join(", ")}] in ${u.envs.join(", ")}`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}
