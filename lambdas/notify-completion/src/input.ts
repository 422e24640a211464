/** The input of notify-completion: the contract's shape, tolerant of how Step Functions reports errors. */
import { BoundedText, ERROR_MAX_BYTES, NotifyCompletionInput } from "@tradai/contracts";
import * as z from "zod";

/** What a Step Functions `Catch` stores at its ResultPath: `{ Error, Cause }`. */
const StatesError = z.object({ Error: z.string().min(1), Cause: z.string().optional() });

/**
 * NotifyCompletionInput whose `error` may also be the `{ Error, Cause }` object of a Catch, rendered as
 * `Error: Cause`, so the workflow's failure path can pass it through without an extra Pass state.
 */
export const CompletionInput = NotifyCompletionInput.extend({
  error: z
    .union([z.string(), StatesError])
    .transform((e) => (typeof e === "string" ? e : e.Cause ? `${e.Error}: ${e.Cause}` : e.Error))
    .pipe(BoundedText(ERROR_MAX_BYTES))
    .optional(),
});
export type CompletionInput = z.output<typeof CompletionInput>;
