/**
 * The pack loader's messages in the admin's languages, by code (`@spotcheck/rules` messages.ts):
 * a Chinese page names facts, values, operators and rules by their Chinese labels and shows no
 * English sentence. English uses the loader's own text. A new loader code is a type error here
 * until it gets its Chinese text.
 */
import type {
  Basis,
  FormatCode,
  HintCode,
  HintParamsOf,
  IssueCode,
  IssueParamsOf,
  RuleRef,
} from '@spotcheck/rules';

/** An issue as the API sends it. */
export interface CodedIssue {
  code: string;
  params: Readonly<Record<string, unknown>>;
  message: string;
  hint?: { code: string; params: Readonly<Record<string, unknown>> } | null;
  suggestion?: string | null;
}

/** How zh texts name the things messages mention. */
export interface Vocabulary {
  fact(name: unknown): string;
  value(fact: string | null, value: unknown): string;
  operator(name: unknown): string;
}

/** Names from the registered facts and operators (Chinese labels). */
export function vocabularyOf(catalog: {
  readonly facts: readonly {
    readonly name: string;
    readonly label: { readonly zh: string };
    readonly valueLabels?: Readonly<Record<string, { readonly zh: string }>>;
  }[];
  readonly operators: readonly { readonly name: string; readonly label: { readonly zh: string } }[];
}): Vocabulary {
  const facts = new Map(catalog.facts.map((f) => [f.name, f]));
  const ops = new Map(catalog.operators.map((o) => [o.name, o]));
  const value = (fact: string | null, v: unknown): string => {
    if (Array.isArray(v)) return `［${v.map((x) => value(fact, x)).join('、')}］`;
    if (v === true) return '是';
    if (v === false) return '否';
    if (v === null || v === undefined) return '空';
    const label = fact ? facts.get(fact)?.valueLabels?.[String(v)]?.zh : undefined;
    return `“${label ?? String(v)}”`;
  };
  return {
    fact: (name) => {
      const f = typeof name === 'string' ? facts.get(name) : undefined;
      return f ? `“${f.label.zh}”` : '（未登记的事实）';
    },
    value,
    operator: (name) => {
      const o = typeof name === 'string' ? ops.get(name) : undefined;
      return o ? `“${o.label.zh}”` : '（未登记的运算）';
    },
  };
}

const KIND_ZH: Record<string, string> = { general: '一般检查', key: '重点检查', covert: '暗查暗访' };
const FIELD_ZH: Record<string, string> = {
  minPerYear: '每年至少检查次数',
  maxPerYear: '每年至多检查次数',
  ratio: '抽查比例',
};
const OF_ZH = { number: '', list: '项', text: '个字符' } as const;
/**
 * A city rule in words: the Chinese part of its description (rule files write "中文 — English"),
 * else its priority; never its file name.
 */
const ruleZh = (r: RuleRef) => {
  const zh = r.description?.split(/\s+—\s+/)[0]?.trim();
  return zh && /[\u4e00-\u9fff]/.test(zh) && !/[A-Za-z]{2,}/.test(zh)
    ? `市级规则“${zh}”`
    : `优先级 ${r.priority ?? '—'} 的市级规则`;
};
const rulesZh = (rs: readonly RuleRef[]) => rs.map(ruleZh).join('、');
const basisZh = (b: Basis) =>
  b.kind === 'rules'
    ? `依据${rulesZh(b.rules)}`
    : b.kind === 'cityPack'
      ? '依据全市规则包'
      : '全市规则包给出的最低比例';
const ratioZh = (r: unknown) => {
  const s = String(r);
  const frac = /^(\d+)\/(\d+)$/.exec(s);
  return frac ? `${Math.round((Number(frac[1]) / Number(frac[2])) * 10_000) / 100}%` : s;
};

export const FORMAT_ZH: Record<FormatCode, string> = {
  ratio: '应为精确比例，如“5%”“2.5%”',
  stratum: '应为由字母、数字及 . _ : - 组成的标识（最多 64 位）',
  date: '应为日期（年-月-日）',
  eventEmpty: '规则结果至少要设置一项',
  mandatoryReason: '必须检查的规则要写明必查理由',
  ruleName: '规则名称只能用小写字母、数字和连字符（最多 64 位）',
  packId: '规则包标识格式应为“城市/区”',
  version: '版本号应为“主版本.次版本.修订号”，如 1.0.0',
  districtCode: '应为 6 位行政区划代码，如 120116',
  streetCode: '应为 9 位街道代码或留空',
  uscc: '不是有效的统一社会信用代码',
  pattern: '格式不符合要求',
};

