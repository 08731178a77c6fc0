/**
 * Every audit action the server can write, and every record kind it names, has a Chinese and an
 * English label (issue #15: the audit page shows words, never ids). The actions are found by
 * scanning the server's sources for the `action:` of its audit appends; `AuditInput.action` is
 * typed by the same table, so an unlisted literal is also a type error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, type AuditLabel } from '@spotcheck/core';
import { latinLeaks } from '../support/reads-chinese';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER_SOURCES = ['packages/api/src', 'apps/api/src'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** What follows `key:` in the server's sources up to the end of the expression's line. */
function valuesOf(key: 'action' | 'entity'): { literals: Set<string>; templates: Set<string> } {
  const literals = new Set<string>();
  const templates = new Set<string>();
  for (const file of SERVER_SOURCES.flatMap((d) => sourceFiles(join(ROOT, d)))) {
    for (const m of readFileSync(file, 'utf8').matchAll(new RegExp(`\\b${key}: ([^\\n]+)`, 'g'))) {
      // Every quoted id but a condition's operand (`o.kind === 'checklist-items' ? …`).
      for (const s of m[1]!.matchAll(/'([a-z][a-z0-9_.-]*)'(?!\s*\?)/g)) literals.add(s[1]!);
      for (const s of m[1]!.matchAll(/`([^`]*)`/g)) templates.add(s[1]!);
    }
  }
  return { literals, templates };
}

const labelled = (table: Record<string, AuditLabel>, id: string) => Object.hasOwn(table, id);

describe('audit labels', () => {
  it('label every action the server writes, in Chinese and English', () => {
    const { literals, templates } = valuesOf('action');
    // The scan does find the audit appends (session.login … log.witness.retire).
    expect(literals.size).toBeGreaterThan(70);
    for (const id of ['session.login', 'draw.run', 'log.witness.add', 'publication.quarterly-results'])
      expect(literals).toContain(id);
    const missing = [...literals].filter((a) => !labelled(AUDIT_ACTIONS, a));
    expect(missing).toEqual([]);
    // Built ids (`case.${input.step}`, `import.${o.kind}`): each shape has labelled actions.
    expect(templates.size).toBeGreaterThan(0);
    for (const t of templates) {
      const shape = new RegExp(`^${t.replace(/\./g, '\\.').replace(/\$\{[^}]+\}/g, '[a-z-]+')}$`);
      expect(
        Object.keys(AUDIT_ACTIONS).filter((a) => shape.test(a)),
        t,
      ).not.toEqual([]);
    }
  });

  it('label every record kind the server names', () => {
    const { literals } = valuesOf('entity');
    expect(literals.size).toBeGreaterThan(20);
    expect([...literals].filter((e) => !labelled(AUDIT_ENTITIES, e))).toEqual([]);
  });

  it('read as Chinese in Chinese and as English in English', () => {
    for (const [id, { zh, en }] of [...Object.entries(AUDIT_ACTIONS), ...Object.entries(AUDIT_ENTITIES)]) {
      expect(zh, id).toMatch(/[\u4e00-\u9fff]/);
      expect(latinLeaks([zh]), id).toEqual([]);
      expect(en, id).toMatch(/^[A-Z][A-Za-z' -]+$/);
    }
  });
});
