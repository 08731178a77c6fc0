/** Issues found while compiling packs: coded, with JSON paths and "did you mean" hints. */
import { z } from 'zod';
import { ZUnitFactsSchema } from '../facts';
import { ZManifestSchema } from '../schema';
import {
  formatCodeOf,
  hint,
  type Hint,
  hintMessage,
  type IssueCode,
  issueMessage,
  type IssueParamsOf,
} from '../messages';
import { closest } from '../suggest';
import type { PackIssue } from '../types';

/** JSON path text for a path array: `$.a.b[0]["x-y"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** Every key any pack file may use, for "did you mean" on unknown keys. */
const KNOWN_KEYS = [
  ...Object.keys(ZManifestSchema.shape),
  'stratum',
  'ratio',
  'minPerYear',
  'maxPerYear',
  'inspectionKind',
  'mandatory',
  'reason',
  'weight',
  'specialty',
  'expert',
  'name',
  'priority',
  'meta',
  'conditions',
  'event',
  'type',
  'params',
  'description',
  'source',
  'all',
  'any',
  'not',
  'fact',
  'operator',
  'value',
  'path',
  'period',
  'base',
  'cases',
  'facts',
  'expect',
  'fired',
  ...Object.keys(ZUnitFactsSchema.shape),
];

/** The closest candidate as a `didYouMean` hint, or undefined. */
export function didYouMeanHint(word: string, candidates: Iterable<string>): Hint | undefined {
  const candidate = closest(word, candidates);
  return candidate === undefined ? undefined : hint('didYouMean', { candidate });
}

/** What a zod issue is about, for `schema.tooSmall`/`schema.tooBig`. */
function originOf(origin: unknown): 'number' | 'list' | 'text' {
  return origin === 'array' || origin === 'set' ? 'list' : origin === 'string' ? 'text' : 'number';
}

export class Issues {
  readonly list: PackIssue[] = [];
  private push<C extends IssueCode>(
    severity: 'error' | 'warning',
    file: string,
    path: string,
    code: C,
    params: IssueParamsOf<C>,
    h?: Hint,
  ): void {
    const p = params as Readonly<Record<string, unknown>>;
    this.list.push({
      severity,
      file,
      path,
      code,
      params: p,
      message: issueMessage(code, p),
      ...(h ? { hint: h, suggestion: hintMessage(h) } : {}),
    });
  }
  error<C extends IssueCode>(file: string, path: string, code: C, params: IssueParamsOf<C>, h?: Hint): void {
    this.push('error', file, path, code, params, h);
  }
  warn<C extends IssueCode>(file: string, path: string, code: C, params: IssueParamsOf<C>, h?: Hint): void {
    this.push('warning', file, path, code, params, h);
  }
  zod(file: string, error: z.ZodError, base: readonly PropertyKey[] = []): void {
    for (const issue of error.issues) this.zodIssue(file, issue, [...base, ...issue.path]);
  }
  /** One zod issue as a coded issue at `where`. */
  zodIssue(file: string, issue: z.core.$ZodIssue, where: readonly PropertyKey[]): void {
    const path = jsonPath(where);
    const field = String(where[where.length - 1] ?? '$');
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys)
          this.error(
            file,
            jsonPath([...where, key]),
            'schema.unknownField',
            { field: key },
            didYouMeanHint(key, KNOWN_KEYS),
          );
        return;
      case 'invalid_value':
        if (issue.values.every((v) => typeof v === 'string')) {
          const input = (issue as { input?: unknown }).input;
          const allowed = issue.values;
          this.error(
            file,
            path,
            'schema.notOneOf',
            { value: input, allowed },
            typeof input === 'string' ? didYouMeanHint(input, allowed) : undefined,
          );
          return;
        }
        break;
      case 'invalid_type':
        if (/received undefined/.test(issue.message)) this.error(file, path, 'schema.missing', { field });
        else if (issue.expected === 'int') this.error(file, path, 'schema.notInteger', {});
        else this.error(file, path, 'schema.type', { expected: String(issue.expected) });
        return;
      case 'too_small':
        this.error(file, path, 'schema.tooSmall', {
          minimum: Number(issue.minimum),
          of: originOf(issue.origin),
        });
        return;
      case 'too_big':
        this.error(file, path, 'schema.tooBig', {
          maximum: Number(issue.maximum),
          of: originOf(issue.origin),
        });
        return;
      case 'invalid_format':
      case 'custom':
        this.error(file, path, 'schema.format', { format: formatCodeOf(issue.message) });
        return;
      default:
        break;
    }
    this.error(file, path, 'schema.invalid', { detail: issue.message });
  }
  get failed(): boolean {
    return this.list.some((i) => i.severity === 'error');
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
