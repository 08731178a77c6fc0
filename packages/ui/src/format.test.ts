import { describe, expect, it } from 'vitest';
import { chinaToday, chinaYear, csvText, fmtDate, fmtTime, shortHash } from './format';

describe('times in China time', () => {
  it('shows China time (UTC+8) whatever the zone of the browser', () => {
    expect(fmtTime('2026-12-31T16:30:00Z')).toBe('2027-01-01 00:30');
    expect(fmtTime(new Date('2026-06-30T23:59:00-05:00'))).toBe('2026-07-01 12:59');
    expect(fmtDate('2026-12-31T16:30:00Z')).toBe('2027-01-01');
    expect(fmtTime(null)).toBe('');
    expect(fmtTime('not a time')).toBe('');
  });
  it('keeps a calendar date as it is', () => {
    expect(fmtDate('2027-03-20')).toBe('2027-03-20');
  });
  it('takes today and the year from China’s calendar, not the browser’s', () => {
    // 2026-12-31 20:00 in Los Angeles is already 2027-01-01 12:00 in China.
    const now = new Date('2026-12-31T20:00:00-08:00');
    expect(chinaToday(now)).toBe('2027-01-01');
    expect(chinaYear(now)).toBe(2027);
  });
  it('shortens a digest to its first 12 hex digits', () => {
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab…');
    expect(shortHash(null)).toBe('');
  });
});

describe('CSV text', () => {
  it('starts with a BOM, ends lines with CRLF and quotes what needs it', () => {
    const csv = csvText(
      ['单位', '说明'],
      [
        ['甲', 'a,b'],
        ['乙', 'say "hi"\nthen'],
      ],
    );
    expect(csv).toBe('\uFEFF单位,说明\r\n甲,"a,b"\r\n乙,"say ""hi""\nthen"\r\n');
  });
  it('defuses spreadsheet formulas in text but keeps numbers as they are', () => {
    expect(csvText(['a', 'b', 'c'], [['=1+1', -5, '-5']])).toBe('\uFEFFa,b,c\r\n"\'=1+1",-5,"\'-5"\r\n');
  });
  it('writes every text a spreadsheet would run as a quoted text cell, tab and CR first included', () => {
    const cells = [
      ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
      ['+1', `"'+1"`],
      ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
      ['\t=1', `"'\t=1"`],
      ['\r=1', `"'\r=1"`],
      ['-1+1', `"'-1+1"`],
      [['-1', '2'], `"'-1;2"`],
      ['滨海化工有限公司', '滨海化工有限公司'],
      [-3, '-3'],
    ] as const;
    const written = cells.map(([value]) => csvText(['x'], [[value]]).slice('\uFEFFx\r\n'.length, -2));
    expect(written).toEqual(cells.map(([, field]) => field));
  });
  it('writes an empty field for a missing value and joins a list with semicolons', () => {
    expect(csvText(['a', 'b', 'c'], [[null, undefined, ['x', 'y']]])).toBe('\uFEFFa,b,c\r\n,,x;y\r\n');
  });
});
