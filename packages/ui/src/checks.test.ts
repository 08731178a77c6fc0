import { describe, expect, it } from 'vitest';
import { checkTitle, genericCheckId } from './checks';
import { fill } from './i18n';
import { sharedText } from './text';

const tv = (lang: 'zh' | 'en') => (key: string, vars?: Record<string, string | number>) => {
  const dict: Record<string, string> = sharedText(lang);
  return key in dict ? fill(dict[key]!, vars) : null;
};

describe('check names', () => {
  it('reads a source line and a replacement record by number, the rest by id', () => {
    expect(genericCheckId('source.3.drand.signature')).toEqual({
      generic: 'source.drand.signature',
      source: 3,
      record: null,
    });
    expect(genericCheckId('replacement.2')).toEqual({ generic: 'replacement', source: null, record: 2 });
    expect(genericCheckId('signOff.timing')).toEqual({
      generic: 'signOff.timing',
      source: null,
      record: null,
    });
  });

  it('names a check in each language, and an unknown one without showing its id', () => {
    expect(checkTitle('source.0.drand.signature', tv('zh'))).toBe('drand 签名（来源 1）');
    expect(checkTitle('source.0.drand.signature', tv('en'))).toBe('drand signature (source 1)');
    expect(checkTitle('replacement.2', tv('zh'))).toBe('更换执法人员记录（第 2 条）');
    expect(checkTitle('signOff', tv('zh'))).toBe('签名');
    expect(checkTitle('digest.frame', tv('en'))).toBe('Pool digest');
    expect(checkTitle('something.new', tv('zh'))).toBe('一项未列明的核验');
    expect(checkTitle('something.new', tv('en'))).not.toContain('something');
  });
});
