/**
 * Draw checks run on the verification thread (issue 16: a city draw's check must not stop the
 * server): the thread gives the report the server would compute itself, passes a check's error
 * back to its caller, and a stopped or failed thread is replaced by the next check.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkDrawOffThread,
  checkOffThread,
  runDrawCheck,
  stopVerificationThread,
  type LogVerificationInputs,
} from '@spotcheck/api/testing';

const unsigned = { algorithm: 'sr-draw/v1' as const, content: JSON.stringify({ bundle: {}, signOff: null }) };

afterAll(() => stopVerificationThread());

describe('the verification thread', () => {
  it('answers the same report as a check on the server thread', async () => {
    const report = await checkOffThread(unsigned);
    expect(report).toEqual(runDrawCheck(unsigned));
    expect(report).toMatchObject({
      algorithm: 'sr-draw/v1',
      ok: false,
      signature: { ok: false, reason: 'the draw is not signed' },
    });
  });

  it('takes the content as UTF-8 bytes, moved to the thread, and answers as for the text', async () => {
    const text = JSON.stringify({ bundle: { commitmentDigest: '摘要', resultDigest: 'b' }, signOff: null });
    const bytes = new TextEncoder().encode(text);
    const copy = bytes.slice();
    const report = await checkOffThread({ algorithm: 'sr-draw/v1', content: bytes });
    expect(report).toEqual(runDrawCheck({ algorithm: 'sr-draw/v1', content: text }));
    expect(runDrawCheck({ algorithm: 'sr-draw/v1', content: copy })).toEqual(report);
    // Moved, not copied: the server's view of the ~10^8 bytes of a city draw is emptied.
    expect(bytes.byteLength).toBe(0);
    // A view into a shared buffer is copied instead; the buffer's other bytes stay the caller's.
    const shared = Buffer.from(text);
    const view = shared.subarray(0);
    await expect(checkOffThread({ algorithm: 'sr-draw/v1', content: view })).resolves.toEqual(report);
    expect(shared.toString()).toBe(text);
  });

  it('takes a whole publication record as bytes and checks its content, as the content alone', async () => {
    // What `publications.verifyDraw` hands the thread: the public file's bytes (publication-record.ts).
    const content = {
      bundle: { commitmentDigest: '摘要', resultDigest: 'b' },
      signOff: null,
      roster: [['91', '名']],
    };
    const record = `{"id" : "p", "title" : "第1次 \\"}", "content" : ${JSON.stringify(content)}}`;
    const report = await checkOffThread({
      algorithm: 'sr-draw/v1',
      content: new TextEncoder().encode(record),
      record: true,
    });
    expect(report).toEqual(runDrawCheck({ algorithm: 'sr-draw/v1', content: JSON.stringify(content) }));
    expect(runDrawCheck({ algorithm: 'sr-draw/v1', content: record, record: true })).toEqual(report);
  });

  it('refuses, as a conflict and not a server error, a bundle whose signing time changed between two reads', async () => {
    // The row said one time, the bundle another; read again for the bundle's, the bundle (edited
    // by hand in between) says a third. Nothing is reported against the wrong registry.
    const v2 = (signedAt: string, read: string | null) => ({
      algorithm: 'sr-draw/v2' as const,
      isVoid: false,
      content: JSON.stringify({ bundle: { signOff: { signedAt } } }),
      inputs: {
        signedAt: read,
        signOff: { leaf: 'unknown', inclusion: null },
      } as unknown as LogVerificationInputs,
      production: false,
    });
    const reads: (string | null)[] = [];
    const err = await checkDrawOffThread(v2('2027-01-06T00:00:00Z', null), (at) => {
      reads.push(at);
      return Promise.resolve(v2('2027-01-07T00:00:00Z', at));
    }).catch((e: unknown) => e);
    expect(reads).toEqual(['2027-01-06T00:00:00Z']);
    expect(err).toMatchObject({
      code: 'CONFLICT',
      reason: { code: 'draw.changedWhileChecked', field: 'id' },
    });
  });

  it('passes a check’s error to its caller and goes on with the next check', async () => {
    await expect(checkOffThread({ algorithm: 'sr-draw/v1', content: '{"bundle":' })).rejects.toThrow(/JSON/);
    await expect(checkOffThread(unsigned)).resolves.toMatchObject({ ok: false });
  });

  it('takes concurrent checks in turn, each answered with its own report', async () => {
    const contents = [null, { publicKey: 'x', signature: 'y' }].map((signOff) => ({
      algorithm: 'sr-draw/v1' as const,
      content: JSON.stringify({ bundle: { commitmentDigest: 'a', resultDigest: 'b' }, signOff }),
    }));
    const reports = await Promise.all(contents.map((c) => checkOffThread(c)));
    expect(reports).toEqual(contents.map((c) => runDrawCheck(c)));
    expect(reports.map((r) => ('signature' in r ? r.signature.reason : null))).toEqual([
      'the draw is not signed',
      expect.stringMatching(/./),
    ]);
  });

  it('starts a new thread after the last one stopped, and fails the checks a stopped thread held', async () => {
    const held = expect(checkOffThread(unsigned)).rejects.toThrow(/verification thread stopped/);
    await stopVerificationThread();
    await held;
    await expect(checkOffThread(unsigned)).resolves.toMatchObject({ algorithm: 'sr-draw/v1' });
  });
});
