/**
 * zod issues as lines that name the field: `maxDepth: expected a number, received "two"`.
 *
 *   formatIssues(result.error); // ['startUrls.0: expected an http(s) URL', …]
 */
import type { z } from 'zod';

/** The path of an issue as `a.b.0.c`, or `(root)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(root)';
}

/** One line per issue (unions: the closest branch's issues, not "invalid input"). */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((i) => issueLines(i, []));
}

function issueLines(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // report the branch that fits best: fewest and least fundamental problems, then the deepest
    const best = [...issue.errors].sort((a, b) => cost(a) - cost(b) || depth(b) - depth(a))[0]!;
    if (cost(best) < WRONG_TYPE) return best.flatMap((i) => issueLines(i, path));
  }
  if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
    return issue.issues.flatMap((i) => issueLines(i, path));
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(
      (k) => `${issuePath([...path, k])}: unknown field; check its spelling against the documented options`,
    );
  }
  return [`${issuePath(path)}: ${issue.message}`];
}

/** A branch of the wrong type altogether. */
const WRONG_TYPE = 100;

function cost(issues: readonly z.core.$ZodIssue[]): number {
  let c = 0;
  for (const i of issues) {
    if (i.code === 'invalid_union') c += Math.min(...i.errors.map(cost));
    else if ((i.code === 'invalid_type' || i.code === 'custom') && i.path.length === 0)
      c += WRONG_TYPE; // rejects the value as a whole
    else if (i.code === 'invalid_type' && /received undefined/.test(i.message))
      c += 3; // a required field is missing
    else if (i.code === 'unrecognized_keys') c += 2 * i.keys.length;
    else c += 1;
  }
  return c;
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(
    0,
    ...issues.map(
      (i) => i.path.length + (i.code === 'invalid_union' ? Math.max(0, ...i.errors.map(depth)) : 0),
    ),
  );
}
