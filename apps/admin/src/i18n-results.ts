/**
 * UI text of results, evidence, corrections, rectifications (R17–R18), task detail and the
 * workbench's roster charts, as `[zh, en]` pairs. Merged into the dictionary by `i18n.tsx`.
 */
export const RESULTS = {
  // Evidence files of findings
  'evidence.upload': ['上传证据（照片、PDF 等）', 'Upload evidence (photos, PDFs…)'],
  'evidence.uploading': ['正在上传 {name}…', 'Uploading {name}…'],
  'evidence.failed': ['{name} 上传失败：{msg}', 'Upload of {name} failed: {msg}'],
  'evidence.none': ['无证据文件', 'No evidence files'],
  'evidence.download': ['下载', 'Download'],
  'evidence.hint': [
    '文件先上传到服务器（按 SHA-256 存储），提交结果时随问题一并记录。',
    'Files are uploaded first (stored by SHA-256) and recorded with the finding when the result is submitted.',
  ],
  // Results and corrections
  'result.history': ['结果历史', 'Result history'],
  'result.current': ['现行结果', 'Current result'],
  'result.superseded': ['已被更正', 'Superseded'],
  'result.supersedes': ['更正了 {at} 录入的结果', 'Corrects the result recorded at {at}'],
  'result.correct': ['更正', 'Correct'],
  'result.correct.title': ['更正检查结果', 'Correct the result'],
  'result.correct.hint': [
    '检查结果不可修改。更正会录入一条新结果，注明替代的原结果和更正原因；两条结果都保留在结果历史中。',
    'Results are never edited. A correction records a new result naming the one it supersedes and why; both stay in the result history.',
  ],
  'result.correct.reason': ['更正原因', 'Reason for the correction'],
  'result.corrected': ['更正已录入', 'Correction recorded'],
  'result.none': ['尚未录入检查结果', 'No result recorded yet'],
  'result.recordedBy': ['录入人', 'Recorded by'],
  'result.task': ['任务', 'Task'],
  // Listed supervision and rectification (R17–R18)
  'supervision.listed': ['挂牌督办', 'Listed supervision'],
  'supervision.ended': ['已整改，督办解除', 'Rectified, supervision ended'],
  'rect.title': ['整改复查', 'Rectification checks'],
  'rect.record': ['录入复查', 'Record check'],
  'rect.recordFor': ['整改复查 · {desc}', 'Rectification check · {desc}'],
  'rect.outcome': ['复查结论', 'Outcome'],
  'rect.outcome.rectified': ['已整改', 'Rectified'],
  'rect.outcome.inadequate': ['整改不到位', 'Inadequate'],
  'rect.outcome.concealed': ['隐瞒隐患', 'Concealed'],
  'rect.checkedOn': ['复查日期', 'Checked on'],
  'rect.note': ['复查情况', 'Note'],
  'rect.none': ['尚未复查', 'Not checked yet'],
  'rect.recorded': ['复查已录入', 'Check recorded'],
  'rect.blacklisted': [
    '已提请将该单位列入黑名单：须经第二人审核、告知单位并经申辩期后方可决定和公示（见“黑名单”）',
    'The unit is proposed for the blacklist: a second person reviews, the unit is noticed and may object before anything is decided and published (see “Blacklist”)',
  ],
  'rect.supervisionEnded': ['挂牌督办已解除', 'Listed supervision ended'],
  'rect.consequence': ['提请列入黑名单', 'Blacklist proposal'],
  'rect.consequenceHint': [
    '隐瞒隐患，或重大事故隐患整改不到位，将提请把该单位列入黑名单，经审核、告知、申辩期和决定后公开曝光；挂牌督办的重大事故隐患经审核并由第二人审批后销号。',
    'Concealment, or inadequate rectification of a major hazard, proposes the unit for the blacklist; review, notice, an objection period and a decision come before public exposure. A listed major hazard is closed after review and a second person’s approval.',
  ],
  'rect.unitBlacklisted': ['单位已列入黑名单', 'Unit blacklisted'],
  // Overdue rectifications on the workbench
  'overdue.days': ['逾期 {n} 天', '{n} days overdue'],
  'overdue.lastCheck': ['最近复查', 'Last check'],
  'overdue.blacklist': [
    '提请将逾期重大隐患单位列入黑名单',
    'Propose units with overdue major hazards for the blacklist',
  ],
  'overdue.blacklistConfirm': [
    '本局整改逾期的重大事故隐患单位将被提请列入黑名单（每日定时任务亦会提请），须经审核、告知和申辩期后决定。确定吗？',
    'Every unit of this bureau with an overdue major hazard will be proposed for the blacklist (the daily job does the same); review, notice and an objection period come before any decision. Continue?',
  ],
  'overdue.blacklisted': ['已提请 {n} 家单位列入黑名单', '{n} units proposed for the blacklist'],
  'overdue.proposed': ['已提请列入黑名单', 'Proposed for the blacklist'],
  'overdue.none': ['没有逾期未整改的问题', 'No overdue rectifications'],
  // Task detail and team
  'taskDetail.title': ['任务详情', 'Task'],
  'taskDetail.open': ['详情', 'Detail'],
  'team.name': ['姓名', 'Name'],
  'team.certificate': ['执法证号', 'Certificate no.'],
  'team.experts': ['参与专家（行业专家库）', 'Experts (expert library)'],
  'team.expert': ['专家', 'Expert'],
  'team.id': ['人员编号', 'Officer ID'],
  'notice.teamWithCert': ['检查人员及执法证号', 'Inspectors and certificate numbers'],
  // Roster charts on the workbench (stats.roster)
  'workbench.creditChart': ['检查对象信用等级分布', 'Units by credit grade'],
  'workbench.industryTop': ['检查对象行业分布（前 10）', 'Units by industry (top 10)'],
  'workbench.rosterFlags': ['名录重点标记', 'Roster flags'],
  'credit.grade': ['{g} 级', 'Grade {g}'],
  'common.other': ['其他', 'Other'],
} as const satisfies Record<string, readonly [string, string]>;
