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
      code: 'not-boolean',
      params: { value: 'perhaps' },
    });
    expect(convertCell(col('employees'), '12.5')).toEqual({
      error: '"12.5" is not a whole number',
      code: 'not-integer',
      params: { value: '12.5' },
    });
    expect(convertCell(col('lastInspectedOn'), '2027-02-30')).toEqual({
      error: '"2027-02-30" is not a date YYYY-MM-DD',
      code: 'not-date',
      params: { value: '2027-02-30' },
    });
    expect(convertCell(col('riskGrade'), 'red')).toMatchObject({
      error: expect.stringMatching(/not one of major, high/),
      code: 'not-allowed',
      params: { value: 'red' },
    });
    expect(convertCell(col('name'), '  ')).toEqual({ error: 'is required', code: 'required' });
    const specialties = COLUMNS.inspectors.find((c) => c.key === 'specialties')!;
    expect(convertCell(specialties, 'machinery；trade')).toEqual({ value: ['machinery', 'trade'] });
  });

  it('accepts Chinese labels beside the codes (issue #14: 危险化学品, 较大, 私营, 小型)', () => {
    const col = (key: string) => COLUMNS.units.find((c) => c.key === key)!;
    expect(convertCell(col('industry'), '危险化学品')).toEqual({ value: 'hazardous-chemicals' });
    expect(convertCell(col('riskGrade'), '较大')).toEqual({ value: 'high' });
    expect(convertCell(col('riskGrade'), '橙色')).toEqual({ value: 'high' });
    expect(convertCell(col('nature'), '私营')).toEqual({ value: 'private' });
    expect(convertCell(col('nature'), '民营')).toEqual({ value: 'private' });
    expect(convertCell(col('scale'), '小型')).toEqual({ value: 'small' });
    expect(convertCell(col('creditGrade'), 'B级')).toEqual({ value: 'B' });
    expect(convertCell(col('industry'), 'trade')).toEqual({ value: 'trade' });
    expect(convertCell(col('industry'), '危化')).toMatchObject({
      error: expect.stringMatching(/^"危化" is not one of hazardous-chemicals/),
    });
    const specialties = COLUMNS.inspectors.find((c) => c.key === 'specialties')!;
    expect(convertCell(specialties, '危险化学品、有限空间')).toEqual({
      value: ['hazardous-chemicals', 'confined-space'],
    });
    const status = COLUMNS.inspectors.find((c) => c.key === 'status')!;
    expect(convertCell(status, '离职')).toEqual({ value: 'left' });
    const kinds = COLUMNS['checklist-items'].find((c) => c.key === 'inspectionKinds')!;
    expect(convertCell(kinds, '暗查暗访；重点检查')).toEqual({ value: ['covert', 'key'] });
  });
});
