/**
 * Every refusal the API gives, by stable code with its parameters (`ApiErrorCode`). The server
 * puts `{ code, field, params }` in a tRPC error's `data.reason` and keeps the English sentence
 * (`field: text`) as its `message` for the CLI and curl; the admin and the portal render the code
 * in the reader's language. Templates are typed by their parameters, so a call site that omits
 * one, or a code without its Chinese text, is a type error. Chinese texts name no internal id and
 * give statuses, roles and fields by their Chinese labels.
 */

/** A language the catalogue renders. */
export type ApiErrorLang = 'zh' | 'en';

type NoParams = Record<never, never>;

/** The two texts of one code. */
export interface ApiErrorTemplates<P> {
  readonly en: (p: P) => string;
  readonly zh: (p: P) => string;
}

/** Pairs the English and Chinese texts of a code; `P` is inferred from the English one. */
function e<P extends object = NoParams>(en: (p: P) => string, zh: (p: P) => string): ApiErrorTemplates<P> {
  return { en, zh };
}

/** Chinese labels of the statuses, stages and steps messages mention (plans, draws, tasks, packs…). */
const STATUS_ZH: Readonly<Record<string, string>> = {
  draft: '草稿',
  submitted: '待审批',
  approved: '已审批',
  'randomness-entered': '已录入随机源',
  drawn: '已抽取',
  signed: '已签署',
  'tasks-issued': '已下达任务',
  voided: '已作废',
  committed: '已承诺',
  'void-requested': '待批准作废',
  issued: '已下达',
  'in-progress': '检查中',
  done: '已完成',
  cancelled: '已取消',
  published: '已发布',
  retired: '已停用',
  editing: '编辑中',
  returned: '已退回',
  pending: '待登记',
  active: '有效',
  revoked: '已吊销',
  rejected: '已拒绝',
  rotated: '已轮换',
  missing: '不存在',
  gone: '不存在',
  listed: '督办中',
  'evidence-submitted': '整改材料待审核',
  'close-proposed': '待销号审批',
  closed: '已结案',
  proposed: '待审核',
  reviewed: '待告知',
  noticed: '申辩期中',
  decided: '已决定',
  dismissed: '决定不予列入',
  filed: '立案',
  investigated: '调查终结',
  correction: '更正',
};
/** A status in Chinese; an unknown one is never shown raw. */
const st = (s: unknown): string => STATUS_ZH[String(s)] ?? '其他状态';
/** `a or b` (as the English text joins them) in Chinese. */
const stList = (s: string): string => s.split(' or ').map(st).join('或');

/** Chinese labels of the roles (`Role` in domain.ts). */
export const ROLE_ZH: Readonly<Record<string, string>> = {
  'city-admin': '市局管理员',
  'district-admin': '区局管理员',
  'draw-operator': '抽查操作员',
  approver: '审批人',
  inspector: '执法人员',
  auditor: '审计员',
};
const role = (r: unknown): string => ROLE_ZH[String(r)] ?? '其他角色';
const roleList = (rs: readonly string[]): string => rs.map(role).join('、');

/** The earlier step a date is checked against (`checkStepDate`'s `what`), in Chinese. */
const stepZh = (what: string): string =>
  ({
    'the inspection': '检查日期',
    'the last step': '上一步骤的日期',
    'the previous step': '上一步骤的日期',
    'the notice': '告知日期',
  })[what] ?? '上一步骤的日期';

/** What a missing entity is (`notFound`'s `what`), in Chinese. A new one is a type error until labelled. */
export const ENTITY_ZH = {
  'rule pack version': '规则包版本',
  unit: '生产经营单位',
  plan: '抽查计划',
  key: '签名密钥',
  inspector: '执法人员',
  finding: '检查发现的问题',
  draw: '抽取',
  'checklist version': '检查事项清单版本',
  user: '账户',
  task: '检查任务',
  supervision: '挂牌督办',
  'step of this case': '案件步骤',
  'evidence file of this result': '该检查结果的证据文件',
  result: '检查结果',
  'logged publication': '已记入透明日志的公示',
  'blacklist proceeding': '黑名单程序',
  publication: '公示',
  procedure: '办事指南',
  expert: '专家',
  conflict: '回避申报',
  'enforcement case': '执法案件',
} as const;
/** An entity `notFound` names. */
export type EntityKind = keyof typeof ENTITY_ZH;

/** Chinese labels of input fields, by the last name in their path; unknown fields show their path. */
export const FIELD_ZH: Readonly<Record<string, string>> = {
  input: '输入',
  id: '编号',
  name: '名称',
  title: '标题',
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  displayName: '姓名',
  roles: '角色',
  role: '角色',
  bureauCode: '执法机构',
  supervisingBureauCode: '督办机构',
  planId: '抽查计划',
  drawId: '抽取',
  taskId: '检查任务',
  unitId: '生产经营单位',
  unitIds: '生产经营单位',
  inspectorId: '执法人员',
  expertId: '专家',
  findingId: '问题',
  resultId: '检查结果',
  caseId: '执法案件',
  supervisionId: '挂牌督办',
  proceedingId: '黑名单程序',
  versionId: '清单版本',
  checklistVersionId: '检查事项清单版本',
  checklistItemCode: '检查事项',
  items: '检查事项',
  code: '编号',
  period: '期间',
  year: '年度',
  quarter: '季度',
  plannedDrawAt: '计划抽取时间',
  sources: '随机源',
  values: '随机源的值',
  games: '彩票',
  team: '检查组',
  size: '人数',
  scope: '抽查范围',
  kind: '类型',
  inspectionKind: '检查方式',
  reason: '理由',
  reasonId: '理由',
  note: '说明',
  notes: '说明',
  on: '日期',
  date: '日期',
  checkedOn: '复查日期',
  inspectedOn: '检查日期',
  receivedOn: '收到日期',
  decidedOn: '决定日期',
  listedOn: '挂牌日期',
  filedOn: '立案日期',
  documents: '文件',
  evidence: '证据',
  sha256: '文件',
  file: '文件',
  format: '文件格式',
  files: '规则包文件',
  content: '内容',
  patch: '修改内容',
  status: '状态',
  address: '地址',
  phone: '电话',
  uscc: '统一社会信用代码',
  certificateNo: '执法证号',
  specialty: '专业',
  specialties: '专业',
  industry: '行业',
  riskLevel: '风险等级',
  decisionNumber: '决定书文号',
  caseNumber: '案件编号',
  penaltyAmount: '罚款金额',
  step: '办理步骤',
  publicKey: '公钥',
  keyId: '密钥',
  signature: '签名',
  signOff: '签署',
  signedAt: '签署时间',
  time: '时间',
  checkpointTime: '检查点时间',
  witness: '见证方',
  from: '起始位置',
  to: '结束位置',
  digest: '预览',
  packId: '规则包',
  level: '级别',
  level2: '级别',
  limit: '条数',
  offset: '起始位置',
  cursor: '翻页位置',
  page: '页码',
  pageSize: '每页条数',
  search: '搜索内容',
  query: '搜索内容',
  scopes: '权限范围',
  expiresAt: '有效期',
  passed: '审核结论',
  grade: '信用等级',
  deaths: '死亡人数',
  active: '是否有效',
  facts: '单位信息',
  authorization: '访问令牌',
  session: '登录',
  method: '请求方式',
};

/** The field a path names, in Chinese: `team.size` → 人数, `roles.0.bureauCode` → 执法机构. */
export function fieldZh(path: string): string {
  const names = path.split('.').filter((s) => s && !/^\d+$/.test(s));
  for (let i = names.length - 1; i >= 0; i--) {
    const label = FIELD_ZH[names[i]!];
    if (label) return label;
  }
  return path ? `输入项“${path}”` : '输入';
}

/** One problem with a procedure's input, as the server reads a zod issue. */
export interface InputIssue {
  /** Dotted path, `input` for the whole input. */
  readonly path: string;
  readonly problem:
    'required' | 'type' | 'tooSmall' | 'tooBig' | 'format' | 'notOneOf' | 'unknownKey' | 'invalid';
  /** zod's English message. */
  readonly message: string;
  /** The expected type (`type`), e.g. `string`, `number`. */
  readonly expected?: string;
  /** The bound (`tooSmall`/`tooBig`) and what it counts. */
  readonly limit?: number | string;
  readonly of?: 'number' | 'text' | 'list' | 'date' | 'other';
  readonly inclusive?: boolean;
  /** The format name (`format`), e.g. `email`, `regex`, `datetime`. */
  readonly format?: string;
  /** Allowed values (`notOneOf`) or unknown keys (`unknownKey`). */
  readonly values?: readonly string[];
}

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '是/否',
  array: '列表',
  object: '对象',
  date: '日期',
  bigint: '整数',
};
const FORMAT_ZH: Readonly<Record<string, string>> = {
  email: '电子邮箱',
  url: '网址',
  uuid: '系统编号',
  datetime: '日期时间',
  date: '日期（年-月-日）',
  time: '时间',
  regex: '规定的格式',
  base64: 'Base64 编码',
  starts_with: '规定的开头',
  ends_with: '规定的结尾',
  includes: '规定的内容',
};

