import { describe, expect, it } from 'vitest';
import { ProgressBoard } from './progress';

describe('the progress board', () => {
  it('answers the reporting user only, and keeps the 10,000 operations reported last', async () => {
    const board = new ProgressBoard();
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    board.reporter('u1', id(0))('roster', 5, 10);
    expect(await board.progressOf('u1', id(0))).toEqual({ phase: 'roster', done: 5, total: 10, step: null });
    expect(await board.progressOf('u2', id(0))).toBeNull();
    // Without an id nothing is kept.
    board.reporter('u1', undefined)('done');
    // Ten thousand more operations push the first out; one reported again stays.
    board.reporter('u1', id(1))('computing');
    for (let n = 2; n <= 10_000; n++) board.reporter('u2', id(n))('done');
    board.reporter('u1', id(1))('writing');
    board.reporter('u2', id(10_001))('done');
    expect(await board.progressOf('u1', id(0))).toBeNull();
    expect(await board.progressOf('u1', id(1))).toEqual({
      phase: 'writing',
      done: 0,
      total: null,
      step: null,
    });
    expect(await board.progressOf('u2', id(2))).toBeNull();
    expect((await board.progressOf('u2', id(10_001)))?.phase).toBe('done');
  });

  it('stops an operation asked to while it writes nothing, at its next report or at writing()', async () => {
    const board = new ProgressBoard();
    const op = '00000000-0000-4000-8000-000000000001';
    const report = board.reporter('u1', op);
    report('roster', 1, 10);
    expect(await board.requestCancel('u2', op)).toBe(false);
    expect(await board.requestCancel('u1', op)).toBe(true);
    await expect(report.writing()).rejects.toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
    // Once writing: refused, and the operation goes on.
    const late = board.reporter('u1', '00000000-0000-4000-8000-000000000002');
    late('computing');
    await late.writing();
    expect(await board.requestCancel('u1', '00000000-0000-4000-8000-000000000002')).toBe(false);
    late('done');
  });
});
