// The API names problems by input field; a modal shows them under its blocks. One mapping for every
// modal: each problem goes under the block its modal picks for the field, several joined in one line.

export interface FieldProblem {
  field: string;
  message: string;
}

/** The problems' messages by block, in the order they came. */
export function problemsByBlock(problems: ReadonlyArray<FieldProblem>, blockFor: (field: string) => string): Map<string, string[]> {
  const byBlock = new Map<string, string[]>();
  for (const problem of problems) {
    const block = blockFor(problem.field);
    byBlock.set(block, [...(byBlock.get(block) ?? []), problem.message]);
  }
  return byBlock;
}

/** Slack's `errors` answer to a submission: one message per block. */
export function modalErrors(problems: ReadonlyArray<FieldProblem>, blockFor: (field: string) => string): Record<string, string> {
  return Object.fromEntries([...problemsByBlock(problems, blockFor)].map(([block, messages]) => [block, messages.join(' ')]));
}
