/**
 * Every action the audit trail (R21) records, by its stable id, with what it means in Chinese and
 * English; and every kind of record an event names. The server can write only these ids
 * (`AuditInput.action` is an `AuditAction`), and the admin's audit page shows their labels, never
 * the ids.
 */

/** The two labels of an id. */
export interface AuditLabel {
  readonly zh: string;
  readonly en: string;
}

/** Audit actions (`entity.verb`) and their labels. */
export const AUDIT_ACTIONS = {
  'session.login': { zh: '登录', en: 'Signed in' },
  'session.logout': { zh: '退出登录', en: 'Signed out' },
  'session.logout-everywhere': { zh: '在所有设备上退出登录', en: 'Signed out everywhere' },
  'user.create': { zh: '新建账号', en: 'Created an account' },
  'user.change-password': { zh: '修改密码', en: 'Changed the password' },
  'user.reset-password': { zh: '重置密码', en: 'Reset a password' },
  'user.set-roles': { zh: '调整账号角色', en: "Changed an account's roles" },
  'user.set-status': { zh: '启用或停用账号', en: 'Enabled or disabled an account' },
  'bureau.create': { zh: '新建执法部门', en: 'Created a bureau' },
  'api-token.create': { zh: '签发接口令牌', en: 'Issued an API token' },
  'api-token.revoke': { zh: '吊销接口令牌', en: 'Revoked an API token' },
  'key.propose': { zh: '提交签名密钥', en: 'Proposed a signing key' },
  'key.register': { zh: '登记签名密钥', en: 'Registered a signing key' },
  'key.reject': { zh: '拒绝登记签名密钥', en: 'Rejected a signing key' },
  'key.revoke': { zh: '吊销签名密钥', en: 'Revoked a signing key' },
  'unit.create': { zh: '新增检查对象', en: 'Added a unit' },
  'unit.update': { zh: '修改检查对象', en: 'Edited a unit' },
  'unit.set-status': { zh: '变更检查对象状态', en: "Changed a unit's status" },
  'unit.end-listed-supervision': {
    zh: '解除检查对象的挂牌督办标记',
    en: 'Ended listed supervision of a unit',
  },
  'unit-fact.push': { zh: '外部系统推送检查对象信息', en: 'Unit facts pushed by an external system' },
  'inspector.create': { zh: '新增执法人员', en: 'Added an officer' },
  'inspector.update': { zh: '修改执法人员信息', en: 'Edited an officer' },
  'inspector.set-status': { zh: '变更执法人员状态', en: "Changed an officer's status" },
  'expert.create': { zh: '新增专家', en: 'Added an expert' },
  'expert.update': { zh: '修改专家信息', en: 'Edited an expert' },
  'conflict.declare': { zh: '登记回避关系', en: 'Declared a conflict of interest' },
  'conflict.revoke': { zh: '撤销回避关系', en: 'Withdrew a conflict of interest' },
  'import.units': { zh: '导入检查对象名录', en: 'Imported units' },
  'import.inspectors': { zh: '导入执法人员名录', en: 'Imported officers' },
  'import.experts': { zh: '导入专家库', en: 'Imported experts' },
  'import.checklist-items': { zh: '导入检查事项', en: 'Imported checklist items' },
  'import.units.upsert': { zh: '同步检查对象名录', en: 'Synchronised units' },
  'import.inspectors.upsert': { zh: '同步执法人员名录', en: 'Synchronised officers' },
  'checklist.create-draft': { zh: '新建检查事项清单草稿', en: 'Started a checklist draft' },
  'checklist.set-items': { zh: '编辑检查事项', en: 'Edited checklist items' },
  'checklist.publish': { zh: '发布检查事项清单', en: 'Published a checklist' },
  'checklist.publish-loaded': {
    zh: '载入并发布基准检查事项清单',
    en: 'Loaded and published the baseline checklist',
  },
  'procedure.create-draft': { zh: '新建抽查工作细则草稿', en: 'Started a procedure draft' },
  'procedure.update-draft': { zh: '修改抽查工作细则草稿', en: 'Edited a procedure draft' },
  'procedure.publish': { zh: '发布抽查工作细则', en: 'Published a procedure' },
  'procedure.publish-loaded': {
    zh: '载入并发布基准抽查工作细则',
    en: 'Loaded and published the baseline procedure',
  },
  'rule-pack.install': { zh: '安装规则包', en: 'Installed a rule pack' },
  'rule-pack.upload': { zh: '上传规则包', en: 'Uploaded a rule pack' },
  'rule-pack.draft': { zh: '新建规则包草稿', en: 'Started a rule-pack draft' },
  'rule-pack.save': { zh: '保存规则包草稿', en: 'Saved a rule-pack draft' },
  'rule-pack.submit': { zh: '提交规则包审批', en: 'Submitted a rule pack' },
  'rule-pack.approve': { zh: '审批通过规则包', en: 'Approved a rule pack' },
  'rule-pack.return': { zh: '退回规则包', en: 'Returned a rule pack' },
  'rule-pack.publish': { zh: '发布规则包', en: 'Published a rule pack' },
  'rule-pack.retire': { zh: '停用规则包', en: 'Retired a rule pack' },
  'plan.create': { zh: '新建抽查计划', en: 'Created a plan' },
  'plan.update': { zh: '修改抽查计划', en: 'Edited a plan' },
  'plan.submit': { zh: '提交抽查计划审批', en: 'Submitted a plan' },
  'plan.approve': { zh: '审批通过抽查计划', en: 'Approved a plan' },
  'plan.return-to-draft': { zh: '抽查计划退回草稿', en: 'Returned a plan to draft' },
  'draw.enter-randomness': { zh: '录入随机数', en: 'Entered the randomness' },
  'draw.run': { zh: '执行抽取', en: 'Ran the draw' },
  'draw.sign': { zh: '签署抽取结果', en: 'Signed the draw' },
  'draw.request-void': { zh: '申请作废抽取', en: 'Requested a void' },
  'draw.sign-void': { zh: '签署作废抽取', en: 'Signed a void' },
  'draw.reject-void': { zh: '驳回作废申请', en: 'Rejected a void request' },
  'draw.replace-member': { zh: '替换检查组成员', en: 'Replaced a team member' },
  'draw.issue-tasks': { zh: '下达检查任务', en: 'Issued the tasks' },
  'task.schedule': { zh: '安排检查日期', en: 'Scheduled a task' },
  'task.start': { zh: '开始现场检查', en: 'Started an inspection' },
  'result.record': { zh: '登记检查结果', en: 'Recorded a result' },
  'result.correct': { zh: '更正检查结果', en: 'Corrected a result' },
  'rectification.record': { zh: '登记整改情况', en: 'Recorded a rectification' },
  'evidence.upload': { zh: '上传证据材料', en: 'Uploaded evidence' },
  'evidence.collect': { zh: '清理未引用的证据材料', en: 'Collected unreferenced evidence' },
  'case.file': { zh: '立案', en: 'Filed a case' },
  'case.investigated': { zh: '调查终结', en: 'Closed the investigation' },
  'case.decided': { zh: '作出处罚决定', en: 'Decided a penalty' },
  'case.closed': { zh: '结案', en: 'Closed a case' },
  'case.correct': { zh: '更正案件记录', en: 'Corrected a case record' },
  'supervision.open': { zh: '挂牌督办', en: 'Listed a major hazard for supervision' },
  'supervision.evidence': { zh: '提交整改材料', en: 'Submitted rectification evidence' },
  'supervision.review': { zh: '审核整改材料', en: 'Reviewed rectification evidence' },
  'supervision.close': { zh: '销号', en: 'Closed a supervision' },
  'supervision.close-reject': { zh: '驳回销号', en: 'Refused to close a supervision' },
  'blacklist.propose': { zh: '提请列入或移出黑名单', en: 'Proposed a blacklist change' },
  'blacklist.review': { zh: '审核通过黑名单提请', en: 'Reviewed a blacklist proposal' },
  'blacklist.reject': { zh: '驳回黑名单提请', en: 'Rejected a blacklist proposal' },
  'blacklist.notice': { zh: '告知当事单位', en: 'Notified the unit' },
  'blacklist.objection': { zh: '登记陈述申辩', en: 'Recorded an objection' },
  'blacklist.decide': { zh: '作出黑名单决定', en: 'Decided a blacklisting' },
  'blacklist.dismiss': { zh: '决定不予列入', en: 'Dismissed a blacklist proposal' },
  'blacklist.publish': { zh: '公示黑名单决定', en: 'Published a blacklist decision' },
  'publication.blacklist': { zh: '公开黑名单', en: 'Published the blacklist' },
  'publication.quarterly-results': { zh: '公开季度检查结果', en: "Published a quarter's results" },
  'publication.quarterly-results.supplement': {
    zh: '补充公开季度检查结果',
    en: "Published a supplement to a quarter's results",
  },
  'credit.export': { zh: '导出信用信息', en: 'Exported credit data' },
  'credit.outgoing': { zh: '向信用平台推送信息', en: 'Sent credit data out' },
  'job.retry': { zh: '重新执行定时任务', en: 'Retried a scheduled job' },
  'log.witness.add': { zh: '登记公开日志见证方', en: 'Registered a log witness' },
  'log.witness.retire': { zh: '停用公开日志见证方', en: 'Retired a log witness' },
} as const satisfies Record<string, AuditLabel>;

