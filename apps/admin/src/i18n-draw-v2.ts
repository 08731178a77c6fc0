/**
 * UI text of sr-draw/v2 (issue #9): sources, the draw room's randomness, browser sign-off and
 * signed voids, the key page, as `[zh, en]` pairs. Merged into the dictionary by `i18n.tsx`.
 */
export const DRAW_V2 = {
  'nav.keys': ['签名密钥', 'Signing keys'],
  // Sources (plan wizard)
  'v2.demoBeacon': ['演示信标', 'demo beacon'],
  'v2.demoBeacon.hint': [
    '演示信标是本机运行的随机数信标，仅供离线演示；生产环境须使用 drand quicknet 信标。',
    'The demo beacon runs on this machine for offline demos only; production uses the drand quicknet beacon.',
  ],
  'v2.plannedDrawAt': ['计划抽取时间（北京时间）', 'Planned draw time (China time, UTC+8)'],
  'v2.proposeSources': ['生成随机数来源', 'Propose sources'],
  'v2.sources.hint': [
    '随机数来源须在承诺公布后才产生：系统选取计划抽取时间之后、且晚于承诺至少 60 秒的 drand 轮次；可另加彩票开奖，但彩票不能单独作为来源。',
    'Sources must come into existence after the commitment is published: the system picks the drand round at or after the planned time and at least 60 s after the commitment; lottery draws may be added but never suffice alone.',
  ],
  'v2.source.drand': ['drand 第 {round} 轮（{time}）', 'drand round {round} ({time})'],
  'v2.source.lottery': ['{game} 第 {issue} 期（{date} 开奖）', '{game} issue {issue} (drawn {date})'],
  'v2.source.addLottery': ['添加彩票开奖', 'Add a lottery draw'],
  'v2.source.game': ['彩种', 'Game'],
  'v2.source.issue': ['期号', 'Issue'],
  'v2.source.drawDate': ['开奖日期', 'Draw date'],
  'v2.source.none': ['请先生成 drand 来源', 'Propose a drand source first'],
  'v2.proposeGames': ['同时建议以下彩票的下一期', 'Also propose the next issue of'],
  'v2.proposeGames.hint': [
    '只建议开奖日期晚于今天、且不早于计划抽取时间的期次；彩票只能作为 drand 之外的补充。',
    'Only draws dated after today and not before the planned time are proposed; lotteries only add to drand.',
  ],
  'v2.lottery.estimated': [
    '期号按开奖日程推算（春节等休市会改变期号），提交前请与福彩、体彩中心公告核对。',
    'Issue numbers are counted from the regular schedule (holiday breaks shift them): check them against the operator’s announcement before submitting.',
  ],
  // Team member replacement after the draw (§9.6)
  'v2.replace.title': ['检查组成员替换', 'Team member replacements'],
  'v2.replace.hint': [
    '只填写谁因何无法参加；替换者由系统按该单位在承诺中确定的洗牌顺序取下一位可派人员，任何人不能指定。因病假等无法履职的人员会从本次抽取尚未完成的全部检查组中替换；新申报回避须先登记回避。每条替换都会公开。',
    'Enter only who cannot serve and why; the replacement is the next eligible inspector in the unit’s shuffle fixed by the commitment, and nobody can name them. A member unavailable through illness or leave is replaced on every team of this draw still to inspect; a new conflict must be declared first. Every replacement is published.',
  ],
  'v2.replace.out': ['替换谁', 'Member leaving'],
  'v2.replace.reason': ['原因', 'Reason'],
  'v2.replace.reason.unavailable': ['无法履职（病假、休假等）', 'unavailable (illness, leave…)'],
  'v2.replace.reason.avoid': ['新申报回避', 'conflict declared since the draw'],
  'v2.replace.note': ['说明', 'Explanation'],
  'v2.replace.submit': ['按洗牌顺序替换', 'Replace from the shuffle'],
  'v2.replace.none': ['没有成员替换', 'No member replaced'],
  'v2.replace.change': ['替换', 'Replacement'],
  'v2.replace.skipped': ['依次跳过', 'Passed over'],
  'v2.replace.at': ['记录时间', 'Recorded'],
  'v2.replace.check': ['核对', 'Check'],
  'v2.replace.ok': ['是洗牌顺序中的下一位', 'next in the shuffle'],
  'v2.replace.bad': ['不是洗牌顺序中的下一位', 'not next in the shuffle'],
  // Next attempt after a void (plan detail)
  'v2.next.title': ['第 {n} 次抽取的随机数来源', 'Sources of attempt {n}'],
  'v2.next.hint': [
    '第 {m} 次抽取已作废。新的来源必须晚于作废抽取的全部来源，且不得重复使用；相同或更早的来源会被拒绝。',
    'Attempt {m} was voided. The new sources must all come after every source of the voided attempt and may not repeat any of them; the same or earlier sources are refused.',
  ],
  'v2.next.previous': ['作废抽取的来源', 'Sources of the voided attempt'],
  'draw.knownVoids': ['此前已作废 {n} 次', '{n} earlier attempts voided'],
  'v2.next.current': ['本计划当前的来源', 'Sources the plan names now'],
  'v2.next.proposed': ['建议的新来源', 'Proposed new sources'],
  'v2.next.save': ['保存新来源', 'Save the new sources'],
  'v2.next.same': [
    '{source} 已被作废的第 {m} 次抽取使用过：下一次抽取必须使用新的、更晚的来源（重复使用相同的随机数就等于让作废重新掷一次已知的结果）。',
    '{source} was already named by voided attempt {m}: the next attempt must name new, later sources (the same values would let a void re-roll a known result).',
  ],
  'v2.next.earlier': [
    '{source} 不晚于作废的第 {m} 次抽取的全部来源：下一次抽取必须使用更晚的来源。',
    '{source} is not later than every source of voided attempt {m}: the next attempt must name later sources.',
  ],
  'v2.next.saved': ['新来源已保存，可以提交审批', 'New sources saved; the plan can be submitted'],
  // Draw room: randomness
  'v2.randomness.title': ['录入或获取随机数', 'Enter or fetch the randomness'],
  'v2.randomness.fetch': ['从信标获取', 'Fetch from the beacon'],
  'v2.randomness.signature': [
    '轮次签名（96 位十六进制），留空则从信标获取',
    'Round signature (96 hex digits); leave empty to fetch from the beacon',
  ],
  'v2.randomness.groups': [
    '开奖号码：每组一行，数字以空格分隔',
    'Drawn numbers: one group per line, numbers separated by spaces',
  ],
  'v2.randomness.waiting': [
    '该轮将于 {time} 产生，届时方可获取',
    'The round comes at {time}; it can be fetched then',
  ],
  'v2.randomness.ready': ['该轮已产生', 'The round exists'],
  // Sign-off
  'v2.sign.title': ['在浏览器中签名', 'Sign in this browser'],
  'v2.sign.hint': [
    '签名在本浏览器中用您登记的私钥完成，私钥不离开本浏览器；服务器只核验签名与公开的密钥登记表。',
    'You sign in this browser with your registered private key, which never leaves it; the server only checks the signature against the published key registry.',
  ],
  'v2.sign.noKey': [
    '本浏览器中没有您已登记的签名密钥，请先在“签名密钥”页生成并由管理员登记。',
    'This browser holds no registered key of yours: generate one on the Signing keys page and have an administrator register it.',
  ],
  'v2.signer': ['签名人', 'Signer'],
  'v2.keyId': ['密钥编号', 'Key id'],
  // Voids
  'v2.void.reasonId': ['作废理由类别', 'Void reason'],
  'v2.void.sign': ['签署作废', 'Sign the void'],
  'v2.void.afterRandomness': [
    '申请时随机数已产生：作废后将公布该次的随机数与抽取结果，且同一计划仅允许一次此类作废。',
    'The randomness existed when the void was asked: its randomness and result will be published, and a plan allows only one such void.',
  ],
  'v2.void.newSources': [
    '作废后计划退回草稿：须选择更晚的新随机数来源再提交。',
    'After the void the plan returns to draft: choose new, later sources and submit again.',
  ],
  // Verification
  'v2.verify.checks': ['逐项核验', 'Checks'],
  // Key page
  'keys.title': ['签名密钥', 'Signing keys'],
  'keys.mine': ['我的密钥（本浏览器）', 'My keys (this browser)'],
  'keys.generate': ['在本浏览器生成新密钥', 'Generate a key in this browser'],
  'keys.generated': [
    '已生成并提交公钥，等待管理员登记',
    'Generated; the public key awaits registration by an administrator',
  ],
  'keys.unsupported': [
    '此浏览器不支持 Ed25519 WebCrypto，无法生成签名密钥',
    'This browser lacks Ed25519 WebCrypto and cannot make a signing key',
  ],
  'keys.registry': ['本局密钥登记表（公开）', 'Bureau key registry (public)'],
  'keys.register': ['登记', 'Register'],
  'keys.revoke': ['吊销', 'Revoke'],
  'keys.revokeReason': ['吊销原因', 'Reason for revocation'],
  'keys.status.pending': ['待登记', 'Pending'],
  'keys.status.active': ['有效', 'Active'],
  'keys.status.rotated': ['已轮换', 'Rotated'],
  'keys.status.revoked': ['已吊销', 'Revoked'],
  'keys.status.rejected': ['已拒绝', 'Rejected'],
  'keys.validFrom': ['生效时间', 'Valid from'],
  'keys.validUntil': ['失效时间', 'Valid until'],
  'keys.inBrowser': ['私钥在本浏览器', 'Private key in this browser'],
  'keys.bureau': ['所属单位', 'Bureau'],
} as const satisfies Record<string, readonly [string, string]>;
