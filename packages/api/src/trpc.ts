import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { CITY_BUREAU_CODE, type ApiErrorReason, type InputIssue, type Role } from '@spotcheck/core';
import type { Db } from '@spotcheck/db';
import { appendAudit, type AuditInput } from './audit/chain';
import { resolveApiToken, type ApiTokenInfo } from './auth/api-tokens';
import { resolveSession, type SessionUser } from './auth/sessions';
import { keySecretOf } from './auth/signing-keys';
import type { Beacon } from './lib/beacon';
import type { DbOrTx } from './lib/db';
import { ApiError, fail, internalError, toClientError } from './lib/errors';
import { evidenceDirFromEnv } from './lib/evidence';
import { checkInputShape } from './lib/runtime';

/** GB/T 2260 code of the city bureau, whose roles reach every district. */
export const CITY_BUREAU = CITY_BUREAU_CODE;

/** What every procedure sees. Built per request by the HTTP adapter, or directly in tests. */
export interface Context {
  db: Db;
  /** Server clock; injectable so tests can pin time. Timestamps never come from clients. */
  now: () => Date;
  /** The signed-in user, from the session cookie; null for anonymous requests. */
  user: SessionUser | null;
  /** The external system behind a bearer token (R22–R23); null otherwise. */
  apiToken: ApiTokenInfo | null;
  clientAddress: string | null;
  userAgent: string | null;
  /** Server secret that encrypts signing keys at rest. */
  keySecret: string;
  /** Whether cookies get the `Secure` flag (HTTPS deployments). */
  secureCookies: boolean;
  /** Adds a `Set-Cookie` header to the response (no-op without HTTP). */
  setCookie: (value: string) => void;
  /** Where uploaded evidence files are stored (content-addressed by SHA-256). */
  evidenceDir: string;
  /** The drand beacon the server fetches rounds from (the demo beacon offline); null: none configured. */
  beacon: Beacon | null;
  /** A production deployment (`NODE_ENV=production`): unpinned drand chains are refused. */
  production: boolean;
  /**
   * The most bytes one publication may hold: PostgreSQL's limit on a jsonb value when unset. Lower
   * only in tests, which cannot build a city past the real one.
   */
  publicationLimitBytes?: number;
}

/** Options of {@link createContextInner}. */
export interface CreateContextOptions {
  db: Db;
  now?: () => Date;
  sessionToken?: string | null;
  bearerToken?: string | null;
  clientAddress?: string | null;
  userAgent?: string | null;
  keySecret?: string;
  secureCookies?: boolean;
  setCookie?: (value: string) => void;
  /** Evidence store; default {@link evidenceDirFromEnv}. */
  evidenceDir?: string;
  /** drand beacon (demo or relay); default none. */
  beacon?: Beacon | null;
  /** Default: `NODE_ENV === 'production'`. */
  production?: boolean;
  /** See {@link Context.publicationLimitBytes}. */
  publicationLimitBytes?: number;
}

/** Builds a context without HTTP (tests, CLI): resolves the session and bearer token if given. */
export async function createContextInner(opts: CreateContextOptions): Promise<Context> {
  const now = opts.now ?? (() => new Date());
  return {
    db: opts.db,
    now,
    user: opts.sessionToken ? await resolveSession(opts.db, opts.sessionToken, now()) : null,
    apiToken: opts.bearerToken ? await resolveApiToken(opts.db, opts.bearerToken) : null,
    clientAddress: opts.clientAddress ?? null,
    userAgent: opts.userAgent ?? null,
    keySecret: opts.keySecret ?? keySecretOf(opts.db),
    secureCookies: opts.secureCookies ?? false,
    setCookie: opts.setCookie ?? (() => {}),
    evidenceDir: opts.evidenceDir ?? evidenceDirFromEnv(),
    beacon: opts.beacon ?? null,
    production: opts.production ?? process.env.NODE_ENV === 'production',
    ...(opts.publicationLimitBytes === undefined
      ? {}
      : { publicationLimitBytes: opts.publicationLimitBytes }),
  };
}

