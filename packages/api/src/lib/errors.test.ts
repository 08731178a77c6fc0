/**
 * The refusal catalogue against its call sites (a static scan of the API's sources): every code a
 * site uses is catalogued with English and Chinese text, a site passes exactly the params its
 * template reads, no site throws an uncoded TRPCError, and no Chinese text is an English sentence.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, API_ERRORS, describeApiError, type ApiErrorCode } from '@spotcheck/core';
import { ApiError, fail } from './errors';

const ROOT = resolve(__dirname, '../../../..');
const SOURCE_DIRS = ['packages/api/src', 'apps/api/src'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : d.name.endsWith('.ts') && !d.name.endsWith('.test.ts')
        ? [join(dir, d.name)]
        : [],
  );
}

interface Site {
  where: string;
  code: string;
  /** Property names of a literal params object; null when the params are not a literal. */
  params: string[] | null;
}

/** Every `fail(http, field, code, params?)`, `apiError(…)` and `new CreateUserError(field, code, params?)`. */
function scan(): { sites: Site[]; uncoded: string[] } {
  const sites: Site[] = [];
  const uncoded: string[] = [];
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    const sf = ts.createSourceFile(
      file,
      readFileSync(join(ROOT, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const where = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node): void => {
      const callee =
        (ts.isCallExpression(n) || ts.isNewExpression(n)) && ts.isIdentifier(n.expression)
          ? n.expression.text
          : null;
      const args = (n as ts.CallExpression).arguments;
      const at = callee === 'fail' || callee === 'apiError' ? 2 : callee === 'CreateUserError' ? 1 : -1;
      if (at >= 0 && args && args.length > at && !file.endsWith('lib/errors.ts')) {
        const code = args[at]!;
        const params = args[at + 1];
        sites.push({
          where: where(n),
          code: ts.isStringLiteral(code) ? code.text : `<not a literal: ${code.getText()}>`,
          params:
            params === undefined
              ? []
              : ts.isObjectLiteralExpression(params)
                ? params.properties.map((p) => p.name!.getText())
                : null,
        });
      }
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'TRPCError')
        uncoded.push(where(n));
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { sites, uncoded };
}

/** The `p.name` reads of a template. */
const paramsRead = (fn: (p: never) => string) =>
  [...new Set([...fn.toString().matchAll(/\bp\.(\w+)/g)].map((m) => m[1]!))].sort();

describe('API refusal catalogue', () => {
  const { sites, uncoded } = scan();

  it('finds the call sites', () => {
    expect(sites.length).toBeGreaterThan(250);
  });

  it('every code used by the API is catalogued with English and Chinese text', () => {
    const unknown = sites.filter((s) => !(API_ERROR_CODES as string[]).includes(s.code));
    expect(unknown).toEqual([]);
    for (const code of API_ERROR_CODES) {
      expect(typeof API_ERRORS[code].en, code).toBe('function');
      expect(typeof API_ERRORS[code].zh, code).toBe('function');
    }
  });

  it('every site passes exactly the params its English template reads', () => {
    const wrong = sites
      .filter((s) => s.params !== null)
      .map((s) => ({
        where: s.where,
        code: s.code,
        given: [...s.params!].sort(),
        read: paramsRead(API_ERRORS[s.code as ApiErrorCode].en as never),
      }))
      .filter((s) => JSON.stringify(s.given) !== JSON.stringify(s.read));
    expect(wrong).toEqual([]);
  });

  it('the Chinese template reads no param the English one lacks', () => {
    for (const code of API_ERROR_CODES) {
      const en = paramsRead(API_ERRORS[code].en);
      expect(
        paramsRead(API_ERRORS[code].zh as never).filter((p) => !en.includes(p)),
        code,
      ).toEqual([]);
    }
  });

  it('every catalogued code is used somewhere', () => {
    const sourceText = SOURCE_DIRS.flatMap(sourceFiles)
      .map((f) => readFileSync(join(ROOT, f), 'utf8'))
      .join('\n');
    expect(API_ERROR_CODES.filter((c) => !sourceText.includes(`'${c}'`))).toEqual([]);
  });

  it('no TRPCError is thrown without a code (only the zod rethrow, whose formatter codes it)', () => {
    expect(uncoded).toEqual([expect.stringMatching(/^packages\/api\/src\/trpc\.ts:/)]);
  });

  it('no Chinese text is an English sentence', () => {
    for (const code of API_ERROR_CODES) {
      // The literal parts of the Chinese template (interpolations removed).
      const literal = (API_ERRORS[code].zh.toString().match(/`[^`]*`|'[^']*'/g) ?? [])
        .map((s) => s.replace(/\$\{[^}]*\}/g, ''))
        .join(' ');
      // input.invalid is composed by fieldZh and inputProblemZh (rendered below).
      if (code !== 'input.invalid') expect(literal, code).toMatch(/[\u4e00-\u9fff]/);
      expect(literal, code).not.toMatch(/[A-Za-z]{3,}[ ,]+[A-Za-z]{3,}/);
    }
  });

  it('renders zod input issues field by field in Chinese', () => {
    const issues = [
      {
        path: 'team.size',
        problem: 'tooSmall',
        limit: 2,
        of: 'number',
        message: 'Too small: expected number to be >=2',
      },
      {
        path: 'roles.0.bureauCode',
        problem: 'format',
        format: 'regex',
        message: 'must be a 6-digit GB/T 2260 code',
      },
      {
        path: 'oddField',
        problem: 'required',
        message: 'Invalid input: expected string, received undefined',
      },
    ] as const;
    expect(API_ERRORS['input.invalid'].zh({ issues })).toBe(
      '人数：不能小于 2；执法机构：应为 6 位行政区划代码；输入项“oddField”：必须填写',
    );
    expect(API_ERRORS['input.invalid'].en({ issues })).toBe(
      'team.size: Too small: expected number to be >=2; roles.0.bureauCode: must be a 6-digit GB/T 2260 code; oddField: Invalid input: expected string, received undefined',
    );
  });

  it('fail() throws an ApiError whose message is the English text and whose reason is the code', () => {
    let thrown: unknown;
    try {
      fail('CONFLICT', 'planId', 'plan.notSubmitted', { status: 'draft' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const e = thrown as ApiError;
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('planId: the plan is draft; approval needs a submitted plan');
    expect(e.reason).toEqual({ code: 'plan.notSubmitted', field: 'planId', params: { status: 'draft' } });
    expect(describeApiError({ reason: e.reason, trpcCode: e.code }, 'zh')).toBe(
      '计划当前为“草稿”：只能审批待审批的计划',
    );
    expect(describeApiError({ reason: e.reason, trpcCode: e.code }, 'en')).toBe(e.message);
  });
});