/** The API's own zod messages (lib/zod.ts and the routers' refinements), in Chinese. */
const MESSAGE_ZH: Readonly<Record<string, string>> = {
  'must contain pack.json': '须包含规则包清单（pack.json）',
  'must not contain control characters': '不能含有控制字符（如换行）',
  'must be a 6-digit GB/T 2260 code': '应为 6 位行政区划代码',
  'expected 64 lowercase hex digits': '应为 64 位十六进制数字',
  'expected 128 lowercase hex digits': '应为 128 位十六进制数字',
  'must not be before from': '不能早于起始日期',
  'must be whole seconds UTC like 2027-01-01T00:00:00Z': '应为精确到秒的协调世界时',
  'must be a real time': '应为真实存在的时间（月、日、时、分、秒不能超出范围）',
  'must be the digest of a preview': '应为预览给出的摘要',
  'must be after listedOn': '应晚于挂牌日期',
  'must be a media type like image/jpeg': '应为文件类型，如 image/jpeg',
  'must be a lowercase hex SHA-256': '应为 SHA-256 摘要（小写十六进制）',
  'must be a date YYYY-MM-DD': '应为日期（年-月-日）',
  'must be a UUID': '格式不对，应为系统编号',
  'must be a 9-digit street code': '应为 9 位街道代码',
  'must be YYYY-Qn': '应为季度，如 2027-Q1',
  'must be YYYY, YYYY-Qn or YYYY-MM': '应为年度、季度或月份，如 2027、2027-Q1、2027-03',
  'must be 64 lowercase hex characters': '应为 64 位十六进制字符',
  'name each withheld field once': '每个不公开的字段只能列一次',
  'expected whole seconds UTC, e.g. 2027-01-04T09:00:00Z': '应为精确到秒的协调世界时',
  'expected a quarter YYYY-Qn': '应为季度，如 2027-Q1',
  'expected YYYY-MM-DD (UTC+8)': '应为日期（年-月-日，北京时间）',
  'a range spans at most one year': '日期区间最长一年',
  'a correction needs both supersedesId and correctionReason': '更正须同时指明被更正的结果和更正理由',
  'give exactly one of quota or ratio': '抽取数量和抽查比例须且只须填写一项',
};

/** The problem of one input issue in Chinese (without the field). */
export function inputProblemZh(i: InputIssue): string {
  const known = MESSAGE_ZH[i.message];
  if (known) return known;
  switch (i.problem) {
    case 'required':
      return '必须填写';
    case 'type':
      return `类型不对，应为${TYPE_ZH[i.expected ?? ''] ?? '其他类型'}`;
    case 'tooSmall':
      return i.of === 'text'
        ? Number(i.limit) <= 1
          ? '不能为空'
          : `至少 ${i.limit} 个字符`
        : i.of === 'list'
          ? `至少需要 ${i.limit} 项`
          : i.of === 'date'
            ? '日期太早'
            : `不能小于 ${i.limit}`;
    case 'tooBig':
      return i.of === 'text'
        ? `最多 ${i.limit} 个字符`
        : i.of === 'list'
          ? `最多 ${i.limit} 项`
          : i.of === 'date'
            ? '日期太晚'
            : `不能大于 ${i.limit}`;
    case 'format':
      return `格式不对，应为${FORMAT_ZH[i.format ?? ''] ?? '规定的格式'}`;
    case 'notOneOf':
      return '不在可选范围内';
    case 'unknownKey':
      return '含有无法识别的内容';
    default:
      return '内容不符合要求';
  }
}