/** `path: message` for each zod issue, joined: readable in the SPA and in curl. */
export function describeZodError(err: ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

const SIZE_ORIGIN: Readonly<Record<string, InputIssue['of']>> = {
  number: 'number',
  int: 'number',
  bigint: 'number',
  string: 'text',
  array: 'list',
  set: 'list',
  date: 'date',
};

/** Each zod issue as a coded input problem (`input.invalid`), for the apps to render in Chinese. */
export function inputIssuesOf(err: ZodError): InputIssue[] {
  return err.issues.map((i): InputIssue => {
    const path = i.path.length ? i.path.join('.') : 'input';
    const base = { path, message: i.message };
    switch (i.code) {
      case 'invalid_type':
        return /received undefined$/.test(i.message)
          ? { ...base, problem: 'required' }
          : { ...base, problem: 'type', expected: i.expected };
      case 'too_small':
        return {
          ...base,
          problem: 'tooSmall',
          limit: Number(i.minimum),
          of: SIZE_ORIGIN[i.origin] ?? 'other',
          inclusive: i.inclusive ?? true,
        };
      case 'too_big':
        return {
          ...base,
          problem: 'tooBig',
          limit: Number(i.maximum),
          of: SIZE_ORIGIN[i.origin] ?? 'other',
          inclusive: i.inclusive ?? true,
        };
      case 'invalid_format':
        return { ...base, problem: 'format', format: i.format };
      case 'invalid_value':
        return { ...base, problem: 'notOneOf', values: i.values.map((v) => String(v)) };
      case 'unrecognized_keys':
        return { ...base, problem: 'unknownKey', values: i.keys };
      default:
        return { ...base, problem: 'invalid' };
    }
  });
}

const t = initTRPC.context<Context>().create({
  // Responses never carry stack traces (development included): the server log has them.
  isDev: false,
  errorFormatter({ shape, error, path }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    let message = zodError ? describeZodError(zodError) : shape.message;
    // The catalogued reason (code, field, params) the apps render in the reader's language.
    let reason: ApiErrorReason | null = error instanceof ApiError ? error.reason : null;
    if (zodError)
      reason = { code: 'input.invalid', field: 'input', params: { issues: inputIssuesOf(zodError) } };
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      // A genuine server fault: its message may hold SQL and parameters. Log it, answer a reference.
      const fault = internalError(path ?? '?', error.cause ?? error);
      message = fault.message;
      reason = { code: 'internal', field: 'server', params: { ref: fault.ref } };
    }
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message,
      data: {
        ...data,
        fields: zodError ? z.flattenError(zodError).fieldErrors : null,
        reason,
      },
    };
  },
});

/** Router builder. */
export const router = t.router;
/** Caller factory for tests and the CLI (`createCaller(ctx)`). */
export const createCallerFactory = t.createCallerFactory;
/** Middleware builder. */
export const middleware = t.middleware;

/** Turns database constraint errors into 4xx errors that name the field, never a 500. */
const mapErrors = t.middleware(async ({ next }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (cause instanceof ZodError && res.error.code === 'BAD_REQUEST') {
      throw new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(cause), cause });
    }
    const mapped = toClientError(res.error.cause ?? res.error);
    if (mapped) throw mapped;
  }
  return res;
});

/** Refuses NUL characters and hostile nesting in any input before it is parsed (400, never 500). */
const cleanInput = t.middleware(async ({ getRawInput, next }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch {
    return next(); // unreadable input: the procedure's own parser answers (or ignores it)
  }
  checkInputShape(raw);
  return next();
});

/** Rung 1: anyone, including the public portal. */
export const publicProcedure = t.procedure.use(mapErrors).use(cleanInput);

