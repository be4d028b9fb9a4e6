/**
 * The one formatter of zod issues in dlpipe: lines that name the field, e.g.
 * `maxDepth: expected a number, received "two"`; unions report their closest branch.
 *
 *   formatIssues(result.error);                 // ['startUrls.0: expected an http(s) URL', …]
 *   formatIssues(result.error, (p) => `--${p}`); // field names as a CLI shows them
 *   zodMessage('crawl options', result.error);  // one line: 'crawl options: a: …; b: …'
 */
import type { z } from 'zod';

/** The path of an issue as `a.b.0.c`, or `(root)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(root)';
}

/** How a field's path is shown: `a.b.0` by default. */
export type NameField = (path: readonly PropertyKey[]) => string;

/** One line per issue (unions: the closest branch's issues, not "invalid input"). */
export function formatIssues(error: z.ZodError, name: NameField = issuePath): string[] {
  return error.issues.flatMap((i) => issueLines(i, [], name));
}

/** The issues on one line behind what was checked: `what: field: problem; field: problem`. */
export function zodMessage(what: string, error: z.ZodError, name: NameField = issuePath): string {
  return `${what}: ${formatIssues(error, name).join('; ')}`;
}

function issueLines(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], name: NameField): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // report the branch that fits best: fewest and least fundamental problems, then the deepest
    const best = [...issue.errors].sort((a, b) => cost(a) - cost(b) || depth(b) - depth(a))[0]!;
    if (cost(best) < WRONG_TYPE) return best.flatMap((i) => issueLines(i, path, name));
  }
  if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
    return issue.issues.flatMap((i) => issueLines(i, path, name));
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(
      (k) => `${name([...path, k])}: unknown field; check its spelling against the documented options`,
    );
  }
  return [`${name(path)}: ${plainMessage(issue)}`];
}

/** zod's message, said plainly for the two cases people meet most (a missing value, a non-number). */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return `required (expected ${issue.expected})`;
  }
  return issue.message.replace(/^Invalid input: expected number, received NaN$/, 'expected a number');
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