/** Every code the API refuses with, and its English and Chinese texts. */
export const API_ERRORS = {
  'apiToken.alreadyRevoked': e(
    () => `the token is already revoked`,
    () => `该接口令牌已被吊销`,
  ),
  'apiToken.notFound': e(
    (p: { id: string }) => `no API token ${p.id}`,
    () => `找不到该接口令牌`,
  ),
  'auth.currentPasswordWrong': e(
    () => `is wrong`,
    () => `当前密码不正确`,
  ),
  'blacklist.alreadyListed': e(
    () => `the unit is already on the blacklist`,
    () => `该单位已在黑名单中`,
  ),
  'blacklist.changedMeanwhile': e(
    () => `the proceeding changed meanwhile; reload`,
    () => `该程序已被他人修改，请刷新后重试`,
  ),
  'blacklist.decisionNumberRequired': e(
    () => `is required for a decision to act`,
    () => `作出列入决定须填写决定书文号`,
  ),
  'blacklist.findingOfOtherUnit': e(
    () => `is a finding of another unit`,
    () => `该问题属于其他单位`,
  ),
  'blacklist.listingUnderWay': e(
    () => `a listing proceeding of this unit is already under way`,
    () => `该单位已有正在办理的列入程序`,
  ),
  'blacklist.notListed': e(
    () => `the unit is not on the blacklist`,
    () => `该单位不在黑名单中`,
  ),
  'blacklist.objectionPeriodOver': e(
    (p: { objectionEndsOn: string | null }) => `is after the objection period (ended ${p.objectionEndsOn})`,
    (p) => `收到日期晚于异议期（异议期至 ${p.objectionEndsOn ?? '—'}）`,
  ),
  'blacklist.objectionPeriodRunning': e(
    (p: { objectionEndsOn: string | null }) =>
      `the objection period runs until ${p.objectionEndsOn}: decide from the day after`,
    (p) => `异议期至 ${p.objectionEndsOn ?? '—'}：请于次日起作出决定`,
  ),
  'blacklist.repairUnderWay': e(
    () => `a credit repair of this unit is already under way`,
    () => `该单位已有正在办理的信用修复程序`,
  ),
  'blacklist.selfDecide': e(
    () => `the proposer cannot decide their own proposal`,
    () => `提议人不能对自己的提议作出决定`,
  ),
  'blacklist.selfReview': e(
    () => `the proposer cannot review their own proposal: a second person must`,
    () => `提议人不能审核自己的提议，须由另一人审核`,
  ),
  'blacklist.wrongStatus': e(
    (p: { status: string; what: string }) => `is "${p.status}": ${p.what}`,
    (p) => `该程序当前为“${st(p.status)}”，不能办理此步骤`,
  ),
  'bureau.notTianjin': e(
    () => `a Tianjin district code starts with 1201`,
    () => `天津市的区县代码应以 1201 开头`,
  ),
  'bureau.onlyCity': e(
    (p: { cityCode: string }) => `only ${p.cityCode} is the city bureau`,
    (p) => `只有 ${p.cityCode} 是市局`,
  ),
  'case.caseNumberOnFiled': e(
    () => `is corrected on the 立案 step only`,
    () => `案件编号只能在“立案”步骤更正`,
  ),
  'case.changedMeanwhile': e(
    () => `the case changed meanwhile; reload`,
    () => `该案件已被他人修改，请刷新后重试`,
  ),
  'case.closed': e(
    () => `the case is closed: record a correction instead`,
    () => `该案件已结案：如需修改请登记更正`,
  ),
  'case.decisionNumberOnDecision': e(
    () => `is corrected on the 处罚决定 step only`,
    () => `决定书文号只能在“处罚决定”步骤更正`,
  ),
  'case.emptyCorrection': e(
    () => `a correction changes a number, the amount or adds documents`,
    () => `更正须修改编号、金额或补充文件`,
  ),
  'case.noLegalBasis': e(
    () => `the finding cites no checklist item, so the decision has no legal basis: correct the result first`,
    () => `该问题未引用检查事项，处罚决定缺少法律依据：请先更正检查结果`,
  ),
  'case.wrongStep': e(
    (p: { stage: string; expected: string; step: string }) =>
      `the case is at "${p.stage}": the next step is "${p.expected}", not "${p.step}" (no skipping, no going back)`,
    (p) =>
      `案件当前处于“${st(p.stage)}”阶段，下一步应为“${st(p.expected)}”，不能办理“${st(p.step)}”（不能跳过或退回）`,
  ),
  'checklist.baseNotPublished': e(
    () => `must be a published checklist version`,
    () => `基础版本必须是已发布的检查事项清单`,
  ),
  'checklist.draftExists': e(
    (p: { version: number }) => `version ${p.version} is still a draft: edit or publish it first`,
    (p) => `检查事项清单第 ${p.version} 版仍是草稿：请先编辑或发布该版本`,
  ),
  'checklist.duplicateCode': e(
    (p: { code: string }) => `${p.code} appears twice`,
    (p) => `检查事项编号 ${p.code} 重复`,
  ),
  'checklist.empty': e(
    () => `an empty checklist cannot be published`,
    () => `空的检查事项清单不能发布`,
  ),
  'checklist.otherDistrict': e(
    () => `belongs to another district`,
    () => `该检查事项清单属于其他区`,
  ),
  'checklist.versionFrozen': e(
    (p: { version: number; status: string }) =>
      `version ${p.version} is ${p.status}: published versions never change; create a new draft`,
    (p) => `检查事项清单第 ${p.version} 版为“${st(p.status)}”：已发布的版本不能修改，请新建草稿`,
  ),
  'checklist.versionNotFound': e(
    (p: { versionId: string }) => `no checklist version ${p.versionId}`,
    () => `找不到该检查事项清单版本`,
  ),
  'conflict.alreadyRevoked': e(
    () => `the declaration is already revoked`,
    () => `该回避申报已撤销`,
  ),
  'conflict.ownOnly': e(
    () => `inspectors declare only their own conflicts`,
    () => `执法人员只能申报本人的回避情形`,
  ),
  'credit.cityExportNeedsCityRole': e(
    () => `the city-wide export needs a city role`,
    () => `全市导出需要市局角色`,
  ),
  'date.beforeStep': e(
    (p: { what: string; after: string }) => `is before ${p.what} (${p.after})`,
    (p) => `日期不能早于${stepZh(p.what)}（${p.after}）`,
  ),
  'date.inFuture': e(
    () => `cannot be in the future`,
    () => `日期不能晚于今天`,
  ),
  'draw.changedWhileChecked': e(
    () =>
      `the draw changed while it was being checked (its signing time read differently twice); check it again`,
    () => `核验期间该抽取的记录被改动（两次读取的签名时间不同），请重新核验`,
  ),
  'draw.covertSealed': e(
    () => `a covert inspection is sealed until it is executed (R10)`,
    () => `暗查暗访在执行前保密（R10）`,
  ),
  'draw.inputRefused': e(
    (p: { detail: string }) => `${p.detail}`,
    () => `抽取的输入不符合要求，无法办理`,
  ),
  'draw.needsRandomness': e(
    () => `enter the randomness first`,
    () => `请先录入随机源的值`,
  ),
  'draw.notDrawnYet': e(
    (p: { attempt: number }) => `draw attempt ${p.attempt} is not drawn yet`,
    (p) => `第 ${p.attempt} 次抽取尚未执行`,
  ),
  'draw.nothingToSign': e(
    (p: { attempt: number; status: string }) =>
      `draw attempt ${p.attempt} is ${p.status}: nothing to sign yet`,
    (p) => `第 ${p.attempt} 次抽取当前为“${st(p.status)}”：尚无可签署的结果`,
  ),
  'draw.notSignedForTasks': e(
    (p: { attempt: number; status: string }) =>
      `draw attempt ${p.attempt} is ${p.status}: tasks are issued from a signed draw`,
    (p) => `第 ${p.attempt} 次抽取当前为“${st(p.status)}”：只能依据已签署的抽取下达任务`,
  ),
  'draw.notSignedYet': e(
    (p: { attempt: number }) => `draw attempt ${p.attempt} is not signed yet`,
    (p) => `第 ${p.attempt} 次抽取尚未签署`,
  ),
  'draw.statusIs': e(
    (p: { attempt: number; status: string }) => `draw attempt ${p.attempt} is ${p.status}`,
    (p) => `第 ${p.attempt} 次抽取当前为“${st(p.status)}”，不能办理此操作`,
  ),
  'draw.v1Frozen': e(
    (p: { attempt: number }) => `draw attempt ${p.attempt} is sr-draw/v1: it can no longer change`,
    (p) => `第 ${p.attempt} 次抽取采用旧版规程（sr-draw/v1），不能再修改`,
  ),
  'draw.v1NotDrawable': e(
    () => `an sr-draw/v1 attempt can no longer be drawn`,
    () => `旧版规程（sr-draw/v1）的抽取不能再执行`,
  ),
  'draw.v1NotSignable': e(
    () => `an sr-draw/v1 attempt can no longer be signed`,
    () => `旧版规程（sr-draw/v1）的抽取不能再签署`,
  ),
  'draw.v1NotVoidable': e(
    () => `an sr-draw/v1 attempt can no longer be voided`,
    () => `旧版规程（sr-draw/v1）的抽取不能再作废`,
  ),
  'draw.valuesCount': e(
    (p: { expected: number; got: number }) =>
      `expected ${p.expected} values, one per committed source, got ${p.got}`,
    (p) => `应录入 ${p.expected} 个值（每个承诺的随机源一个），实际为 ${p.got} 个`,
  ),
  'draw.voidedHasValues': e(
    (p: { attempt: number }) => `voided attempt ${p.attempt} already has its values`,
    (p) => `作废的第 ${p.attempt} 次抽取已录入随机源的值`,
  ),
  'draw.wrongStatus': e(
    (p: { attempt: number; status: string; expected: string }) =>
      `draw attempt ${p.attempt} is ${p.status}; this step needs ${p.expected}`,
    (p) => `第 ${p.attempt} 次抽取当前为“${st(p.status)}”，此操作需要“${stList(p.expected)}”`,
  ),
  'evidence.notUploaded': e(
    () => `no file with this SHA-256 and size was uploaded for this bureau: upload it first`,
    () => `本机构没有上传过该文件（按 SHA-256 与大小核对）：请先上传`,
  ),
  'external.activeRequired': e(
    (p: { kind: string }) => `is required for ${p.kind}`,
    () => `该类信息须填写“是否有效”`,
  ),
  'external.deathsRequired': e(
    () => `is required for fatal-accident`,
    () => `死亡事故信息须填写“死亡人数”`,
  ),
  'external.gradeRequired': e(
    () => `is required for credit-grade`,
    () => `信用等级信息须填写“等级”`,
  ),
  'external.unitNotFound': e(
    (p: { unitId: string }) => `no unit ${p.unitId}`,
    () => `找不到该单位`,
  ),
  'external.unitOutsideBureau': e(
    (p: { unitId: string; bureauCode: string }) => `unit ${p.unitId} is outside bureau ${p.bureauCode}`,
    () => `该单位不属于本令牌所属的区`,
  ),
  'finding.corrected': e(
    (p: { correctionId: string }) =>
      `the result was corrected (${p.correctionId}): act on the correction's findings`,
    () => `该检查结果已更正：请针对更正后的问题办理`,
  ),
  'inspector.certificateTaken': e(
    (p: { certificateNo: string; id: string }) => `${p.certificateNo} is the certificate of officer ${p.id}`,
    (p) => `执法证号 ${p.certificateNo} 已属于另一名执法人员`,
  ),
  'inspector.idTaken': e(
    (p: { id: string; bureauCode: string }) =>
      `officer ${p.id} is already on the roster of bureau ${p.bureauCode}`,
    (p) => `执法人员编号 ${p.id} 已在 ${p.bureauCode} 的名录中`,
  ),
  'unit.majorHazardByRectification': e(
    () =>
      `a major accident hazard an inspection found ends through its rectification check (under listed supervision, its closure 销号 approved by a second person), not by editing the unit`,
    () => `检查发现的重大事故隐患须经整改复查解除（挂牌督办的须经第二人批准销号），不能在单位信息中直接取消`,
  ),
  'unit.blacklistedByProceedings': e(
    () =>
      `a unit is put on or taken off the blacklist through blacklist proceedings (review, notice, decision), not by editing it`,
    () => `严重失信主体名单的列入和移出须经名单程序（审查、告知、决定），不能在单位信息中直接修改`,
  ),
  'unit.idTaken': e(
    (p: { id: string; bureauCode: string }) => `${p.id} is already on the roster of bureau ${p.bureauCode}`,
    (p) => `统一社会信用代码 ${p.id} 已在 ${p.bureauCode} 的名录中`,
  ),
  'job.notFound': e(
    (p: { name: string }) => `no job named "${p.name}"`,
    (p) => `没有名为“${p.name}”的后台任务`,
  ),
  'key.alreadyOnFile': e(
    (p: { keyPrefix: string }) => `key ${p.keyPrefix}… is already on file`,
    () => `该公钥已经登记`,
  ),
  'key.changedMeanwhile': e(
    () => `the key changed meanwhile; reload and try again`,
    () => `该密钥已被他人修改，请刷新后重试`,
  ),
  'key.endRewritten': e(
    (p: { keyPrefix: string }) =>
      `key ${p.keyPrefix}… was ended or removed in the published registry, and its record now says otherwise; the registry is not republished`,
    (p) => `公钥 ${p.keyPrefix}… 在已公布的登记表中已停用或移除，现有记录却与之不符：登记表不予重新公布`,
  ),
  'key.notPending': e(
    (p: { status: string }) => `the key is ${p.status}; only a pending key can be registered`,
    (p) => `该密钥当前为“${st(p.status)}”：只能登记待登记的密钥`,
  ),
  'key.notRevocable': e(
    (p: { status: string }) => `the key is ${p.status}; only a pending or active key can be revoked`,
    (p) => `该密钥当前为“${st(p.status)}”：只能吊销待登记或有效的密钥`,
  ),
  'key.rotationUnwitnessed': e(
    (p: { keyPrefix: string; records: number }) =>
      `the official's current key ${p.keyPrefix}… signed ${p.records} record(s) that no witnessed checkpoint holds yet; ended now, they would fail verification for good (the key must be valid at their log time). Register the new key after the next witnessed checkpoint, usually within two minutes; a leaked key is revoked instead`,
    (p) =>
      `该工作人员现用密钥 ${p.keyPrefix}… 签署的 ${p.records} 条签名记录尚未进入经见证的检查点，此时轮换将使其永远无法通过验证（验证以记录入日志的时间判断密钥是否有效）。请在下一个经见证的检查点之后（通常两分钟内）再登记新密钥；密钥泄露的，请改为吊销`,
  ),
  'key.rotationNoWitnesses': e(
    (p: { keyPrefix: string; records: number; witnesses: number; needed: number }) =>
      `the official's current key ${p.keyPrefix}… signed ${p.records} record(s) that no witnessed checkpoint holds yet, and the city has ${p.witnesses} active witness(es) where a checkpoint needs ${p.needed}: no checkpoint can be witnessed until the city bureau registers enough witnesses; ended now, those records would fail verification for good. A leaked key is revoked instead`,
    (p) =>
      `该工作人员现用密钥 ${p.keyPrefix}… 签署的 ${p.records} 条签名记录尚未进入经见证的检查点，而全市现有 ${p.witnesses} 个有效见证方，检查点须有 ${p.needed} 个见证方联署：在市局登记足够的见证方之前，任何检查点都无法得到见证，此时轮换将使这些记录永远无法通过验证。密钥泄露的，请改为吊销`,
  ),
  'key.registrarControlledByOwner': e(
    () =>
      `this account was created, or had its password reset, by the key's owner (or by an account they did): the key is registered by an administrator independent of its owner; ask another administrator, or the city bureau's`,
    () =>
      `本账号由该密钥的持有人（或其创建的账号）创建或重置过密码，不能登记其密钥：密钥须由与持有人无关的管理员登记，请由其他管理员或市局管理员登记`,
  ),
  'key.selfRegister': e(
    () => `another administrator must register your own key`,
    () => `本人的密钥须由另一名管理员登记`,
  ),
  'log.beyondCheckpoints': e(
    (p: { to: number; size: number }) =>
      `no signed checkpoint holds ${p.to} leaves yet (the largest holds ${p.size}): ask up to a checkpoint's size`,
    (p) =>
      `尚无已签名的检查点包含 ${p.to} 条记录（最大的检查点为 ${p.size} 条）：结束位置不能超过检查点的大小`,
  ),
  'log.rangeReversed': e(
    (p: { from: number; to: number }) => `must not exceed to (${p.from} > ${p.to})`,
    (p) => `起始位置不能大于结束位置（${p.from} > ${p.to}）`,
  ),
  'log.tooFewLeaves': e(
    (p: { leaves: number; to: number }) => `the log has ${p.leaves} leaves, not ${p.to}`,
    (p) => `透明日志只有 ${p.leaves} 条记录，不足 ${p.to} 条`,
  ),
  'patch.empty': e(
    () => `names no field to change`,
    () => `没有需要修改的内容`,
  ),
  'period.invalid': e(
    (p: { detail: string }) => `${p.detail}`,
    () => `期间写法有误：应为年度（如 2027）、季度（如 2027-Q2）或日期区间`,
  ),
  'plan.checklistNotPublished': e(
    (p: { version: string | number; status: string }) =>
      `checklist version ${p.version} is ${p.status}: only a published version may be used (R2)`,
    (p) => `检查事项清单第 ${p.version} 版为“${st(p.status)}”：只能使用已发布的版本（R2）`,
  ),
  'plan.checklistOtherDistrict': e(
    () => `the checklist belongs to another district`,
    () => `检查事项清单属于其他区`,
  ),
  'plan.drawTimeInPast': e(
    () => `the planned draw time is in the past`,
    () => `计划抽取时间已过`,
  ),
  'plan.gameNoDraw': e(
    (p: { game: string }) =>
      `${p.game} has no scheduled draw between the planned time and 7 days from now: plan an earlier draw or leave the game out`,
    () => `所选彩票在计划时间之后 7 天内没有开奖：请提前抽取时间或不选该彩票`,
  ),
  'plan.infeasible': e(
    (p: { detail: string }) =>
      `the plan cannot be staffed for every unit (sr-draw/v2 §9.6), so nothing was committed:\n${p.detail}`,
    () => `计划无法为每家单位配齐检查组（sr-draw/v2 §9.6），未作承诺：请检查执法人员、专家和回避情形`,
  ),
  'plan.tooLargeToPublish': e(
    (p: { units: number; selected: number; megabytes: number; limitMegabytes: number }) =>
      `the draw of ${p.units} units selecting up to ${p.selected} could need ${p.megabytes} MB in one publication, past the ${p.limitMegabytes} MB one publication can hold, so nothing was committed: split the plan by district or industry`,
    (p) =>
      `本计划抽取对象 ${p.units} 家、最多抽中 ${p.selected} 家，抽取结果公示可能需要 ${p.megabytes} MB，超过单条公示的上限 ${p.limitMegabytes} MB，未作承诺：请按区或行业拆分计划`,
  ),
  'plan.noBeacon': e(
    () => `no drand beacon is configured (SPOTCHECK_DRAND_URL, or the demo beacon)`,
    () => `未配置 drand 随机信标`,
  ),
  'plan.noChecklist': e(
    () => `the plan names no checklist version`,
    () => `计划未指定检查事项清单`,
  ),
  'plan.noExperts': e(
    (p: { units: number; bureauCode: string }) =>
      `${p.units} units in scope require an expert, but the expert library has no active expert for bureau ${p.bureauCode}`,
    (p) => `范围内有 ${p.units} 家单位需要专家参加，但专家库中没有本区可用的专家`,
  ),
  'plan.noRulePackInForce': e(
    (p: { start: string }) =>
      `no published rule pack applying to this bureau is in force on ${p.start} (the period's first day)`,
    (p) => `${p.start} 没有适用于本区的已发布规则包生效`,
  ),
  'plan.noSources': e(
    () => `name at least one randomness source before submitting`,
    () => `提交前请至少指定一个随机源`,
  ),
  'plan.notSubmitted': e(
    (p: { status: string }) => `the plan is ${p.status}; approval needs a submitted plan`,
    (p) => `计划当前为“${st(p.status)}”：只能审批待审批的计划`,
  ),
  'plan.noUnitsInScope': e(
    () => `no active unit of the roster is in the plan scope`,
    () => `计划范围内没有在册的生产经营单位`,
  ),
  'plan.previousAttemptOpen': e(
    (p: { attempt: number; status: string }) =>
      `attempt ${p.attempt} is ${p.status}: a new attempt needs its void first`,
    (p) => `第 ${p.attempt} 次抽取当前为“${st(p.status)}”：须先作废才能重新抽取`,
  ),
  'plan.sourcesNotV2': e(
    () => `name sr-draw/v2 sources: a drand round, and optionally lottery draws`,
    () => `请指定新版规程（sr-draw/v2）的随机源：一个 drand 轮次，可另加彩票开奖`,
  ),
  'plan.unitsOnlyGeneral': e(
    () => `only general inspections may draw units only (R8)`,
    () => `只有一般检查可以只抽取单位（R8）`,
  ),
  'plan.wrongStatus': e(
    (p: { status: string; expected: string }) => `the plan is ${p.status}; this step needs ${p.expected}`,
    (p) => `计划当前为“${st(p.status)}”，此操作需要“${stList(p.expected)}”`,
  ),
  'procedure.versionFrozen': e(
    (p: { version: number; status: string }) => `version ${p.version} is already ${p.status}`,
    (p) => `第 ${p.version} 版已是“${st(p.status)}”`,
  ),
  'publication.notDrawOrVoid': e(
    (p: { id: string; kind: string }) =>
      `publication ${p.id} is a ${p.kind}, not a draw or an sr-draw/v2 void`,
    () => `该公示不是抽取结果或作废公示`,
  ),
  'publication.readTheFile': e(
    (p: { id: string; file: string; storedBytes: number }) =>
      `publication ${p.id} is too large to send as one response (${p.storedBytes} bytes stored): read ${p.file}`,
    (p) => `该公示内容过大，无法一次返回，请下载公示文件 ${p.file}`,
  ),
  'publication.nothingNew': e(
    (p: { period: string }) => `${p.period} is already published and nothing new was recorded since`,
    (p) => `${p.period} 已公示，此后没有新的记录`,
  ),
  'quarter.invalid': e(
    (p: { period: string }) => `must be YYYY-Qn, got "${p.period}"`,
    () => `期间应为季度，如 2027-Q1`,
  ),
  'quarter.notEnded': e(
    (p: { period: string }) => `${p.period} has not ended yet`,
    (p) => `${p.period} 尚未结束`,
  ),
  'rectification.alreadyDone': e(
    () => `the finding is already rectified`,
    () => `该问题已整改完毕`,
  ),
  'rectification.beforeInspection': e(
    (p: { inspectedOn: string }) => `is before the inspection (${p.inspectedOn})`,
    (p) => `复查日期早于检查日期（${p.inspectedOn}）`,
  ),
  'rectification.onlyTeam': e(
    () => `only a member of the team records its follow-up checks`,
    () => `只有检查组成员可以登记整改复查`,
  ),
  'rectification.resultCorrected': e(
    (p: { correctionId: string }) =>
      `the result was corrected (${p.correctionId}): record checks on the correction's findings`,
    () => `该检查结果已更正：请在更正后的问题上登记复查`,
  ),
  'replace.inspectionFinished': e(
    (p: { unitId: string }) => `the inspection of unit ${p.unitId} is finished: its team is history`,
    () => `该单位的检查已完成：检查组不能再替换`,
  ),
  'replace.noConflictOnRecord': e(
    (p: { inspectorId: string; unitId: string }) =>
      `${p.inspectorId} has no conflict with unit ${p.unitId} on record: declare it first (回避申报), then replace`,
    () => `该执法人员与该单位没有登记的回避情形：请先申报回避，再替换`,
  ),
  'replace.notOnTeam': e(
    (p: { inspectorId: string; unitId: string; team: string }) =>
      `${p.inspectorId} is not on the team of unit ${p.unitId} (team: ${p.team})`,
    () => `该执法人员不在该单位的检查组中`,
  ),
  'replace.notSigned': e(
    (p: { attempt: number; status: string }) =>
      `draw attempt ${p.attempt} is ${p.status}: only a signed draw's teams are replaced (a void is not a replacement)`,
    (p) => `第 ${p.attempt} 次抽取当前为“${st(p.status)}”：只能替换已签署抽取的检查组成员（作废不是替换）`,
  ),
  'replace.refused': e(
    (p: { detail: string }) => `${p.detail}`,
    () => `无法完成替换：没有符合条件的执法人员可以替补`,
  ),
  'replace.sealedNoSuchMember': e(
    () =>
      `this replacement cannot be made on the covert draw: the inspector is on no team at this unit, or the replacement is not possible (while the draw is sealed, which of these, and its units and teams, are not told)`,
    () =>
      `本次暗查暗访抽取不能作此替换：该执法人员不在该单位的检查组，或该替换无法进行（抽取结果封存期间，不告知具体原因以及抽中单位和检查组）`,
  ),
  'replace.unitNotSelected': e(
    (p: { unitId: string; attempt: number }) =>
      `unit ${p.unitId} was not selected by draw attempt ${p.attempt}`,
    (p) => `该单位未被第 ${p.attempt} 次抽取选中`,
  ),
  'replace.v1': e(
    () => `members of an sr-draw/v1 team cannot be replaced through the committed shuffle`,
    () => `旧版规程（sr-draw/v1）抽取的检查组成员不能通过承诺的洗牌替换`,
  ),
  'result.alreadyRecorded': e(
    () => `the task already has a result: record a correction (supersedesId) instead`,
    () => `该任务已有检查结果：请登记更正`,
  ),
  'result.itemNotOnChecklist': e(
    (p: { checklistItemCode: string; allowed: string }) =>
      `"${p.checklistItemCode}" is not on this task's checklist (${p.allowed})`,
    (p) => `检查事项 ${p.checklistItemCode} 不在本任务的检查事项清单中`,
  ),
  'result.onlyTeam': e(
    () => `only a member of the team records its result`,
    () => `只有检查组成员可以登记检查结果`,
  ),
  'result.supersedesOtherTask': e(
    () => `must be a result of the same task`,
    () => `更正的必须是同一任务的检查结果`,
  ),
  'result.taskCancelled': e(
    () => `the task was cancelled (its draw was voided)`,
    () => `该任务已取消（其抽取已作废）`,
  ),
  'result.taskChanged': e(
    () => `the task changed meanwhile (already recorded or cancelled); reload`,
    () => `该任务已被修改（已登记结果或已取消），请刷新`,
  ),
  'result.teamTooSmall': e(
    (p: { teamSize: number }) =>
      `the task has ${p.teamSize} officer${p.teamSize === 1 ? '' : 's'} on its team: a result needs a team of at least two`,
    (p) => `该任务的检查组只有 ${p.teamSize} 人：登记结果需要至少两名执法人员`,
  ),
  'rulePack.alreadyRetired': e(
    (p: { packId: string; version: string }) => `${p.packId}@${p.version} is already retired`,
    (p) => `该规则包版本（${p.version}）已停用`,
  ),
  'rulePack.conflictsWithPublished': e(
    (p: { packId: string; version: string; detail: string }) =>
      `${p.packId}@${p.version} does not load with the published packs: ${p.detail}`,
    (p) => `该规则包版本（${p.version}）与已发布的规则包不能一同加载，请在规则包编辑器中查看具体问题`,
  ),
  'rulePack.diffOtherBureau': e(
    (p: { packId: string; packBureau: string; bureauCode: string }) =>
      `${p.packId} applies to bureau ${p.packBureau} only; its diff cannot cover ${p.bureauCode}`,
    () => `该规则包只适用于其所属区，不能用于所选区的比较`,
  ),
  'rulePack.draftIdMismatch': e(
    (p: { packId: string; id: string }) => `the draft is ${p.packId}, not ${p.id}`,
    () => `清单中的规则包标识与该草稿不一致`,
  ),
  'rulePack.extendedByOthers': e(
    (p: { packId: string }) => `other published packs extend ${p.packId}: retire or replace them first`,
    () => `还有其他已发布的规则包继承该规则包：请先停用或替换它们`,
  ),
  'rulePack.invalidContent': e(
    (p: { detail: string }) => `${p.detail}`,
    () => `规则包内容有误，请在规则包编辑器中查看具体问题`,
  ),
  'rulePack.manifestNeedsIdVersion': e(
    () => `needs "id" and "version"`,
    () => `规则包清单缺少标识或版本号`,
  ),
  'rulePack.manifestNotJson': e(
    () => `is not valid JSON`,
    () => `规则包清单格式有误，无法解析`,
  ),
  'rulePack.notApproved': e(
    (p: { packId: string; version: string; review: string }) =>
      `${p.packId}@${p.version} is ${p.review}: a city admin must approve it before it is published`,
    (p) => `该规则包版本（${p.version}）当前为“${st(p.review)}”：须经市局管理员批准后才能发布`,
  ),
  'rulePack.notEditable': e(
    (p: { packId: string; version: string; state: string }) =>
      `${p.packId}@${p.version} is ${p.state}: it can no longer be edited`,
    (p) => `该规则包版本（${p.version}）当前为“${st(p.state)}”：不能再编辑`,
  ),
  'rulePack.notReviewable': e(
    (p: { packId: string; version: string; state: string }) =>
      `${p.packId}@${p.version} is ${p.state}: only a submitted draft can be reviewed`,
    (p) => `该规则包版本（${p.version}）当前为“${st(p.state)}”：只有已提交的草稿可以审核`,
  ),
  'rulePack.notSubmittable': e(
    (p: { packId: string; version: string; state: string }) =>
      `${p.packId}@${p.version} is ${p.state}: only a draft being edited can be submitted`,
    (p) => `该规则包版本（${p.version}）当前为“${st(p.state)}”：只有正在编辑的草稿可以提交`,
  ),
  'rulePack.onlyPackOfBureau': e(
    (p: { packId: string; version: string; bureauCode: string }) =>
      `${p.packId}@${p.version} is the only pack bureau ${p.bureauCode} relies on: publish a new version instead`,
    () => `这是该区唯一依据的规则包：请发布新版本替代`,
  ),
  'rulePack.ownedByOtherBureau': e(
    (p: { packId: string; ownerBureau: string; bureauCode: string }) =>
      `pack id ${p.packId} belongs to bureau ${p.ownerBureau}, not ${p.bureauCode}: a pack id is kept by one bureau; give the pack another id`,
    (p) =>
      `该规则包标识已属于 ${p.ownerBureau}，不能用于 ${p.bureauCode} 的规则包：每个规则包标识只属于一个执法机构，请使用其他标识`,
  ),
  'rulePack.publishedDoNotLoad': e(
    (p: { detail: string }) => `the published rule packs do not load: ${p.detail}`,
    () => `已发布的规则包无法加载，请联系市局管理员`,
  ),
  'rulePack.publishedFrozen': e(
    (p: { packId: string; version: string; status: string }) =>
      `${p.packId}@${p.version} is ${p.status}: published packs never change`,
    (p) => `该规则包版本（${p.version}）为“${st(p.status)}”：已发布的规则包不能修改`,
  ),
  'rulePack.selfReview': e(
    () => `the submitter cannot review their own submission: a second admin reviews it`,
    () => `提交人不能审核自己的提交：须由另一名管理员审核`,
  ),
  'rulePack.versionExists': e(
    (p: { packId: string; version: string; status: string }) =>
      `${p.packId}@${p.version} exists (${p.status}): bump the version`,
    (p) => `该规则包版本 ${p.version} 已存在（${st(p.status)}）：请提高版本号`,
  ),
  'scorecard.bureauNotFound': e(
    (p: { bureauCode: string }) => `no bureau ${p.bureauCode}`,
    () => `找不到该执法机构`,
  ),
  'scorecard.notDistrict': e(
    (p: { bureauCode: string }) => `${p.bureauCode} is not a district: the scorecard assesses districts`,
    () => `考核对象必须是区局`,
  ),
  'scorecard.quarterInvalid': e(
    (p: { period: string }) => `must be a quarter YYYY-Qn, got "${p.period}"`,
    () => `期间应为季度，如 2027-Q1`,
  ),
  'signOff.beforeSources': e(
    () => `a sign-off cannot predate its randomness sources`,
    () => `签署时间不能早于随机源产生的时间`,
  ),
  'signOff.clockSkew': e(
    (p: { now: string }) => `must be within 5 minutes of the server clock (${p.now})`,
    (p) => `签署时间须与服务器时间相差不超过 5 分钟（服务器时间 ${p.now}）`,
  ),
  'signOff.onlyYourself': e(
    () => `you can sign only as yourself`,
    () => `只能以本人身份签署`,
  ),
  'signOff.keyEnded': e(
    (p: { status: string }) =>
      `your key was ${p.status} while you were signing; sign again with your current key`,
    (p) => `您的签名密钥在签署过程中已${st(p.status)}，请使用当前有效的密钥重新签署`,
  ),
  'signOff.signerRefused': e(
    (p: { detail: string }) => `${p.detail}`,
    () => `签署人不符合要求：须为本区已登记有效签名密钥、具有相应职责的工作人员`,
  ),
  'source.alreadyExists': e(
    (p: { source: string; at: string }) =>
      `${p.source} exists already (${p.at}): name a source whose value does not exist yet`,
    (p) => `该随机源的值已于 ${p.at} 产生：请选择值尚未产生的随机源`,
  ),
  'source.badSignature': e(
    (p: { source: string; reason: string }) =>
      `not the BLS signature of ${p.source}: ${p.reason} (a drand value is the round's signature, checked against the chain's public key)`,
    () => `所填的值不是该 drand 轮次的有效签名（drand 的值即该轮的 BLS 签名，须能用链公钥验证）`,
  ),
  'source.duplicate': e(
    (p: { source: string }) => `${p.source} is named twice`,
    () => `同一随机源重复填写`,
  ),
  'source.invalid': e(
    (p: { detail: string }) => `${p.detail}`,
    () => `随机源填写有误`,
  ),
  'source.lotteryNotFuture': e(
    (p: { source: string; today: string }) =>
      `${p.source} is not after today (${p.today}, UTC+8): name a lottery draw of a later date, whose numbers do not exist yet`,
    (p) => `所选彩票的开奖日期不晚于今天（${p.today}）：请选择以后开奖、号码尚未产生的一期`,
  ),
  'source.needsDrand': e(
    () =>
      `name at least one drand round: lottery draws may be added but never suffice alone (sr-draw/v2 §9.3)`,
    () => `至少需要一个 drand 轮次：彩票开奖只能作为补充`,
  ),
  'source.notLaterThanPrevious': e(
    (p: { source: string; at: string; attempt: number; latest: string }) =>
      `${p.source} (${p.at}) is not later than every source of voided attempt ${p.attempt} (latest ${p.latest}): a new attempt must name later sources`,
    (p) =>
      `该随机源（${p.at}）不晚于作废的第 ${p.attempt} 次抽取的全部随机源（最晚 ${p.latest}）：新的抽取必须使用更晚的随机源`,
  ),
  'source.notLaterThanVoided': e(
    (p: { source: string; at: string; attempt: number; latest: string }) =>
      `${p.source} (${p.at}) is not later than every source of voided attempt ${p.attempt} (latest ${p.latest}): the next attempt must name later sources`,
    (p) =>
      `该随机源（${p.at}）不晚于作废的第 ${p.attempt} 次抽取的全部随机源（最晚 ${p.latest}）：下一次抽取必须使用更晚的随机源`,
  ),
  'source.reusedAfterVoid': e(
    (p: { source: string; attempt: number }) =>
      `${p.source} was already named by voided attempt ${p.attempt}: the next attempt must name new, later sources (the same values would let a void re-roll a known result)`,
    (p) => `该随机源已被作废的第 ${p.attempt} 次抽取使用：下一次抽取必须使用新的、更晚的随机源`,
  ),
  'source.reusedByPrevious': e(
    (p: { source: string; attempt: number }) =>
      `${p.source} was already named by voided attempt ${p.attempt}: a new attempt must name new, later sources (the same values would let a void re-roll a known result)`,
    (p) => `该随机源已被作废的第 ${p.attempt} 次抽取使用：新的抽取必须使用新的、更晚的随机源`,
  ),
  'source.tooLate': e(
    (p: { source: string; at: string }) =>
      `${p.source} is at ${p.at}, more than 7 days after the commitment: choose an earlier one`,
    (p) => `该随机源的时间（${p.at}）比承诺时间晚 7 天以上：请选择更早的随机源`,
  ),
  'source.tooSoon': e(
    (p: { source: string; at: string; margin: number; committedAt: string }) =>
      `${p.source} is at ${p.at}, less than ${p.margin} s after the commitment (${p.committedAt}): choose a later one`,
    (p) => `该随机源的时间（${p.at}）距承诺时间（${p.committedAt}）不足 ${p.margin} 秒：请选择更晚的随机源`,
  ),
  'source.unpinnedChain': e(
    () => `a production deployment accepts only pinned drand chains (quicknet), not a demo beacon`,
    () => `正式环境只接受固定的 drand 链（quicknet），不接受演示信标`,
  ),
  'source.valueTooEarly': e(
    (p: { source: string; at: string }) =>
      `${p.source} is at ${p.at}: its value cannot exist yet, so this one was not drawn by the source`,
    (p) => `该随机源的时间为 ${p.at}，此时其值尚不可能产生：所填的值不是该随机源产生的`,
  ),
  'supervision.bureau': e(
    () => `must be the finding’s own bureau or the city`,
    () => `督办机构必须是问题所属的区局或市局`,
  ),
  'supervision.changedMeanwhile': e(
    () => `the supervision changed meanwhile; reload`,
    () => `该挂牌督办已被他人修改，请刷新后重试`,
  ),
  'supervision.notListed': e(
    (p: { status: string }) => `is "${p.status}": evidence is taken while it is listed`,
    (p) => `该挂牌督办当前为“${st(p.status)}”：只在挂牌期间接收整改材料`,
  ),
  'supervision.notMajorHazard': e(
    (p: { kind: string }) => `is a ${p.kind}: only a major hazard is listed for supervision`,
    () => `只有重大事故隐患才能挂牌督办`,
  ),
  'supervision.notPassed': e(
    (p: { status: string }) => `is "${p.status}": 销号 needs a passed review first`,
    (p) => `该挂牌督办当前为“${st(p.status)}”：销号须先通过审核`,
  ),
  'supervision.notSubmitted': e(
    (p: { status: string }) => `is "${p.status}": only submitted evidence is reviewed`,
    (p) => `该挂牌督办当前为“${st(p.status)}”：只审核已提交的整改材料`,
  ),
  'supervision.selfClose': e(
    () => `the person who proposed 销号 cannot approve it: a second person must`,
    () => `提出销号的人不能批准销号：须由另一人批准`,
  ),
  'task.covertSealed': e(
    () => `a covert inspection is sealed to all but its team until it starts (R10)`,
    () => `暗查暗访在开始前只对检查组成员可见（R10）`,
  ),
  'task.notOwnTeam': e(
    () => `inspectors see only the tasks of their own team`,
    () => `执法人员只能查看本人所在检查组的任务`,
  ),
  'task.onlyTeamStarts': e(
    () => `only a member of the team starts the inspection`,
    () => `只有检查组成员可以开始检查`,
  ),
  'task.wrongStatus': e(
    (p: { status: string }) => `the task is ${p.status}`,
    (p) => `该任务当前为“${st(p.status)}”`,
  ),
  'transfer.checklistNeedsDraft': e(
    () => `checklist items are imported into a draft version`,
    () => `检查事项只能导入草稿版本`,
  ),
  'transfer.versionFrozen': e(
    (p: { version: number | string; status: string }) =>
      `version ${p.version} is ${p.status}: published versions never change`,
    (p) => `检查事项清单第 ${p.version} 版为“${st(p.status)}”：已发布的版本不能修改`,
  ),
  'transfer.versionRequired': e(
    () => `name the checklist version to export`,
    () => `请指定要导出的检查事项清单版本`,
  ),
  'transparency.checkpointNotFound': e(
    (p: { size: number }) => `no checkpoint of size ${p.size}`,
    (p) => `找不到大小为 ${p.size} 的检查点`,
  ),
  'user.cannotGrantInBureau': e(
    (p: { bureauCode: string }) => `you cannot grant roles in bureau ${p.bureauCode}`,
    () => `你不能在该执法机构授予角色`,
  ),
  'user.cityAdminAtCity': e(
    () => `city-admin is held at the city bureau 120000`,
    () => `市局管理员角色只能授予在市局`,
  ),
  'user.districtAdminAtDistrict': e(
    () => `district-admin is held at a district bureau`,
    () => `区局管理员角色只能授予在区局`,
  ),
  'user.inspectorHasAccount': e(
    (p: { inspectorId: string }) => `inspector ${p.inspectorId} already has an account`,
    () => `该执法人员已有账户`,
  ),
  'user.inspectorNotOnRoster': e(
    (p: { inspectorId: string; bureauCode: string }) =>
      `no inspector ${p.inspectorId} on the roster of bureau ${p.bureauCode}`,
    () => `所选执法人员不在本机构的执法人员名册中`,
  ),
  'user.inspectorOnCovertTeam': e(
    () => `the inspector is on the team of a sealed covert inspection; link the account once it has started`,
    () => `该执法人员在一项保密的暗查暗访检查组中：请在检查开始后再关联账户`,
  ),
  'user.notYourAccount': e(
    (p: { role: string; bureauCode: string }) =>
      `the account holds ${p.role} in bureau ${p.bureauCode}, which you do not administer`,
    (p) => `该账户在你不管理的执法机构中担任“${role(p.role)}”`,
  ),
  'user.ownStatus': e(
    () => `you cannot change your own status`,
    () => `不能修改自己的账户状态`,
  ),
  'user.ownRoles': e(
    () => `you cannot change your own roles; another administrator must`,
    () => `不能修改自己的角色，请由另一名管理员办理`,
  ),
  'user.ownPasswordReset': e(
    () => `change your own password with auth.changePassword`,
    () => `不能重置自己的密码，请在“修改密码”中输入原密码后修改`,
  ),
  'void.notRequested': e(
    (p: { attempt: number; status: string }) =>
      `draw attempt ${p.attempt} is ${p.status}: no void was requested`,
    (p) => `第 ${p.attempt} 次抽取当前为“${st(p.status)}”：没有待批准的作废申请`,
  ),
  'void.sameSigner': e(
    () => `a void must be signed by an official other than the one who requested it`,
    () => `作废须由申请人以外的另一名工作人员签署`,
  ),
  'void.secondLateVoid': e(
    (p: { attempt: number }) =>
      `attempt ${p.attempt} of this plan was already voided after its randomness was known: a second such void is refused (sr-draw/v2 §9.4), so a known result cannot be re-rolled`,
    (p) =>
      `本计划第 ${p.attempt} 次抽取已在随机源产生后作废：不允许再次如此作废（sr-draw/v2 §9.4），以免重新抽取已知的结果`,
  ),
  'void.tooLateForReason': e(
    () => `the sources of this attempt exist already: it cannot be voided as late (sr-draw/v2 §9.8)`,
    () => `本次抽取的随机源已经产生：不能以此理由作废（sr-draw/v2 §9.8）`,
  ),
  'void.valuesNotEntered': e(
    (p: { attempt: number; missing: string }) =>
      `the values of attempt ${p.attempt}'s sources (${p.missing}) exist by now but are not entered: enter them first — a void never hides what was known`,
    (p) => `第 ${p.attempt} 次抽取的随机源的值已经产生但尚未录入：请先录入——作废不能隐瞒已知的结果`,
  ),
  'witness.badSignature': e(
    (p: { signedText: string }) =>
      `is not a valid cosignature/v1 signature of this checkpoint (message ${p.signedText}…)`,
    () => `不是该检查点的有效联署签名`,
  ),
  'witness.checkpointNotFound': e(
    (p: { size: number; checkpointTime: string }) => `no checkpoint of size ${p.size} at ${p.checkpointTime}`,
    (p) => `找不到大小为 ${p.size}、时间为 ${p.checkpointTime} 的检查点`,
  ),
  'witness.checkpointTimeInvalid': e(
    () => `is not a time`,
    () => `检查点时间不是有效的时间`,
  ),
  'witness.inconsistent': e(
    (p: { size: number }) =>
      `the log is not consistent with the checkpoint of size ${p.size} the witness saw`,
    (p) => `透明日志与见证方所见的大小为 ${p.size} 的检查点不一致`,
  ),
  'witness.isBureauKey': e(
    () => `is a bureau signing key; a witness must be independent of the bureau`,
    () => `这是执法机构的签名密钥；见证方必须独立于执法机构`,
  ),
  'witness.isLogKey': e(
    () => `is the log's own key; a witness must be independent of the bureau`,
    () => `这是透明日志自己的密钥；见证方必须独立于执法机构`,
  ),
  'witness.isOfficialKey': e(
    (p: { bureauCode: string }) =>
      `is an official's signing key of bureau ${p.bureauCode}; a witness must be independent of the bureau`,
    () => `这是执法机构工作人员的签名密钥；见证方必须独立于执法机构`,
  ),
  'witness.keyFormat': e(
    () => `must be a base64 raw 32-byte Ed25519 public key`,
    () => `见证方公钥格式不对：应为 Base64 编码的 32 字节 Ed25519 公钥`,
  ),
  'witness.keyTaken': e(
    (p: { name: string }) => `is already the key of witness ${p.name}`,
    (p) => `该公钥已登记为见证方“${p.name}”的密钥`,
  ),
  'witness.keyUnknown': e(
    () => `is not a registered witness key`,
    () => `该公钥不是已登记的见证方密钥`,
  ),
  'witness.nameMismatch': e(
    (p: { name: string }) => `the key is registered as ${p.name}`,
    (p) => `该公钥登记的见证方是“${p.name}”`,
  ),
  'witness.notFound': e(
    (p: { name: string }) => `no active witness ${p.name}`,
    (p) => `没有名为“${p.name}”的有效见证方`,
  ),
  'witness.previousTooLarge': e(
    (p: { size: number }) => `exceeds the checkpoint size ${p.size}`,
    (p) => `之前的检查点大于当前检查点（${p.size}）`,
  ),
  'witness.timeFormat': e(
    () => `must be whole seconds UTC (…Z)`,
    () => `见证时间应精确到秒并使用协调世界时（以 Z 结尾）`,
  ),
  'witness.timeInvalid': e(
    (p: { time: string }) => `${p.time} is not a real time`,
    (p) => `见证时间 ${p.time} 不是有效的时间`,
  ),
  'witness.timeSkewCheckpoint': e(
    (p: { time: string; skew: number; checkpointTime: string }) =>
      `the witness time ${p.time} is more than ${p.skew} s from the checkpoint time ${p.checkpointTime}`,
    (p) => `见证时间 ${p.time} 与检查点时间 ${p.checkpointTime} 相差超过 ${p.skew} 秒`,
  ),
  'witness.timeSkewLog': e(
    (p: { time: string; skew: number }) =>
      `the witness time ${p.time} is more than ${p.skew} s from the log's clock`,
    (p) => `见证时间 ${p.time} 与日志服务器的时钟相差超过 ${p.skew} 秒`,
  ),
  // ---- written by hand: shared refusals (procedure ladder, input, database, files) ----
  notFound: e(
    (p: { entity: EntityKind; id: string }) => `no ${p.entity} ${p.id}`,
    (p) => `找不到该${ENTITY_ZH[p.entity] ?? '记录'}`,
  ),
  'input.invalid': e(
    (p: { issues: readonly InputIssue[] }) => p.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    (p) => p.issues.map((i) => `${fieldZh(i.path)}：${inputProblemZh(i)}`).join('；'),
  ),
  'input.nul': e(
    () => `must not contain a NUL character`,
    () => `不能含有空字符（NUL）`,
  ),
  'input.keyNul': e(
    () => `a key contains a NUL character`,
    () => `字段名含有空字符（NUL）`,
  ),
  'input.tooDeep': e(
    (p: { max: number }) => `nested deeper than ${p.max} levels`,
    (p) => `嵌套超过 ${p.max} 层`,
  ),
  'auth.signInFirst': e(
    () => `sign in first`,
    () => `请先登录`,
  ),
  'auth.wrongPassword': e(
    () => `wrong username or password`,
    () => `用户名或密码错误`,
  ),
  'auth.throttled': e(
    (p: { retryAfterSeconds: number }) => `too many failed attempts; try again in ${p.retryAfterSeconds} s`,
    (p) => `失败次数过多，请 ${p.retryAfterSeconds} 秒后再试`,
  ),
  'auth.bearerRequired': e(
    () => `a valid bearer token is required`,
    () => `需要有效的访问令牌`,
  ),
  'auth.tokenScope': e(
    (p: { scope: string }) => `the token lacks scope ${p.scope}`,
    () => `该访问令牌没有此项权限`,
  ),
  'access.bureau': e(
    (p: { roles: readonly string[]; bureauCode: string }) =>
      `${p.roles.join(' or ')} of bureau ${p.bureauCode} required`,
    (p) => `你在该执法机构没有所需的角色（${roleList(p.roles)}）`,
  ),
  'access.role': e(
    (p: { roles: readonly string[] }) => `one of ${p.roles.join(', ')} required`,
    (p) => `需要以下角色之一：${roleList(p.roles)}`,
  ),
  'password.tooShort': e(
    (p: { min: number }) => `must be at least ${p.min} characters`,
    (p) => `密码至少需要 ${p.min} 个字符`,
  ),
  'password.common': e(
    () => `is on a list of common or breached passwords; choose another`,
    () => `该密码属于常见或已泄露的密码，请换一个`,
  ),
  'password.containsName': e(
    () => `must not contain the username or display name`,
    () => `密码不能包含用户名或姓名`,
  ),
  'password.weak': e(
    (p: { score: number; min: number; warning: string }) =>
      `too easy to guess (strength ${p.score} of 4, need ${p.min})${p.warning ? `: ${p.warning}` : ''}`,
    (p) => `密码太容易被猜到（强度 ${p.score}/4，至少需要 ${p.min}）`,
  ),
  'user.usernameFormat': e(
    () => `3–64 characters: letters, digits, dot, dash, underscore`,
    () => `用户名应为 3–64 位字母、数字、点、连字符或下划线`,
  ),
  'user.displayNameRequired': e(
    () => `is required`,
    () => `姓名必须填写`,
  ),
  'user.unknownRole': e(
    (p: { role: string }) => `unknown role ${p.role}`,
    () => `不存在该角色`,
  ),
  'user.unknownBureau': e(
    (p: { bureauCodes: readonly string[] }) => `unknown bureau ${p.bureauCodes.join(', ')}`,
    () => `不存在该执法机构`,
  ),
  'user.usernameTaken': e(
    (p: { username: string }) => `${p.username} is already taken`,
    (p) => `用户名“${p.username}”已被使用`,
  ),
  'db.duplicate': e(
    (p: { detail: string }) => `already exists (${p.detail})`,
    () => `已存在相同的记录`,
  ),
  'db.missingReference': e(
    (p: { detail: string }) => `refers to something that does not exist (${p.detail})`,
    () => `引用的记录不存在`,
  ),
  'db.invalidValue': e(
    (p: { detail: string }) => p.detail,
    () => `取值不符合要求`,
  ),
  'db.concurrentChange': e(
    () => `another request changed the same data; retry`,
    () => `数据已被其他操作同时修改，请重试`,
  ),
  'file.largerThan': e(
    (p: { bytes: number }) => `larger than ${p.bytes} bytes`,
    (p) => `文件超过 ${Math.floor(p.bytes / 1024 / 1024)} MB`,
  ),
  'file.tooManyParts': e(
    (p: { max: number }) => `more than ${p.max} parts in the workbook`,
    (p) => `工作簿的组成部分超过 ${p.max} 个`,
  ),
  'file.unpacksTooLarge': e(
    (p: { bytes: number }) => `unpacks to more than ${p.bytes} bytes`,
    (p) => `文件解压后超过 ${Math.floor(p.bytes / 1024 / 1024)} MB`,
  ),
  'file.sharedStringsTooLarge': e(
    (p: { bytes: number }) => `its shared strings unpack to more than ${p.bytes} bytes`,
    (p) => `文件中的文字解压后超过 ${Math.floor(p.bytes / 1024 / 1024)} MB`,
  ),
  'file.tooManySharedStrings': e(
    (p: { max: number }) => `more than ${p.max} shared strings`,
    (p) => `文件中的文字超过 ${p.max} 条`,
  ),
  'file.tooManyRows': e(
    (p: { max: number }) => `more than ${p.max} rows`,
    (p) => `文件超过 ${p.max} 行`,
  ),
  'file.tooManyCells': e(
    (p: { max: number }) => `more than ${p.max} cells (each row counted up to its last cell with text)`,
    (p) => `文件超过 ${p.max} 个单元格（每行计到最后一个有内容的单元格）`,
  ),
  'file.unreadable': e(
    (p: { format: string; detail: string }) => `cannot be read as ${p.format} (${p.detail})`,
    (p) => `文件无法按 ${p.format === 'csv' ? 'CSV' : 'Excel'} 格式读取`,
  ),
  'roster.changedSincePreview': e(
    () => `the roster or the file changed since the preview; preview the file again`,
    () => `预览之后名册或文件已有变化，请重新预览该文件`,
  ),
  'evidence.nameRequired': e(
    () => `give the file name (1–255 characters) as ?name=`,
    () => `请提供文件名（1–255 个字符）`,
  ),
  'evidence.nameControlChars': e(
    () => `must not contain control characters (NUL, line breaks…)`,
    () => `文件名不能含有控制字符（如换行）`,
  ),
  'evidence.empty': e(
    () => `is empty; choose the photo or document to upload`,
    () => `文件是空的：请选择要上传的照片或文件`,
  ),
  'evidence.quota': e(
    (p: { bytes: number }) =>
      `your evidence uploads of the last 24 hours reach the quota of ${p.bytes} bytes`,
    (p) => `你在 24 小时内上传的证据文件已达到限额（${Math.floor(p.bytes / 1024 / 1024)} MB）`,
  ),
  'evidence.path': e(
    () => `use /evidence/<resultId>/<sha256>`,
    () => `证据文件地址有误`,
  ),
  'evidence.missingFromStore': e(
    () => `the file is missing from the evidence store`,
    () => `证据库中缺少该文件，请联系管理员`,
  ),
  'http.method': e(
    (p: { method: string }) => `use ${p.method}`,
    () => `请求方式不对`,
  ),
  'http.crossSite': e(
    (p: { detail: string }) => p.detail,
    () => `请求来自其他网站，已被拒绝`,
  ),
  'upload.kind': e(
    (p: { allowed: readonly string[] }) => `one of ${p.allowed.join(', ')}`,
    () => `不支持该类数据的导入`,
  ),
  'upload.format': e(
    (p: { allowed: readonly string[] }) => `one of ${p.allowed.join(', ')}`,
    () => `文件格式应为 CSV 或 Excel`,
  ),
  'upload.adminRequired': e(
    () => `city-admin or district-admin required`,
    () => `需要市局或区局管理员角色`,
  ),
  'blacklist.alreadyPublished': e(
    () => `is already published`,
    () => `该决定已经公示`,
  ),
  'blacklist.notDecided': e(
    (p: { status: string }) => `is "${p.status}": only a decision is published`,
    (p) => `该程序当前为“${st(p.status)}”：只有已作出的决定才能公示`,
  ),
  'draw.beaconNoValueYet': e(
    (p: { missing: string }) =>
      `the beacon has no value yet for ${p.missing}: wait for the round, or enter the published values`,
    () => `随机信标尚未产生该轮的值：请等待该轮产生，或录入已公布的值`,
  ),
  'draw.noBeaconForValues': e(
    (p: { missing: string }) => `no beacon is configured to fetch ${p.missing}: enter the values`,
    () => `未配置可获取随机源的信标：请录入随机源的值`,
  ),
  'rulePack.noPublished': e(
    (p: { packId: string }) => `no published rule pack ${p.packId}`,
    () => `找不到该已发布的规则包`,
  ),
  'rulePack.noneApplies': e(
    () => `no published rule pack applies`,
    () => `没有适用的已发布规则包`,
  ),
  'rulePack.casesFail': e(
    (p: {
      packId: string;
      version: string;
      failed: number;
      total: number;
      uncovered: readonly string[];
      failing: readonly string[];
    }) =>
      `${p.packId}@${p.version}: ${p.failed} of ${p.total} cases fail${
        p.uncovered.length ? `, rules without a passing case: ${p.uncovered.join(', ')}` : ''
      }${p.failing.length ? ` — ${p.failing.join('; ')}` : ''}`,
    (p) =>
      `该规则包版本（${p.version}）不能发布：${p.total} 个用例中有 ${p.failed} 个未通过${
        p.uncovered.length ? `，${p.uncovered.length} 条规则没有通过的用例` : ''
      }`,
  ),
  'witness.demoInProduction': e(
    (p: { name: string }) =>
      `${p.name} is a demo witness (its key derives from the server's secret): a production server accepts co-signatures from independent witnesses only`,
    (p) => `“${p.name}”是演示见证方（其密钥由本服务器的密钥派生）：正式环境只接受独立见证方的联署`,
  ),
  'witness.demoNameReserved': e(
    (p: { name: string }) => `${p.name} is reserved for the offline demo's witnesses`,
    (p) => `名称“${p.name}”留给离线演示的见证方使用，正式环境不能登记`,
  ),
  'operation.cancelled': e(
    () => `cancelled before anything was written; nothing changed`,
    () => `已在写入前取消，未作任何更改`,
  ),
  'import.cancelled': e(
    () => `the import was cancelled before it was written; nothing was imported`,
    () => `导入已在写入前取消，未写入任何数据`,
  ),
  'import.addedMeanwhile': e(
    () => `a row of the file was added to the roster while it was being imported; nothing was imported`,
    () => `导入期间名录中已新增了文件中的某个单位或人员，本次导入未写入任何数据，请重新导入`,
  ),
  'witness.nameTaken': e(
    (p: { name: string; retired: boolean }) =>
      `a witness named ${p.name} is already registered${p.retired ? ' (retired)' : ''}; key names are never reused`,
    (p) => `名为“${p.name}”的见证方已经登记${p.retired ? '（已停用）' : ''}；名称不能重复使用`,
  ),
  internal: e(
    (p: { ref: string }) => `internal error (reference ${p.ref}); the server log has the details`,
    (p) => `服务器内部错误，请联系管理员（参考编号 ${p.ref}）`,
  ),
} satisfies Record<string, ApiErrorTemplates<never>>;