/** Rung 2: a signed-in user. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) fail('UNAUTHORIZED', 'session', 'auth.signInFirst');
  return next({ ctx: { user: ctx.user } });
});

/** Role- and bureau-scoped access of one procedure call. */
export interface Access {
  /** Roles the procedure allows. */
  allowed: readonly Role[];
  /** Bureaus the user reaches with an allowed role: `'all'` through a city grant. */
  scope: 'all' | string[];
  /** The role the user acts with in a bureau; throws FORBIDDEN when none of the allowed roles reaches it. */
  bureau(code: string): Role;
  /** Whether the user reaches a bureau with an allowed role. */
  reaches(code: string): boolean;
}

/** Builds the {@link Access} of a user for a set of allowed roles. */
export function accessFor(user: SessionUser, allowed: readonly Role[]): Access {
  const grants = user.roles.filter((g) => allowed.includes(g.role));
  const roleIn = (code: string): Role | null =>
    grants.find((g) => g.bureauCode === code)?.role ??
    grants.find((g) => g.bureauCode === CITY_BUREAU)?.role ??
    null;
  return {
    allowed,
    scope: grants.some((g) => g.bureauCode === CITY_BUREAU)
      ? 'all'
      : [...new Set(grants.map((g) => g.bureauCode))],
    bureau(code) {
      const role = roleIn(code);
      if (!role) {
        fail('FORBIDDEN', 'bureauCode', 'access.bureau', { roles: [...allowed], bureauCode: code });
      }
      return role;
    },
    reaches: (code) => roleIn(code) !== null,
  };
}

/** An audit event as a procedure states it; the actor is filled in from the session. */
export type AuditEvent = Omit<AuditInput, 'actorUserId' | 'actorRole'> & { bureauCode: string | null };

/**
 * Rung 3: a user holding one of `roles` (in some bureau). The procedure then calls
 * `ctx.access.bureau(code)` for every bureau it reads or changes, and `ctx.audit(tx, event)`
 * inside the transaction of every mutation.
 */
export function roleProcedure(roles: readonly Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    const access = accessFor(ctx.user, roles);
    if (access.scope !== 'all' && access.scope.length === 0) {
      fail('FORBIDDEN', 'role', 'access.role', { roles: [...roles] });
    }
    const audit = (tx: DbOrTx, e: AuditEvent) => {
      const role =
        e.bureauCode && access.reaches(e.bureauCode)
          ? access.bureau(e.bureauCode)
          : (ctx.user.roles.find((g) => roles.includes(g.role))?.role ?? null);
      return appendAudit(tx, { ...e, actorUserId: ctx.user.id, actorRole: role }, ctx.now());
    };
    return next({ ctx: { access, audit } });
  });
}

/** Rung 3 for machines: a bearer token holding `scope` (`publications:read`, `facts:write`). */
export function tokenProcedure(scope: string) {
  return publicProcedure.use(({ ctx, next }) => {
    if (!ctx.apiToken) fail('UNAUTHORIZED', 'authorization', 'auth.bearerRequired');
    if (!ctx.apiToken.scopes.includes(scope)) {
      fail('FORBIDDEN', 'authorization', 'auth.tokenScope', { scope });
    }
    return next({ ctx: { apiToken: ctx.apiToken } });
  });
}

/** Role groups used across routers. */
export const ROLE_GROUPS = {
  /** Everyone with a staff role (read access to a bureau's data). */
  staff: ['city-admin', 'district-admin', 'draw-operator', 'approver', 'auditor'] as const,
  /** Everyone, inspectors included. */
  all: ['city-admin', 'district-admin', 'draw-operator', 'approver', 'inspector', 'auditor'] as const,
  /** Roster, checklist, procedure and account administration. */
  admins: ['city-admin', 'district-admin'] as const,
  /** Plan drafting. */
  planners: ['city-admin', 'district-admin', 'draw-operator'] as const,
} satisfies Record<string, readonly Role[]>;
