import { describe, expect, it } from 'vitest';
import { keyIdOf, signVoid, verifyAnyBundle, type DrawBundleV2 } from '@spotcheck/core';
import { dictionaries } from '../i18n';
import { checkTitle } from '@spotcheck/ui/checks';
import { fill, type Lang } from '@spotcheck/ui/i18n';
import { checkSentence, viewChecks } from './checks';
import { checkBundleV2, holdsBundle } from './verify';
import { deputy, fixtureRegistry, sampleBundleV2, voidedChain, voidKey } from './testing-v2';

const tv = (lang: Lang) => (key: string, vars?: Record<string, string | number>) =>
  key in dictionaries[lang] ? fill(dictionaries[lang][key as keyof (typeof dictionaries)['zh']], vars) : null;

function sentences(bundle: unknown, registry: unknown, lang: Lang = 'zh') {
  const report = checkBundleV2(bundle, registry);
  const views = viewChecks(report.checks, bundle, (k) => tv(lang)(k) ?? k);
  return {
    report,
    lines: views.map((v) => ({ id: v.id, status: v.status, text: checkSentence(v, tv(lang)), v })),
  };
}

/** No internal id, placeholder or English word may show on a Chinese line. */
function expectChinese(text: string) {
  expect(text).not.toMatch(/\{\w+\}/);
  expect(text).toMatch(/[\u4e00-\u9fff]/);
  // Allowed Latin: drand, BLS, R, sr-draw/v2, League of Entropy quicknet is a proper name; digits.
  const latin = text.replace(/drand|BLS|sr-draw\/v2|\bR\b|\d/g, '').match(/[A-Za-z]{2,}/g);
  expect(latin, text).toBeNull();
}

