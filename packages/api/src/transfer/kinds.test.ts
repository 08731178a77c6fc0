import { describe, expect, it } from 'vitest';
import { columnFor, convertCell, COLUMNS, headerOf } from './kinds';

describe('spreadsheet columns', () => {
  it('finds columns by key, Chinese label or template header', () => {
    const id = COLUMNS.units[0]!;
    expect(columnFor('units', 'id')).toBe(id);
    expect(columnFor('units', '统一社会信用代码')).toBe(id);
    expect(columnFor('units', headerOf(id))).toBe(id);
    expect(columnFor('units', 'nonsense')).toBeUndefined();
  });

  it('converts cells and explains what is wrong', () => {
    const col = (key: string) => COLUMNS.units.find((c) => c.key === key)!;
    expect(convertCell(col('majorHazard'), '是')).toEqual({ value: true });
    expect(convertCell(col('majorHazard'), 'perhaps')).toEqual({
      error: '"perhaps" is not 是/否 (true/false)',
    });
    expect(convertCell(col('employees'), '12.5')).toEqual({ error: '"12.5" is not a whole number' });
    expect(convertCell(col('lastInspectedOn'), '2027-02-30')).toEqual({
      error: '"2027-02-30" is not a date YYYY-MM-DD',
    });
    expect(convertCell(col('riskGrade'), 'red')).toMatchObject({
      error: expect.stringMatching(/not one of major, high/),
    });
    expect(convertCell(col('name'), '  ')).toEqual({ error: 'is required' });
    const specialties = COLUMNS.inspectors.find((c) => c.key === 'specialties')!;
    expect(convertCell(specialties, 'machinery；trade')).toEqual({ value: ['machinery', 'trade'] });
  });
});