/** A stable error code. */
export type ApiErrorCode = keyof typeof API_ERRORS;
/** The parameters of error code `C`. */
export type ApiErrorParams<C extends ApiErrorCode> = Parameters<
  (typeof API_ERRORS)[C]['en']
>[0] extends undefined
  ? NoParams
  : Parameters<(typeof API_ERRORS)[C]['en']>[0];
/** The parameter argument of code `C`: none when it takes none. */
export type ApiErrorParamsArg<C extends ApiErrorCode> = keyof ApiErrorParams<C> extends never
  ? []
  : [ApiErrorParams<C>];

/** Every error code, for completeness tests. */
export const API_ERROR_CODES = Object.keys(API_ERRORS) as ApiErrorCode[];

/** Whether `code` is a catalogued error code. */
export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(API_ERRORS, code);
}

/** What an API error carries besides its message (`data.reason`). */
export interface ApiErrorReason {
  readonly code: string;
  /** The input field at fault (dotted path), or a pseudo-field such as `session`. */
  readonly field: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The text of a code in `lang`; null for a code this catalogue does not know (a newer server). */
export function apiErrorText(
  code: string,
  params: Readonly<Record<string, unknown>>,
  lang: ApiErrorLang,
): string | null {
  if (!isApiErrorCode(code)) return null;
  try {
    return (API_ERRORS[code][lang] as (p: unknown) => string)(params);
  } catch {
    return null; // parameters of another shape (a newer server): the caller falls back
  }
}

/** Chinese fallbacks by tRPC error code, for refusals without a catalogued reason. */
const GENERIC_ZH: Readonly<Record<string, string>> = {
  BAD_REQUEST: '请求内容有误，操作未完成',
  UNAUTHORIZED: '请先登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '找不到要操作的内容',
  CONFLICT: '数据已有变化，操作未完成，请刷新后重试',
  PRECONDITION_FAILED: '前置条件不满足，操作未完成',
  PAYLOAD_TOO_LARGE: '内容过大，操作未完成',
  TOO_MANY_REQUESTS: '请求过于频繁，请稍后再试',
  INTERNAL_SERVER_ERROR: '服务器内部错误，请联系管理员',
  TIMEOUT: '请求超时，请稍后再试',
};

/**
 * A refusal in `lang`: the catalogued text of its reason, else a generic sentence for its tRPC
 * code with the reference (the code) appended; Chinese never falls back to the English message.
 */
export function describeApiError(
  e: { reason?: ApiErrorReason | null; trpcCode?: string | null; message?: string | null },
  lang: ApiErrorLang,
): string {
  // English: the server's own sentence (`field: text`), else the catalogue's.
  if (lang === 'en' && e.message) return e.message;
  if (e.reason) {
    const text = apiErrorText(e.reason.code, e.reason.params, lang);
    if (text !== null)
      return lang === 'en' && e.reason.code !== 'input.invalid' ? `${e.reason.field}: ${text}` : text;
  }
  if (lang === 'en') return e.trpcCode || 'request failed';
  const ref = e.reason?.code ?? e.trpcCode;
  const generic = GENERIC_ZH[e.trpcCode ?? ''] ?? '操作未完成';
  return ref ? `${generic}（参考：${ref}）` : generic;
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * Any error an app caught, in `lang`: a server refusal (a tRPC client error, or an upload route's
 * error shaped like one: `data: { code, reason }`) by its catalogued reason; otherwise the network
 * or a check in the browser. A Chinese page never shows the server's English message.
 */
export function describeRefusal(err: unknown, lang: ApiErrorLang): string {
  if (!err) return '';
  const message = err instanceof Error ? err.message : String(err);
  const data = (err as { data?: { code?: string; reason?: ApiErrorReason | null } | null } | null)?.data;
  if (data?.code) return describeApiError({ reason: data.reason, trpcCode: data.code, message }, lang);
  if (lang === 'en') return message;
  // No server answer: browser-side checks speak Chinese already; the rest is the network.
  if (CJK.test(message) && !/[A-Za-z]{3,} [A-Za-z]{3,}/.test(message)) return message;
  return (err as { name?: string }).name === 'TRPCClientError' || err instanceof TypeError
    ? '无法连接服务器，请检查网络后重试'
    : '操作未完成，请重试';
}
