/** .github/scripts/upsert-comment.js: one summary comment per pull request, edited in place. */
import * as path from "node:path";
import { PREVIEW_COMMENT_MARKER } from "../../src/ci/preview-summary";

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}
type Upsert = (args: {
  github: unknown;
  context: unknown;
  path: string;
  readFile?: (p: string) => string;
}) => Promise<{ action: string; id: number }>;

const upsert = require(path.resolve(__dirname, "../../../.github/scripts/upsert-comment.js")) as Upsert;

/** A GitHub REST client double holding one pull request's comments. */
function fakeGithub(comments: Comment[]) {
  const calls: string[] = [];
  let nextId = 1000;
  const rest = {
    issues: {
      listComments: async () => ({ data: comments }),
      updateComment: async (p: { comment_id: number; body: string }) => {
        calls.push(`update ${p.comment_id}`);
        const c = comments.find((x) => x.id === p.comment_id);
        if (c) c.body = p.body;
      },
      createComment: async (p: { issue_number: number; body: string }) => {
        calls.push(`create on #${p.issue_number}`);
        const c = { id: nextId++, body: p.body, user: { type: "Bot" } };
        comments.push(c);
        return { data: c };
      },
    },
  };
  return {
    calls,
    comments,
    github: {
      rest,
      paginate: async (fn: () => Promise<{ data: Comment[] }>, _params: unknown) => (await fn()).data,
    },
  };
}

const context = {
  repo: { owner: "tradai", repo: "tradai-infra" },
  payload: { pull_request: { number: 42 } },
};
const summary = (text: string) => () => `${PREVIEW_COMMENT_MARKER}\n${text}\n`;

describe("upsert-comment", () => {
  it("creates the comment when the pull request has none, then edits that one on the next run", async () => {
    const gh = fakeGithub([{ id: 1, body: "LGTM", user: { type: "User" } }]);
    const first = await upsert({ github: gh.github, context, path: "s.md", readFile: summary("run 1") });
    expect(first.action).toBe("created");
    const second = await upsert({ github: gh.github, context, path: "s.md", readFile: summary("run 2") });
    expect(second).toEqual({ action: "updated", id: first.id });
    expect(gh.calls).toEqual(["create on #42", `update ${first.id}`]);
    expect(gh.comments.filter((c) => c.body.includes(PREVIEW_COMMENT_MARKER))).toHaveLength(1);
    expect(gh.comments.find((c) => c.id === first.id)?.body).toContain("run 2");
  });

  it("never edits a person's comment that quotes the marker", async () => {
    const gh = fakeGithub([{ id: 7, body: `quoting ${PREVIEW_COMMENT_MARKER}`, user: { type: "User" } }]);
    const result = await upsert({ github: gh.github, context, path: "s.md", readFile: summary("x") });
    expect(result.action).toBe("created");
    expect(gh.comments.find((c) => c.id === 7)?.body).toBe(`quoting ${PREVIEW_COMMENT_MARKER}`);
  });

  it("refuses a body without the marker and an event without a pull request, posting nothing", async () => {
    const gh = fakeGithub([]);
    await expect(
      upsert({ github: gh.github, context, path: "s.md", readFile: () => "no marker" }),
    ).rejects.toThrow(/marker/);
    await expect(
      upsert({
        github: gh.github,
        context: { repo: context.repo, payload: {} },
        path: "s.md",
        readFile: summary("x"),
      }),
    ).rejects.toThrow(/not a pull request/);
    expect(gh.calls).toEqual([]);
  });
});
