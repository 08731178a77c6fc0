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
  'v2.plannedDrawAt': ['计划抽取时间', 'Planned draw time'],
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
