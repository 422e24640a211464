/**
 * What seeded-breaks.test.ts asks its compiler process (compile-with-edits.mts) to compile: a program,
 * and the edit sets to compile it with (each set applied alone, in order).
 */
export interface CompileRequest {
  /** The repository root: file names in the output are relative to it. */
  root: string;
  /** The tsconfig.json whose program is compiled. */
  project: string;
  /** Compiled in order; the output has one error list per set. */
  sets: EditSet[];
}

export interface EditSet {
  /** Absolute file name -> its full edited text. */
  edits: Record<string, string>;
  /** The files whose errors are reported: a regular expression over root-relative slash paths. */
  checked: string;
}
