// Posts the infrastructure summary on the pull request, or edits the one posted before: the comment is
// found by the hidden marker the summary starts with (scripts/src/ci/preview-summary.ts), so a pull
// request carries one summary however many times the workflow runs. Called from actions/github-script:
//   await require("./.github/scripts/upsert-comment.js")({ github, context, path: "summary.md" });
const fs = require("node:fs");

const MARKER = "<!-- tradai-preview-summary -->";

/**
 * @param {{ github: any, context: any, path: string, readFile?: (path: string) => string }} args
 * @returns {Promise<{ action: "created" | "updated", id: number }>}
 */
module.exports = async function upsertComment({ github, context, path, readFile }) {
  const body = (readFile ?? ((p) => fs.readFileSync(p, "utf8")))(path);
  if (!body.includes(MARKER)) throw new Error(`${path} does not start with the summary marker ${MARKER}`);
  const issue = context.payload.pull_request?.number ?? context.issue?.number;
  if (!issue) throw new Error("not a pull request event: no pull request number");
  const { owner, repo } = context.repo;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issue,
    per_page: 100,
  });
  // Only edit a comment this workflow wrote (a bot), never a person's comment that quotes the marker.
  const previous = comments.find((c) => c.user?.type === "Bot" && c.body?.includes(MARKER));
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    return { action: "updated", id: previous.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number: issue, body });
  return { action: "created", id: created.data.id };
};