type Zh<C extends IssueCode> = (p: IssueParamsOf<C>, v: Vocabulary) => string;
type HintZh<C extends HintCode> = (p: HintParamsOf<C>, v: Vocabulary) => string;

/** Chinese text of every loader message code. */
export const ISSUE_ZH: { [C in IssueCode]: Zh<C> } = {
  'json.invalid': () => '文件格式有误，无法解析',
  'schema.unknownField': () => '不认识这个字段',
  'schema.notOneOf': () => '该值不在可选范围内',
  'schema.type': (p) =>
    `类型不对，应为${{ string: '文本', number: '数字', boolean: '是/否', array: '列表', object: '对象', int: '整数' }[p.expected] ?? '其他类型'}`,
  'schema.missing': () => '缺少必填项',
  'schema.tooSmall': (p) =>
    p.of === 'number' ? `不能小于 ${p.minimum}` : `至少需要 ${p.minimum} ${OF_ZH[p.of]}`,
  'schema.tooBig': (p) => (p.of === 'number' ? `不能大于 ${p.maximum}` : `最多 ${p.maximum} ${OF_ZH[p.of]}`),
  'schema.notInteger': () => '应为整数',
  'schema.format': (p) => FORMAT_ZH[p.format],
  'schema.invalid': () => '内容不符合要求',
  'pack.manifestMissing': () => '缺少规则包清单文件',
  'pack.fileIgnored': () => '已忽略：规则包只包含清单、规则文件和用例文件',
  'condition.notObject': () => '条件写法有误：应为条件组（全部/任一/不满足）或一条“事实—运算—值”条件',
  'condition.sharedReference': () => '规则包不支持引用共享条件',
  'condition.emptyList': () => '条件组不能为空，请至少添加一条条件',
  'condition.noKind': () => '条件写法有误：应为条件组或一条“事实—运算—值”条件',
  'condition.factNotName': () => '请选择一个事实',
  'condition.unknownFact': () => '未登记的事实，请从列表中选择',
  'condition.factNotListed': (p, v) => `事实${v.fact(p.fact)}未列入规则包清单的事实列表`,
  'condition.unknownOperator': () => '未登记的运算',
  'condition.noValue': () => '条件缺少比较值',
  'condition.badOperatorValue': (p, v) => `运算${v.operator(p.operator)}的值不可用`,
  'condition.neverAValue': (p, v) => `${v.value(p.fact, p.value)}不是${v.fact(p.fact)}可能取到的值`,
  'condition.needsList': (p, v) => `运算${v.operator(p.operator)}需要选择一个或多个值`,
  'manifest.factUnused': (p, v) => `清单列出了事实${v.fact(p.fact)}，但没有规则用到它`,
  'rule.nameMismatch': () => '规则名称与文件名不一致',
  'rule.topCondition': () => '最外层条件必须是条件组（全部满足、任一满足或不满足）',
  'tighten.mandatoryDropped': () => '区级规则包不能取消必须检查（必须检查按“或”合并）',
  'tighten.minBelowFloor': (p) =>
    `每年至少检查 ${p.value} 次，低于全市对这些单位的下限 ${p.floor} 次（${basisZh(p.basis)}）；区级规则只能从严`,
  'tighten.maxBelowFloor': (p) =>
    `每年至多检查 ${p.value} 次，低于全市对这些单位的下限 ${p.floor} 次（${basisZh(p.basis)}）`,
  'tighten.maxBelowSampling': (p) =>
    `每年至多检查 ${p.value} 次，低于全市对这些单位的抽查（${
      p.rules.length ? rulesZh(p.rules) : `全市默认比例 ${ratioZh(p.ratio)}`
    }每年可能抽中一次）；区级上限只能从严`,
  'tighten.weakerKind': (p) =>
    `优先级 ${p.priority} 的“${KIND_ZH[p.kind] ?? p.kind}”会降低${rulesZh(p.rules)}规定的检查方式（暗查暗访 > 重点检查 > 一般检查）；区级只能提高`,
  'tighten.stratumTakeover': (p) =>
    `优先级 ${p.priority} 的分层会把全市必须检查的单位（${rulesZh(p.rules)}）移出其必查分层`,
  'tighten.ratioBelow': (p) =>
    `抽查比例 ${ratioZh(p.ratio)} 低于全市对这些单位的 ${ratioZh(p.floor)}（${basisZh(p.basis)}）；区级规则只能从严`,
  'case.badPeriod': () => '期间写法有误：应为年度“2027”、季度“2027-Q2”或日期区间',
  'case.factMissing': (p, v) => `缺少单位情况${v.fact(p.fact)}（请在基准单位或本用例中给出）`,
  'case.noSuchRule': () => '本规则包及其上级规则包中没有这条规则',
  'pack.definedTwice': () => '同一规则包重复定义',
  'pack.bureauTaken': () => '该区已有规则包',
  'pack.rootNeedsDefaults': () => '市级规则包需要设置默认值',
  'pack.districtDefaults': () => '只有市级规则包设置默认值；区级规则包用规则从严',
  'pack.extendsUnknown': () => '所继承的规则包不存在',
  'pack.extendsDistrict': () => '所继承的是区级规则包；请继承市级规则包',
};

