/**
 * Refusals carry their catalogued reason (`data.reason`: code, field, params) through the HTTP
 * API and the upload route, keep their English message, and render in Chinese from the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeApiError, type ApiErrorReason } from '@spotcheck/core';
import { startServer, type RunningServer } from '@spotcheck/server';
import { BINHAI, HEPING, openTestDb, PASSWORD, signedInUser, type TestDb } from './harness';

let t: TestDb;
let server: RunningServer;
let cookie: string;
let adminId: string;
beforeAll(async () => {
  t = await openTestDb();
  server = await startServer({ database: t.database, port: 0, staticMounts: [] });
  adminId = (await signedInUser(t.database, 'coded-admin', BINHAI, ['district-admin'])).user.id;
  const login = await post('auth.login', { username: 'coded-admin', password: PASSWORD });
  cookie = login.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const post = (path: string, body: unknown, c?: string) =>
  fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(c ? { cookie: c } : {}) },
    body: JSON.stringify(body),
  });
const get = (path: string, input: unknown, c?: string) =>
  fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: c ? { cookie: c } : {},
  });

/** The error of a tRPC response: status, code, message and reason. */
async function refusal(res: Response) {
  const body = (await res.json()) as {
    error: { message: string; data: { code: string; reason: ApiErrorReason | null } };
  };
  return {
    status: res.status,
    ...body.error,
    zh: describeApiError({ ...body.error.data, trpcCode: body.error.data.code }, 'zh'),
  };
}

/** No English sentence (two Latin words in a row) and some Chinese. */
const chineseOnly = (s: string) => {
  expect(s).toMatch(/[\u4e00-\u9fff]/);
  expect(s).not.toMatch(/[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}/);
};

describe('coded refusals over HTTP', () => {
  it('a wrong password: auth.wrongPassword on field password', async () => {
    const e = await refusal(await post('auth.login', { username: 'coded-admin', password: 'wrong one' }));
    expect(e.status).toBe(401);
    expect(e.message).toBe('password: wrong username or password');
    expect(e.data.reason).toEqual({ code: 'auth.wrongPassword', field: 'password', params: {} });
    expect(e.zh).toBe('用户名或密码错误');
  });

  it('a zod input error: input.invalid with each issue coded by path and problem', async () => {
    const e = await refusal(await post('auth.login', { username: 'coded-admin' }));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^password: /);
    expect(e.data.reason?.code).toBe('input.invalid');
    expect(e.data.reason?.params).toEqual({
      issues: [expect.objectContaining({ path: 'password', problem: 'required' })],
    });
    expect(e.zh).toBe('密码：必须填写');
  });

  it('anonymous: auth.signInFirst', async () => {
    const e = await refusal(await get('users.list', {}));
    expect(e.status).toBe(401);
    expect(e.data.reason).toEqual({ code: 'auth.signInFirst', field: 'session', params: {} });
    chineseOnly(e.zh);
  });

  it("another district's bureau: access.bureau with the roles and the bureau", async () => {
    const e = await refusal(await get('users.list', { bureauCode: HEPING }, cookie));
    expect(e.status).toBe(403);
    expect(e.message).toBe(
      `bureauCode: city-admin or district-admin or auditor of bureau ${HEPING} required`,
    );
    expect(e.data.reason).toEqual({
      code: 'access.bureau',
      field: 'bureauCode',
      params: { roles: ['city-admin', 'district-admin', 'auditor'], bureauCode: HEPING },
    });
    expect(e.zh).toBe('你在该执法机构没有所需的角色（市局管理员、区局管理员、审计员）');
  });

  it('a missing plan: notFound with the entity and the id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const e = await refusal(await get('plans.get', { planId: id }, cookie));
    expect(e.status).toBe(404);
    expect(e.message).toBe(`planId: no plan ${id}`);
    expect(e.data.reason).toEqual({ code: 'notFound', field: 'planId', params: { entity: 'plan', id } });
    expect(e.zh).toBe('找不到该抽查计划');
  });

  it('a domain rule: user.ownStatus', async () => {
    const e = await refusal(await post('users.setStatus', { userId: adminId, status: 'disabled' }, cookie));
    expect(e.status).toBe(400);
    expect(e.message).toBe('userId: you cannot change your own status');
    expect(e.data.reason).toEqual({ code: 'user.ownStatus', field: 'userId', params: {} });
    expect(e.zh).toBe('不能修改自己的账户状态');
  });

  it('the upload route answers with the same coded error shape', async () => {
    const res = await fetch(`${server.url}/upload/import/nonsense?format=csv`, {
      method: 'POST',
      headers: { cookie },
      body: 'x',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; reason: ApiErrorReason } };
    expect(body.error.message).toMatch(/^kind: one of /);
    expect(body.error.reason.code).toBe('upload.kind');
    expect(body.error.reason.params.allowed).toContain('units');
    chineseOnly(describeApiError({ reason: body.error.reason, trpcCode: body.error.code }, 'zh'));
  });

  it('an uncatalogued refusal falls back to a Chinese sentence with the reference', () => {
    const zh = describeApiError(
      {
        reason: { code: 'future.code', field: 'x', params: {} },
        trpcCode: 'CONFLICT',
        message: 'x: something new',
      },
      'zh',
    );
    expect(zh).toBe('数据已有变化，操作未完成，请刷新后重试（参考：future.code）');
    chineseOnly(zh.replace(/（参考：.*）/, ''));
  });
});
