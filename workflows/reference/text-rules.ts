import { z } from 'zod';

/**
 * One input rule for every text the service accepts (bodies, query parameters, headers it reads, token claims): no
 * NUL and no other C0 control character. PostgreSQL refuses 0x00 in text, and the others (escape, backspace, bell…)
 * have no place in a case file and can forge log lines or terminal output. Tab and newline (LF, or CR LF) are kept
 * where text may run over lines; single-line fields (names, ids, reasons in a header) refuse them too.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_TAB_NEWLINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\r(?!\n)/;
// eslint-disable-next-line no-control-regex -- as above
const ANY_CONTROL = /[\u0000-\u001F\u007F]/;

export const CONTROL_CHARACTER_RULE = 'must not contain NUL or other control characters (tab and newline only in multi-line text)';
export const SINGLE_LINE_RULE = 'must be a single line without control characters';

export function hasForbiddenControlCharacter(s: string): boolean {
  return CONTROL_EXCEPT_TAB_NEWLINE.test(s);
}

export function isSingleLine(s: string): boolean {
  return !ANY_CONTROL.test(s);
}

/** A single-line string: no control character at all. */
export const singleLine = <T extends z.ZodString>(schema: T) => schema.refine(isSingleLine, SINGLE_LINE_RULE);

/**
 * Refuses a forbidden control character anywhere in a value (strings at any depth), naming the path of each. Walked
 * with an explicit stack, so a deeply nested body cannot exhaust the call stack. Object keys are checked as well.
 */
export function controlCharacterIssues(value: unknown, limit = 20): Array<{ path: Array<string | number> }> {
  const issues: Array<{ path: Array<string | number> }> = [];
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0 && issues.length < limit) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (hasForbiddenControlCharacter(v)) issues.push({ path });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, child] of Object.entries(v)) {
        if (hasForbiddenControlCharacter(key)) issues.push({ path: [...path, '(key)'] });
        else stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return issues;
}

/** The rule as a zod refinement in front of any schema: the schema runs only on input that passes it. */
export function withTextRule<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      for (const issue of controlCharacterIssues(value)) ctx.addIssue({ code: 'custom', path: issue.path, message: CONTROL_CHARACTER_RULE });
    })
    .pipe(schema);
}
