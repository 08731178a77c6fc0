import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OpenFiles } from './open-data';

/** A build of `text` that counts how often it ran. */
function counted(text: string) {
  const build = Object.assign(
    async () => {
      build.runs++;
      return Buffer.from(text);
    },
    { runs: 0 },
  );
  return build;
}

describe('kept open-data downloads', () => {
  it('keeps one download per name and version, and builds again for a new version', async () => {
    const files = new OpenFiles(1000);
    const v1 = counted('a,b\r\n1,2\r\n');
    const first = await files.get('csv||', 'v1', v1);
    expect((await files.get('csv||', 'v1', v1)).body).toBe(first.body);
    expect(v1.runs).toBe(1);
    const v2 = counted('a,b\r\n1,2\r\n3,4\r\n');
    expect((await files.get('csv||', 'v2', v2)).body.toString()).toBe('a,b\r\n1,2\r\n3,4\r\n');
    expect(v2.runs).toBe(1);
    // The first version is gone with it: asked again, it is built again.
    await files.get('csv||', 'v1', v1);
    expect(v1.runs).toBe(2);
  });

  it('shares one build among concurrent requests for one version, and keeps no failed build', async () => {
    const files = new OpenFiles(1000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const slow = async () => {
      runs++;
      await gate;
      return Buffer.from('x');
    };
    const all = Promise.all([1, 2, 3, 4, 5].map(() => files.get('json||', 'v1', slow)));
    release();
    const got = await all;
    expect(runs).toBe(1);
    for (const f of got) expect(f).toBe(got[0]);
    const failing = async () => {
      runs++;
      throw new Error('database gone');
    };
    await expect(files.get('json|120116|', 'v1', failing)).rejects.toThrow('database gone');
    await expect(files.get('json|120116|', 'v1', failing)).rejects.toThrow('database gone');
    expect(runs).toBe(3);
  });

  it('keeps at most its bytes, least recently used out, and a larger download not at all', async () => {
    const files = new OpenFiles(100);
    const a = counted('a'.repeat(40));
    const b = counted('b'.repeat(40));
    const c = counted('c'.repeat(40));
    await files.get('a', 'v', a);
    await files.get('b', 'v', b);
    await files.get('a', 'v', a); // a used last: b is the oldest now
    await files.get('c', 'v', c); // 120 bytes: b goes
    await files.get('a', 'v', a);
    await files.get('c', 'v', c);
    expect([a.runs, c.runs]).toEqual([1, 1]);
    await files.get('b', 'v', b);
    expect(b.runs).toBe(2);
    const big = counted('z'.repeat(101));
    await files.get('big', 'v', big);
    await files.get('big', 'v', big);
    expect(big.runs).toBe(2);
    // The larger one pushed nothing out.
    await files.get('c', 'v', c);
    await files.get('b', 'v', b);
    expect([b.runs, c.runs]).toEqual([2, 1]);
  });

  it('compresses a framing once and keeps its gzip with the file, counted in its bytes', async () => {
    const files = new OpenFiles(10_000);
    const rows = counted(JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ i, name: `单位${i}` }))));
    const file = await files.get('json||', 'v', rows);
    const head = '{"dataset":"results","schema":"http://a/open/schema.json","rows":';
    const z = await files.gzip('json||', file, head, '}');
    expect(gunzipSync(z).toString()).toBe(`${head}${file.body.toString()}}`);
    expect(await files.gzip('json||', file, head, '}')).toBe(z);
    // Another origin's framing replaces it (one kept per file).
    const other = await files.gzip('json||', file, head.replace('http://a', 'http://b'), '}');
    expect(gunzipSync(other).toString()).toContain('http://b/');
    expect(await files.gzip('json||', file, head, '}')).not.toBe(z);
    // A file whose gzip would not fit beside it keeps its plain bytes alone.
    const tight = new OpenFiles(file.body.length + 10);
    const kept = await tight.get('json||', 'v', rows);
    await tight.gzip('json||', kept, head, '}');
    expect(kept.gzip).toBeNull();
    const runs = rows.runs;
    await tight.get('json||', 'v', rows);
    expect(rows.runs).toBe(runs);
  });
});