/** Chinese text of every suggestion code. */
export const HINT_ZH: { [C in HintCode]: HintZh<C> } = {
  didYouMean: () => '请检查拼写，或从列表中选择',
  checkJsonSyntax: () => '请检查逗号、引号和括号',
  addManifest: () => '每个规则包都需要一个清单文件',
  inlineCondition: () => '请直接写出条件',
  seeFactList: () => '请从已登记的事实中选择',
  addFactToManifest: (p, v) => `将${v.fact(p.fact)}加入清单的事实列表`,
  renameRule: () => '请使规则名称与文件名一致',
  wrapInAll: () => '请把条件放入“全部满足”条件组',
  removeMandatoryFalse: () => '请去掉“不必检查”的设置',
  useAtLeast: (p) =>
    `请至少设为 ${p.field === 'ratio' ? ratioZh(p.value) : p.value}，或不设置${FIELD_ZH[p.field] ?? '该项'}`,
  usePriorityBelow: (p) =>
    `请把优先级设为低于 ${p.priority}，${p.or === 'kind' ? '或采用不弱于全市的检查方式' : '或将本规则设为必须检查'}`,
  addDefaults: () => '请设置默认分层、比例、每年检查次数和检查方式',
  removeDefaults: () => '请删除默认值',
};

/** An issue's message (and fix) in `lang`: Chinese by code, English as the loader wrote it. */
export function issueText(issue: CodedIssue, lang: 'zh' | 'en', vocab: Vocabulary): string {
  if (lang === 'en') return `${issue.message}${issue.suggestion ? ` — ${issue.suggestion}` : ''}`;
  const zh = (ISSUE_ZH as Record<string, (p: unknown, v: Vocabulary) => string>)[issue.code];
  const main = zh ? zh(issue.params, vocab) : '规则包内容有误';
  const hintZh = issue.hint
    ? (HINT_ZH as Record<string, (p: unknown, v: Vocabulary) => string>)[issue.hint.code]
    : undefined;
  return hintZh ? `${main}——${hintZh(issue.hint!.params, vocab)}` : main;
}

/** A hint's Chinese text. */
export function hintText(
  h: { code: string; params: Readonly<Record<string, unknown>> },
  vocab: Vocabulary,
): string {
  const zh = (HINT_ZH as Record<string, (p: unknown, v: Vocabulary) => string>)[h.code];
  return zh ? zh(h.params, vocab) : '';
}

/** Chinese labels of a rule's event params (classification fields). */
export const PARAM_ZH: Record<string, string> = {
  stratum: '抽查层',
  ratio: '抽查比例',
  mandatory: '必须检查',
  reason: '必查理由',
  minPerYear: '每年至少检查次数',
  maxPerYear: '每年至多检查次数',
  weight: '抽取权重',
  specialty: '执法人员专业',
  expert: '需行业专家参加',
  inspectionKind: '检查方式',
};
const TOP_ZH: Record<string, string> = {
  conditions: '适用条件',
  name: '规则名称',
  priority: '优先级',
  meta: '说明与依据',
  event: '规则结果',
  facts: '事实列表',
  base: '基准单位',
  period: '期间',
  id: '规则包标识',
  version: '版本',
  extends: '继承的规则包',
  bureau: '所属区',
  defaults: '默认值',
  effective: '生效日期',
  author: '制定单位',
  title: '标题',
};

/** Where in a file a JSON path points, in words (a Chinese page shows no JSON path). */
export function locationZh(path: string): string {
  const cases = /^\$\.cases\[(\d+)\]/.exec(path);
  if (cases) return `用例 ${Number(cases[1]) + 1}`;
  const param = /^\$\.event\.params\.(\w+)/.exec(path);
  if (param) return `规则结果 · ${PARAM_ZH[param[1]!] ?? '其他设置'}`;
  const top = /^\$\.(\w+)/.exec(path);
  if (top) return TOP_ZH[top[1]!] ?? '文件内容';
  return '整个文件';
}