/** An action the audit trail records. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The kinds of record an audit event names (`entity`), and their labels. */
export const AUDIT_ENTITIES = {
  sessions: { zh: '登录会话', en: 'Session' },
  users: { zh: '账号', en: 'Account' },
  bureaus: { zh: '执法部门', en: 'Bureau' },
  api_tokens: { zh: '接口令牌', en: 'API token' },
  signing_keys: { zh: '签名密钥', en: 'Signing key' },
  units: { zh: '检查对象', en: 'Unit' },
  unit_facts: { zh: '检查对象信息', en: 'Unit facts' },
  inspectors: { zh: '执法人员', en: 'Officer' },
  experts: { zh: '专家', en: 'Expert' },
  conflicts: { zh: '回避关系', en: 'Conflict of interest' },
  checklist_versions: { zh: '检查事项清单', en: 'Checklist' },
  procedures: { zh: '抽查工作细则', en: 'Procedure' },
  rule_pack_versions: { zh: '规则包', en: 'Rule pack' },
  plans: { zh: '抽查计划', en: 'Plan' },
  draws: { zh: '抽取', en: 'Draw' },
  tasks: { zh: '检查任务', en: 'Task' },
  results: { zh: '检查结果', en: 'Result' },
  rectifications: { zh: '整改', en: 'Rectification' },
  evidence: { zh: '证据材料', en: 'Evidence' },
  enforcement_cases: { zh: '执法案件', en: 'Enforcement case' },
  supervisions: { zh: '挂牌督办', en: 'Listed supervision' },
  blacklist_proceedings: { zh: '黑名单程序', en: 'Blacklist proceeding' },
  publications: { zh: '公开信息', en: 'Publication' },
  credit_exchange: { zh: '信用信息交换', en: 'Credit exchange' },
  job_runs: { zh: '定时任务', en: 'Scheduled job' },
  log_witnesses: { zh: '公开日志见证方', en: 'Log witness' },
} as const satisfies Record<string, AuditLabel>;

/** A kind of record an audit event names. */
export type AuditEntity = keyof typeof AUDIT_ENTITIES;

/** An action's label in `lang`; an id not in the table is shown as it is. */
export function auditActionLabel(action: string, lang: 'zh' | 'en'): string {
  return (AUDIT_ACTIONS as Record<string, AuditLabel>)[action]?.[lang] ?? action;
}

/** A record kind's label in `lang`; an id not in the table is shown as it is. */
export function auditEntityLabel(entity: string, lang: 'zh' | 'en'): string {
  return (AUDIT_ENTITIES as Record<string, AuditLabel>)[entity]?.[lang] ?? entity;
}
