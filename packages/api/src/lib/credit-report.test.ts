import { describe, expect, it } from 'vitest';
import { CREDIT_COLUMNS, CREDIT_FORMAT, toCsv, type CreditRecord } from './credit-report';

/** An inspection result record of the unit named `unitName`, with `findings` findings. */
function result(unitName: string, findings: number): CreditRecord {
  return {
    format: CREDIT_FORMAT,
    recordType: 'inspection-result',
    recordId: 'r1',
    bureauCode: '120116',
    unitId: '91120116MA05K2T3X1',
    unitName,
    date: '2026-05-01',
    decisionNumber: null,
    basis: null,
    outcome: 'violations',
    findings,
    majorHazards: 0,
    publicationId: null,
  };
}

describe('credit report as CSV', () => {
  it('writes every text a spreadsheet would run as a quoted text cell, and counts as numbers', () => {
    const cells = [
      ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
      ['+1', `"'+1"`],
      ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
      ['\t=1', `"'\t=1"`],
      ['\r=1', `"'\r=1"`],
      ['-1+1', `"'-1+1"`],
      ['滨海化工有限公司', '滨海化工有限公司'],
    ] as const;
    // (No count is negative; -3 shows that a number the platform writes stays a number.)
    const csv = toCsv(cells.map(([name]) => result(name, -3))).toString('utf8');
    expect(csv).toBe(
      `\ufeff${CREDIT_COLUMNS.join(',')}\r\n` +
        cells
          .map(
            ([, field]) =>
              `${CREDIT_FORMAT},inspection-result,r1,120116,91120116MA05K2T3X1,${field},2026-05-01,,,violations,-3,0,\r\n`,
          )
          .join(''),
    );
  });
});
