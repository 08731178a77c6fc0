import { describe, expect, it } from 'vitest';
import { OPEN_DATASETS, toCsv, type OpenDataset } from './open-data';

/** A dataset of one text and one count column, enough to see how each kind of cell is written. */
const dataset: OpenDataset = {
  name: 'sample',
  zh: '样例',
  description: 'A text and a count.',
  columns: [
    { name: 'unitName', type: 'string', zh: '单位名称', description: 'Unit' },
    { name: 'violations', type: 'integer', zh: '违法行为', description: 'Count' },
  ],
};

describe('open data as CSV', () => {
  it('writes every text a spreadsheet would run as a quoted text cell, and numbers as numbers', () => {
    const cells = [
      ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
      ['+1', `"'+1"`],
      ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
      ['\t=1', `"'\t=1"`],
      ['\r=1', `"'\r=1"`],
      ['-1+1', `"'-1+1"`],
      ['滨海化工有限公司', '滨海化工有限公司'],
    ] as const;
    const csv = toCsv(
      dataset,
      cells.map(([unitName], i) => ({ unitName, violations: i === 0 ? -3 : i })),
    );
    expect(csv).toBe(
      '\ufeffunitName,violations\r\n' +
        cells.map(([, field], i) => `${field},${i === 0 ? -3 : i}\r\n`).join(''),
    );
  });

  it('writes a missing value as an empty field and a flag as true/false', () => {
    const results = OPEN_DATASETS.find((d) => d.name === 'results')!;
    const csv = toCsv(results, [{ publicationId: 'p1', supplement: false, violations: null, summary: '无' }]);
    expect(csv.split('\r\n')[1]).toBe('p1,,,false,,,,,,,,,,无,');
  });
});
