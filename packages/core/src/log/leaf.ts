import { canonicalJson } from '../json';
import { toHex, utf8 } from '../draw/canonical';
import { hashLeaf } from './merkle';

/** What the log records of one publication: enough to recognise it, never its content. */
export interface PublicationLeaf {
  spec: 'spotcheck/log-leaf/v1';
  publicationId: string;
  bureauCode: string;
  kind: string;
  refId: string;
  period: string | null;
  title: string;
  /** `digestOf(content)`: SHA-256 of the canonical JSON of the published content. */
  contentDigest: string;
  replacesId: string | null;
  /** When the platform says it published (ISO 8601 with milliseconds, UTC). */
  publishedAt: string;
  /** The content's top-level `commitmentDigest`, when it has one (commitments, draws, voids). */
  subject: string | null;
}

/** The publication fields a leaf is made of (as the API returns them). */
export interface PublicationForLeaf {
  id: string;
  bureauCode: string;
  kind: string;
  refId: string;
  period: string | null;
  title: string;
  digest: string;
  content: unknown;
  replacesId: string | null;
  publishedAt: Date | string;
}

/** The leaf of a publication. */
export function publicationLeaf(p: PublicationForLeaf): PublicationLeaf {
  const c = p.content as { commitmentDigest?: unknown } | null;
  const subject =
    c && typeof c === 'object' && typeof c.commitmentDigest === 'string' ? c.commitmentDigest : null;
  return {
    spec: 'spotcheck/log-leaf/v1',
    publicationId: p.id,
    bureauCode: p.bureauCode,
    kind: p.kind,
    refId: p.refId,
    period: p.period,
    title: p.title,
    contentDigest: p.digest,
    replacesId: p.replacesId,
    publishedAt: new Date(p.publishedAt).toISOString(),
    subject,
  };
}

/** The bytes the log hashes: UTF-8 canonical JSON of the leaf. */
export function leafBytes(leaf: PublicationLeaf): Uint8Array {
  return utf8(canonicalJson(leaf));
}

/** Hex `SHA-256(0x00 ‖ leafBytes)`. */
export function leafHashHex(leaf: PublicationLeaf): string {
  return toHex(hashLeaf(leafBytes(leaf)));
}

const LEAF_KEYS = [
  'spec',
  'publicationId',
  'bureauCode',
  'kind',
  'refId',
  'period',
  'title',
  'contentDigest',
  'replacesId',
  'publishedAt',
  'subject',
] as const;

/** Checks an untrusted leaf object; returns it typed, or a reason. */
export function parseLeaf(x: unknown): { ok: true; leaf: PublicationLeaf } | { ok: false; reason: string } {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return { ok: false, reason: 'leaf is not an object' };
  const o = x as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !(LEAF_KEYS as readonly string[]).includes(k));
  if (extra.length) return { ok: false, reason: `leaf has unknown key ${extra[0]}` };
  if (o.spec !== 'spotcheck/log-leaf/v1')
    return { ok: false, reason: 'leaf.spec must be spotcheck/log-leaf/v1' };
  for (const k of [
    'publicationId',
    'bureauCode',
    'kind',
    'refId',
    'title',
    'contentDigest',
    'publishedAt',
  ] as const) {
    if (typeof o[k] !== 'string') return { ok: false, reason: `leaf.${k} must be a string` };
  }
  for (const k of ['period', 'replacesId', 'subject'] as const) {
    if (o[k] !== null && typeof o[k] !== 'string')
      return { ok: false, reason: `leaf.${k} must be a string or null` };
  }
  return { ok: true, leaf: o as unknown as PublicationLeaf };
}
