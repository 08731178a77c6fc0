/** Portal text of the public transparency log (merged into i18n.tsx). */
export const logZh = {
  'nav.checkpoints': '公开日志',
  'kind.log-witnesses': '公开日志见证方名录',
  'log.title': '公开日志检查点',
  'log.intro':
    '本专栏的每一项公开内容在发布的同时写入只增不改的公开日志（RFC 9162 结构的默克尔树）。日志定时签发检查点（条目数、根哈希、时间），由独立于执法机关的见证方核对一致性和时间（误差不超过 30 秒）后联署。任何人都可以运行 spotcheck monitor 核对是否有内容被删除、修改或倒签日期。',
  'log.pending': '本项公开内容尚未进入已签发的日志检查点，请稍后刷新。',
  'log.failed': '本项公开内容的日志包含证明未通过验证',
  'log.contentChanged': '页面上的公开内容与公开日志记录的不一致：它在公布之后被改动过，不可信。',
  'log.verified': '已在浏览器中验证：本项内容是公开日志第 {index} 条，包含在 {at} 签发的 {size} 条检查点中',
  'log.root': '检查点根哈希',
  'log.witnesses': '见证方',
  'log.noWitness': '暂无见证方联署',
  'log.needTwo': '（需两个独立见证方联署才算有效）',
  'log.more': '全部检查点',
  'log.size': '条目数',
  'log.time': '签发时间',
  'log.status': '状态',
  'log.witnessed': '已见证',
  'log.unwitnessed': '见证不足',
  'log.origin': '日志标识',
  'log.logKey': '日志公钥',
  'log.registry': '见证方名录',
  'log.commitmentProven': '抽取承诺已于 {at} 进入经两个独立见证方联署的公开日志检查点，早于随机数产生',
  'log.commitmentTooLate': '不予认可：抽取承诺直到 {at} 才进入经见证的日志检查点，不早于随机数产生',
  'log.commitmentRefused': '不予认可：抽取承诺不在早于随机数产生、经两个独立见证方联署的日志检查点中',
  'log.commitmentUnproven': '承诺时间未经公开日志证明（尚无两个独立见证方联署的检查点包含该承诺）',
} as const;

/** English text of the transparency log. */
export const logEn: Record<keyof typeof logZh, string> = {
  'nav.checkpoints': 'Public log',
  'kind.log-witnesses': 'Witnesses of the public log',
  'log.title': 'Public log checkpoints',
  'log.intro':
    'Everything in this column is appended, as it is published, to an append-only public log (a Merkle tree as in RFC 9162). The log issues signed checkpoints (entries, root hash, time) on a schedule; witnesses independent of the bureaus co-sign them after checking consistency and the time (within 30 s). Anyone can run spotcheck monitor to detect removed, edited or back-dated publications.',
  'log.pending': 'This publication is not yet in an issued checkpoint of the log; refresh in a while.',
  'log.failed': 'The log inclusion proof of this publication does not verify',
  'log.contentChanged':
    'The content on this page differs from what the public log recorded: it was changed after publication and cannot be trusted.',
  'log.verified':
    'Verified in your browser: this is entry {index} of the public log, included in the checkpoint of {size} entries issued at {at}',
  'log.root': 'Checkpoint root hash',
  'log.witnesses': 'Witnessed by',
  'log.noWitness': 'no witness yet',
  'log.needTwo': '(two independent witnesses are needed)',
  'log.more': 'All checkpoints',
  'log.size': 'Entries',
  'log.time': 'Issued at',
  'log.status': 'Status',
  'log.witnessed': 'witnessed',
  'log.unwitnessed': 'not enough witnesses',
  'log.origin': 'Log',
  'log.logKey': 'Log public key',
  'log.registry': 'Witnesses',
  'log.commitmentProven':
    'The draw commitment entered a log checkpoint co-signed by two independent witnesses at {at}, before the randomness existed',
  'log.commitmentTooLate':
    'Refused: the draw commitment reached a witnessed log checkpoint only at {at}, not before the randomness existed',
  'log.commitmentRefused':
    'Refused: the draw commitment is not in a log checkpoint co-signed by two independent witnesses before the randomness existed',
  'log.commitmentUnproven':
    'Commitment time not proven by the public log (no checkpoint co-signed by two independent witnesses includes it yet)',
};
