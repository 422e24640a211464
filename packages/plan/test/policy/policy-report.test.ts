/** The verdict's two renderings: the console report and the summary.md section. */
import type { LayerPlan, PolicyViolationRecord } from "../../src/plan-types";
import {
  countViolations,
  formatPolicyReport,
  renderPolicySection,
  resourceLabel,
} from "../../src/policy-report";

const urn = (stack: string, type: string, name: string) =>
  `urn:pulumi:${stack}::tradai-edge::${type}::${name}`;

function planWith(
  stack: "dev" | "prod",
  layer: "persistent" | "edge",
  violations?: PolicyViolationRecord[],
): LayerPlan {
  return {
    project: `tradai-${layer}`,
    stack,
    layer,
    resources: [],
    outputs: {},
    ...(violations ? { policy: { violations } } : {}),
  };
}

const advisory: PolicyViolationRecord = {
  policy: "dynamodb-table-deletion-protection",
  enforcement: "advisory",
  urn: urn("dev", "aws:dynamodb/table:Table", "jobs"),
  message: 'DynamoDB table "jobs" must set deletionProtectionEnabled: true.',
};
const mandatory: PolicyViolationRecord = {
  policy: "security-group-world-ingress",
  enforcement: "mandatory",
  urn: urn("dev", "tradai:edge:Api$aws:ec2/securityGroup:SecurityGroup", "api|lb"),
  message:
    'Security group "api|lb" ingress rule #1 opens tcp port 22 to 0.0.0.0/0; only tcp 80 and 443 may be open to the world.',
};

describe("policy report", () => {
  it("labels resources by type and name, dropping parent types", () => {
    expect(resourceLabel(mandatory.urn)).toBe("aws:ec2/securityGroup:SecurityGroup::api|lb");
    expect(resourceLabel("")).toBe("(stack)");
  });

  it("counts mandatory and advisory violations across layers", () => {
    expect(
      countViolations([
        planWith("dev", "persistent", [advisory]),
        planWith("dev", "edge", [mandatory, advisory]),
      ]),
    ).toEqual({
      mandatory: 1,
      advisory: 2,
    });
  });

  it("prints mandatory violations first and skips layers without a verdict", () => {
    const plans = [
      planWith("dev", "persistent"),
      planWith("dev", "edge", [advisory, mandatory]),
      planWith("prod", "edge", []),
    ];
    expect(formatPolicyReport(plans)).toBe(
      [
        "Policy verdict (tradai-guardrails): 1 mandatory violation, 1 advisory violation",
        "  dev/edge: 1 mandatory violation, 1 advisory violation",
        "    MANDATORY security-group-world-ingress aws:ec2/securityGroup:SecurityGroup::api|lb",
        `      ${mandatory.message}`,
        "    ADVISORY dynamodb-table-deletion-protection aws:dynamodb/table:Table::jobs",
        `      ${advisory.message}`,
        "  prod/edge: no violations",
        "",
      ].join("\n"),
    );
    expect(formatPolicyReport([planWith("dev", "edge")])).toBe("");
  });

  it("renders a markdown table with pipes escaped", () => {
    expect(renderPolicySection([planWith("dev", "edge", [advisory, mandatory])])).toBe(
      [
        "## Policy verdict (tradai-guardrails)",
        "",
        "**1 mandatory violation, 1 advisory violation**",
        "",
        "| layer | enforcement | policy | resource | message |",
        "|---|---|---|---|---|",
        '| edge | mandatory | `security-group-world-ingress` | `aws:ec2/securityGroup:SecurityGroup::api\\|lb` | Security group "api\\|lb" ingress rule #1 opens tcp port 22 to 0.0.0.0/0; only tcp 80 and 443 may be open to the world. |',
        '| edge | advisory | `dynamodb-table-deletion-protection` | `aws:dynamodb/table:Table::jobs` | DynamoDB table "jobs" must set deletionProtectionEnabled: true. |',
      ].join("\n"),
    );
    expect(renderPolicySection([planWith("prod", "edge", [])])).toBe(
      "## Policy verdict (tradai-guardrails)\n\n**0 mandatory violations, 0 advisory violations**",
    );
  });
});
