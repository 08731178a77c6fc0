/**
 * The names of a draw verification report's checks (`@spotcheck/core`'s `{id, status}` lines) in
 * both languages, for every page that lists them: the portal's check card and the admin's
 * verification report. A check's id is never shown; `source.<i>.…` lines name their source's number.
 */

/** The title of each check, by its generic id (`source.<i>.drand.signature` → `source.drand.signature`). */
export const CHECK_TEXT = {
  'checkTitle.parse': ['抽取包格式', 'Bundle format'],
  'checkTitle.digest.commitment': ['承诺摘要', 'Commitment digest'],
  'checkTitle.digest.frame': ['抽查对象名单摘要', 'Pool digest'],
  'checkTitle.digest.excluded': ['未列入名单摘要', 'Exclusions digest'],
  'checkTitle.digest.inspectors': ['执法人员名单摘要', 'Inspectors digest'],
  'checkTitle.digest.experts': ['专家名单摘要', 'Experts digest'],
  'checkTitle.excluded': ['未列入名单与抽查对象不重叠', 'Left-out units and the pool do not overlap'],
  'checkTitle.commitmentTime': ['承诺时间', 'Commitment time'],
  'checkTitle.source.drand.signature': ['drand 签名', 'drand signature'],
  'checkTitle.source.drand.chain': ['drand 链', 'drand chain'],
  'checkTitle.source.lottery.format': ['彩票号码格式', 'Lottery format'],
  'checkTitle.source.lottery.value': ['彩票号码', 'Lottery numbers'],
  'checkTitle.source.timing': ['随机数产生时间', 'Source timing'],
  'checkTitle.randomness': ['随机数串', 'Randomness string'],
  'checkTitle.sufficiency': ['随机数来源是否充分', 'Sufficiency'],
  'checkTitle.freshness': ['随机数是否全新', 'Freshness'],
  'checkTitle.previous': ['上一次作废的抽取', 'Previous voided attempt'],
  'checkTitle.previous.bundle': ['上一次作废的抽取包', 'Previous voided bundle'],
  'checkTitle.feasibility': ['承诺是否可行', 'Feasibility'],
  'checkTitle.result': ['抽取结果', 'Result'],
  'checkTitle.signOff': ['签名', 'Sign-off'],
  'checkTitle.signOff.timing': ['签名时间', 'Sign-off time'],
  'checkTitle.registryTime': ['密钥登记公开时间', 'Key registry publication time'],
  'checkTitle.registryEntries': ['密钥生效时间是否倒签', 'Key validity not back-dated'],
  'checkTitle.signOffLogTime': ['签名公开时密钥是否有效', 'Key valid when the sign-off was public'],
  'checkTitle.v1': ['第一版抽取包', 'Version 1 bundle'],
  'checkTitle.void': ['作废签署', 'Void sign-off'],
  'checkTitle.replacement': ['更换执法人员记录', 'Team replacement record'],
  'check.status.pass': ['通过', 'passed'],
  'check.status.fail': ['未通过', 'failed'],
  'check.status.warn': ['提示', 'note'],
  'check.status.info': ['说明', 'info'],
  'check.line': ['{title}：{status}', '{title}: {status}'],
  'check.ofSource': ['{title}（来源 {n}）', '{title} (source {n})'],
  'check.ofRecord': ['{title}（第 {n} 条）', '{title} (record {n})'],
  'check.unnamed': ['一项未列明的核验', 'A check not described here'],
  'check.unknown': ['一项未列明的核验（{status}）', 'A check not described here ({status})'],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * The generic id of a line and the 0-based source it is about: `source.3.drand.signature` →
 * `source.drand.signature`, source 3. A team replacement's line `replacement.<n>` (1-based record
 * number) reads as `replacement` with `record` n.
 */
export function genericCheckId(id: string): {
  generic: string;
  source: number | null;
  record: number | null;
} {
  const s = /^source\.(\d+)\.(.+)$/.exec(id);
  if (s) return { generic: `source.${s[2]}`, source: Number(s[1]), record: null };
  const r = /^replacement\.(\d+)$/.exec(id);
  if (r) return { generic: 'replacement', source: null, record: Number(r[1]) };
  return { generic: id, source: null, record: null };
}

/**
 * A check's name in the reader's language (`drand 签名（来源 1）`), never its id: `tv` translates a
 * dynamic key of a dictionary holding {@link CHECK_TEXT}, or returns null.
 */
export function checkTitle(
  id: string,
  tv: (key: string, vars?: Record<string, string | number>) => string | null,
): string {
  const { generic, source, record } = genericCheckId(id);
  const title = tv(`checkTitle.${generic}`);
  if (title === null) return tv('check.unnamed') ?? '';
  if (source !== null) return tv('check.ofSource', { title, n: source + 1 }) ?? title;
  if (record !== null) return tv('check.ofRecord', { title, n: record }) ?? title;
  return title;
}