describe('v2 check lines in the browser', () => {
  it('lists every check of a good bundle green, each with its own Chinese sentence', () => {
    const b = sampleBundleV2();
    const { report, lines } = sentences(b, fixtureRegistry());
    expect(report.ok).toBe(true);
    const ids = lines.map((l) => l.id);
    for (const id of [
      'parse',
      'digest.commitment',
      'digest.frame',
      'digest.excluded',
      'digest.inspectors',
      'digest.experts',
      'excluded',
      'commitmentTime',
      'source.0.drand.chain',
      'source.0.drand.signature',
      'source.1.lottery.format',
      'source.1.lottery.value',
      'source.0.timing',
      'source.1.timing',
      'randomness',
      'sufficiency',
      'freshness',
      'previous',
      'feasibility',
      'result',
      'signOff.timing',
      'signOff',
    ])
      expect(ids).toContain(id);
    for (const l of lines) {
      expect(l.v.key in dictionaries.zh, l.v.key).toBe(true);
      expectChinese(l.text);
    }
    const text = (id: string) => lines.find((l) => l.id === id)!.text;
    expect(text('commitmentTime')).toContain('承诺时间尚未经公开日志证明');
    expect(text('source.0.drand.chain')).toContain('演示信标');
    expect(lines.find((l) => l.id === 'source.0.drand.chain')!.v.demoBeacon).toBe(true);
    expect(text('source.1.lottery.value')).toContain('福彩3D 第 2027005 期的开奖号码无法在本机核对');
    expect(lines.find((l) => l.id === 'source.1.lottery.value')!.v.link).toMatch(
      /^https:\/\/www\.cwl\.gov\.cn\//,
    );
    expect(text('source.0.drand.signature')).toMatch(/^来源 1：演示信标 第 \d+ 轮的 BLS 签名有效$/);
    expect(text('result')).toBe(
      `在本机重新计算的结果与公布的逐字节一致（抽中 ${b.result.selected.length} 家）`,
    );
    expect(text('signOff')).toBe('签名有效：滨海新区分管领导 用本局登记的密钥签署了这份承诺和这份结果');
    expect(text('previous')).toBe('这是计划的第一次抽取，没有作废记录');
  });

  it('reads the same in English, with the spec’s phrases', () => {
    const { lines } = sentences(sampleBundleV2(), undefined, 'en');
    const text = (id: string) => lines.find((l) => l.id === id)!.text;
    expect(text('commitmentTime')).toMatch(/^Commitment time not proven/);
    expect(text('source.0.drand.chain')).toContain('unpinned beacon (demo beacon)');
    expect(text('source.1.lottery.value')).toContain('lottery values not checked');
    expect(text('signOff')).toMatch(/^Signer not checked/);
    for (const l of lines) expect(l.text).not.toMatch(/\{\w+\}/);
  });

  it('says "signer not checked" without a published registry, and fails an attacker key', () => {
    const b = sampleBundleV2();
    expect(sentences(b, undefined).lines.find((l) => l.id === 'signOff')).toMatchObject({
      status: 'warn',
      text: '签名人未核对：没有本局公布的签名密钥登记',
    });
    // A registry that does not hold the bundle's key: the bundle's own claim is worth nothing.
    const attacker = fixtureRegistry();
    attacker.keys = attacker.keys.filter((k) => k.keyId !== b.signOff.signer.keyId);
    const { report, lines } = sentences(b, attacker);
    expect(report.ok).toBe(false);
    expect(lines.find((l) => l.id === 'signOff')).toMatchObject({ status: 'fail' });
    expect(lines.find((l) => l.id === 'signOff')!.text).toMatch(/^签名无效/);
  });

  it('fails the sign-off line for an edited signer name', () => {
    const b = sampleBundleV2();
    b.signOff.signer.name = '滨海新区局长';
    const { lines } = sentences(b, fixtureRegistry());
    expect(lines.find((l) => l.id === 'signOff')!.status).toBe('fail');
    expect(lines.filter((l) => l.status === 'fail').map((l) => l.id)).toEqual(['signOff']);
  });

  it('shows the failing line of a tampered team and of a changed frame row', () => {
    const b = sampleBundleV2();
    const first = b.result.selected[0]!;
    first.team = [...first.team].reverse();
    const { lines } = sentences(b, fixtureRegistry());
    // The sign-off covers the result digest, which the tamperer left alone: only the result fails.
    expect(lines.filter((l) => l.status === 'fail').map((l) => l.id)).toEqual(['result']);
    expect(lines.find((l) => l.id === 'result')!.text).toBe('在本机重新计算的结果与公布的不一致');

    const c = sampleBundleV2();
    c.frame[3]![2] = 99;
    const failed = sentences(c, fixtureRegistry()).lines.filter((l) => l.status === 'fail');
    expect(failed[0]).toMatchObject({ id: 'digest.frame', text: '抽查对象名单与承诺中的摘要不一致' });
  });

  it('fails a forged drand signature on its own line', () => {
    const b = sampleBundleV2();
    const sig = b.randomness.values[0] as string;
    b.randomness.values[0] = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    const failed = sentences(b, fixtureRegistry()).lines.filter((l) => l.status === 'fail');
    expect(failed.map((l) => l.id)).toContain('source.0.drand.signature');
    expectChinese(failed.find((l) => l.id === 'source.0.drand.signature')!.text);
  });

  it('verifies attempt 2 of a voided chain, and says the previous attempt was declared', () => {
    const { voided, attempt2 } = voidedChain();
    expect(voided.void.signer.name).toBe('滨海新区副局长');
    const { report, lines } = sentences(attempt2, fixtureRegistry());
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
    expect(lines.find((l) => l.id === 'previous')!.text).toBe(
      '上一次（第 1 次）作废的抽取已如实写明：作废时已知的随机数和结果都已公开',
    );
    expect(lines.find((l) => l.id === 'freshness')!.text).toContain('每个来源都晚于上一次');
  });

  it('verifies a voided attempt as such: every line in Chinese, the void signer named', () => {
    const { voided } = voidedChain();
    const { report, lines } = sentences(voided, fixtureRegistry());
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(true);
    const ids = lines.map((l) => l.id);
    for (const id of ['parse', 'digest.commitment', 'commitmentTime', 'randomness', 'result', 'void'])
      expect(ids).toContain(id);
    // No draw sign-off is asked of a voided attempt.
    expect(ids).not.toContain('signOff');
    for (const l of lines) expectChinese(l.text);
    expect(lines.find((l) => l.id === 'void')!.text).toBe(
      '作废有效：滨海新区副局长 用本局登记的密钥签署了这次作废，且不是提出作废的人',
    );
    // Without the bureau's registry the signer is not vouched for.
    expect(sentences(voided, undefined).lines.find((l) => l.id === 'void')!.status).toBe('warn');
  });

  it('refuses a rigged void: an edited signer name, a void signed by its own requester, a changed result', () => {
    const registry = fixtureRegistry();
    const renamed = structuredClone(voidedChain().voided);
    renamed.void.signer.name = '市局局长';
    const r1 = sentences(renamed, registry);
    expect(r1.report.ok).toBe(false);
    expect(r1.lines.find((l) => l.id === 'void')!.status).toBe('fail');
    expectChinese(r1.lines.find((l) => l.id === 'void')!.text);

    // The deputy asks for the void and signs it alone: a valid signature, but not a second official.
    const { voided } = voidedChain();
    const selfSigned = {
      ...voided,
      void: signVoid(voidKey.secretKey, deputy, '2027-01-06T03:00:00Z', {
        commitmentDigest: voided.commitmentDigest,
        reason: 'plan-withdrawn',
        requestedBy: deputy.id,
      }),
    };
    const r2 = sentences(selfSigned, registry);
    expect(r2.report.ok).toBe(false);
    expect(r2.lines.find((l) => l.id === 'void')!.status).toBe('fail');

    // The result published with the void is not the one its randomness gives.
    const edited = structuredClone(voided);
    edited.result!.selected.reverse();
    const r3 = sentences(edited, registry);
    expect(r3.report.ok).toBe(false);
    expect(r3.lines.filter((l) => l.status === 'fail').map((l) => l.id)).toContain('result');
  });

  it('names every check of these reports in both languages, never by its id (the admin lists them too)', () => {
    const forged = sampleBundleV2();
    forged.randomness.values[0] = '00' + (forged.randomness.values[0] as string).slice(2);
    const { voided, attempt2 } = voidedChain();
    const seen = new Set<string>();
    for (const bundle of [sampleBundleV2(), forged, voided, attempt2, { algorithm: 'sr-draw/v1' }])
      for (const line of checkBundleV2(bundle, fixtureRegistry()).checks) {
        seen.add(line.id);
        const zh = checkTitle(line.id, tv('zh'));
        const en = checkTitle(line.id, tv('en'));
        expect(zh, line.id).not.toBe(dictionaries.zh['check.unnamed']);
        expect(en, line.id).not.toBe(dictionaries.en['check.unnamed']);
        expectChinese(zh);
        expect(en).not.toMatch(/[\u4e00-\u9fff]|\{\w+\}/);
      }
    expect(seen.size).toBeGreaterThan(20);
    expect(checkTitle('source.1.timing', tv('zh'))).toBe('随机数产生时间（来源 2）');
    expect(checkTitle('source.1.timing', tv('en'))).toBe('Source timing (source 2)');
  });

  it('says in Chinese why a sign-off is refused at its log time (§9.7), and binds the bundle to its publication', () => {
    const b = sampleBundleV2();
    const line = (status: 'pass' | 'warn' | 'fail', params: Record<string, string>) => ({
      id: 'signOffLogTime',
      status,
      params: { signedAt: b.signOff.signedAt, time: '2027-01-12T08:00:00Z', ...params },
      message: 'core',
    });
    const read = (lang: Lang, status: 'pass' | 'warn' | 'fail', params: Record<string, string> = {}) =>
      checkSentence(viewChecks([line(status, params)], b, (k) => tv(lang)(k) ?? k)[0]!, tv(lang));
    const proof = read('zh', 'fail', { problem: 'proof' });
    const late = read('zh', 'fail', { problem: 'late' });
    const ended = read('zh', 'fail', { problem: 'key', rule: 'window' });
    for (const text of [read('zh', 'pass'), read('zh', 'warn'), proof, late, ended]) expectChinese(text);
    expect(proof).toContain('日志中没有与本次签名一致');
    expect(late).toContain('签名时间不实');
    expect(ended).toContain('已吊销');
    expect(new Set([proof, late, ended]).size).toBe(3);
    expect(read('en', 'fail', { problem: 'key', rule: 'window' })).toMatch(
      /^Refused: when the sign-off became public/,
    );
    // The bundle checked is the publication's own (one the page added the commitment's proof to
    // counts), never another beside the publication's content.
    const content = { algorithm: 'sr-draw/v2', bundle: b, registry: fixtureRegistry() };
    expect(holdsBundle(content, b)).toBe(true);
    expect(holdsBundle(content, { ...b, inclusion: { proof: [] } })).toBe(true);
    expect(holdsBundle(content, { ...b, signOff: { ...b.signOff } })).toBe(false);
    expect(holdsBundle(content, { ...b, extra: 1 })).toBe(false);
    expect(holdsBundle({ ...content, bundle: { ...b, inclusion: { proof: [] } } }, b)).toBe(false);
    expect(holdsBundle(null, b)).toBe(false);
  });

  it('keeps v1 verification as one line', () => {
    const report = verifyAnyBundle({ algorithm: 'sr-draw/v1' });
    expect(report.checks.map((c) => c.id)).toEqual(['v1']);
  });

  it('the registry fixture names the keys it holds', () => {
    const r = fixtureRegistry();
    for (const k of r.keys) expect(keyIdOf(k.publicKey)).toBe(k.keyId);
    const b: DrawBundleV2 = sampleBundleV2();
    expect(r.keys.map((k) => k.keyId)).toContain(b.signOff.signer.keyId);
  });
});
