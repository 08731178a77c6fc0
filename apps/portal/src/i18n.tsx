import { logEn, logZh } from './i18n-log';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** Chinese UI text, the default. Keys are the typed vocabulary of the portal. */
const zh = {
  'app.title': '双随机、一公开',
  'app.subtitle': '天津市安全生产监管执法公开专栏',
  'app.footer':
    '依据《关于在安全生产监管执法中推行“双随机、一公开”的实施意见》（津应急执〔2018〕1号）公开。涉及国家秘密、商业秘密和个人隐私的内容已按规定处理。',
  'lang.switch': 'English',
  'bureau.label': '发布机关',
  'bureau.city': '市局',
  'nav.home': '首页',
  'nav.checklist': '抽查事项清单',
  'nav.commitments': '抽查计划与承诺',
  'nav.draws': '抽取结果',
  'nav.verify': '离线验证',
  'nav.results': '季度检查结果',
  'nav.blacklist': '黑名单',
  'nav.howto': '如何验证',
  'kind.checklist': '抽查事项清单',
  'kind.procedure': '随机抽查制度',
  'kind.plan': '抽查计划',
  'kind.commitment': '抽取承诺',
  'kind.draw': '抽取结果',
  'kind.void': '抽取作废',
  'kind.quarterly-results': '季度检查结果',
  'kind.blacklist': '黑名单',
  'planKind.general': '一般检查',
  'planKind.key': '重点检查',
  'planKind.covert': '暗查暗访',
  'reason.mandatory': '必查',
  'reason.certainty': '确定入样',
  'reason.random': '随机抽中',
  'outcome.compliant': '未发现问题',
  'outcome.violations': '发现违法行为',
  'outcome.closed-or-absent': '停产、关闭或未找到',
  'common.loading': '加载中…',
  'common.none': '暂无公开信息',
  'common.more': '更多',
  'common.view': '查看',
  'common.download': '下载 JSON',
  'common.publishedAt': '发布时间',
  'common.title': '标题',
  'common.period': '期间',
  'common.digest': '摘要 (SHA-256)',
  'common.error': '加载失败',
  'common.back': '返回',
  'common.superseded': '已被更正',
  'common.correction': '更正版',
  'common.notFound': '页面不存在',
  'common.yes': '是',
  'common.no': '否',
  'home.title': '最新公开',
  'home.intro':
    '本专栏公开随机抽查事项清单、抽查计划的抽取承诺、经签名的抽取结果、作废记录和季度检查结果。任何人都可以在浏览器中重新计算抽取结果，核对其是否与事先公布的承诺一致。',
  'home.verifyCta': '验证一次抽取',
  'checklist.title': '随机抽查事项清单',
  'checklist.intro': '列明可以检查的主体、项目、内容和依据（R15）。清单调整时发布新版本，历史版本保留可查。',
  'checklist.version': '第 {v} 版',
  'checklist.itemCount': '事项数',
  'checklist.code': '编号',
  'checklist.subject': '检查主体',
  'checklist.item': '检查项目',
  'checklist.content': '检查内容',
  'checklist.legalBasis': '检查依据',
  'checklist.industries': '适用行业',
  'checklist.allIndustries': '全部行业',
  'checklist.history': '版本历史',
  'checklist.current': '现行',
  'checklist.changes': '相对上一版：新增 {a}，删除 {r}，修改 {c}',
  'checklist.cityLayer': '区级清单在市级清单基础上增补，两者合起来是本区的抽查事项。',
  'checklist.cityTitle': '市级清单（现行）',
  'checklist.districtTitle': '本区增补清单',
  'commitments.title': '抽查计划与抽取承诺',
  'commitments.intro':
    '抽取前，计划的抽查对象范围、分层和名额、执法人员名单以及将要使用的公开随机数来源就已冻结并公布。随机数产生之后，任何人都可以核对抽取是否按承诺进行。',
  'commitment.plan': '计划',
  'commitment.period': '期间',
  'commitment.kind': '检查类别',
  'commitment.frame': '抽查对象',
  'commitment.frameCount': '{n} 家',
  'commitment.inspectors': '执法人员',
  'commitment.inspectorCount': '{n} 名',
  'commitment.strata': '分层与名额',
  'commitment.stratum': '分层',
  'commitment.method': '方法',
  'commitment.quota': '随机名额',
  'commitment.method.srs': '简单随机',
  'commitment.method.pareto': '按权重（Pareto）',
  'commitment.team': '执法组',
  'commitment.teamValue': '每组 {n} 人{s}',
  'commitment.teamSpecialist': '，含对口专业人员',
  'commitment.noTeam': '不随机分配执法人员',
  'commitment.sources': '事先指定的随机数来源',
  'commitment.source.numbers': '开奖号码',
  'commitment.source.hex': '十六进制随机数',
  'commitment.sourceLine': '{name}（{kind}，期号 {issue}）',
  'commitment.rulePack': '规则包',
  'commitment.checklist': '检查事项清单',
  'commitment.committedAt': '承诺时间',
  'commitment.digest': '承诺摘要',
  'commitment.digestOk': '承诺文件与摘要一致',
  'commitment.sealed': '暗查暗访：执行前仅公布承诺摘要',
  'commitment.sealedNote':
    '抽取前已公布承诺摘要、随机数来源和承诺时间；检查对象名单和检查组在执行后随抽取结果一并公开，届时可核对其承诺摘要与此处一致。',
  'commitment.digestBad': '承诺文件与摘要不一致',
  'commitment.rowsOk': '公布的名单与承诺中的摘要一致',
  'commitment.rowsBad': '公布的名单与承诺中的摘要不一致',
  'commitment.download': '下载完整承诺 JSON',
  'draws.title': '抽取结果',
  'draws.intro':
    '每次抽取都经负责人签名（谁抽查、谁签字、谁负责）。点开一次抽取，浏览器会在本机重新计算结果并核对签名。',
  'draws.voids': '作废记录',
  'draws.voidsIntro': '抽取不得私下重抽：每次作废都须写明原因，由申请人以外的第二人批准，并在此公开。',
  'draws.voided': '已作废',
  'draws.selectedCount': '抽中 {n} 家',
  'void.reason': '作废原因',
  'void.requestedBy': '申请人',
  'void.approvedBy': '批准人',
  'void.attempt': '第 {n} 次抽取',
  'void.requestedAt': '申请时间',
  'void.approvedAt': '批准时间',
  'void.resultDigest': '作废结果摘要',
  'common.status': '状态',
  'draw.signOff': '签名',
  'draw.commitmentEarlier': '本次抽取的承诺已于 {at} 公布（早于抽取结果），摘要与抽取包一致',
  'draw.commitmentDiffers': '已公布的承诺与本抽取包不一致，或晚于抽取结果公布',
  'draw.signer': '签名人',
  'draw.signedAt': '签名时间',
  'draw.publicKey': '签名公钥 (Ed25519, SPKI, Base64)',
  'draw.signature': '签名值 (Base64)',
  'draw.unsigned': '未签名',
  'draw.randomness': '随机数',
  'draw.randomnessString': '随机数串 R',
  'draw.selected': '抽中的检查对象',
  'draw.sequence': '顺序',
  'draw.unit': '统一社会信用代码',
  'draw.stratum': '分层',
  'draw.reason': '入选方式',
  'draw.team': '执法组（执法人员编号）',
  'draw.key': '抽取键',
  'draw.strata': '分层结果',
  'draw.stratumQuota': '名额',
  'draw.stratumSelected': '抽中',
  'draw.stratumShortfall': '不足',
  'draw.threshold': '门槛值',
  'draw.overloads': '超出工作量的执法人员',
  'draw.downloadBundle': '下载抽取包 JSON',
  'draw.redactionNote': '按规定，抽取包只公开检查对象的统一社会信用代码和执法人员编号。',
  'verifier.title': '浏览器验证',
  'verifier.running': '正在本机重新计算…',
  'verifier.rerun': '重新验证',
  'verifier.bundleOk': '重新计算结果与公布的完全一致',
  'verifier.bundleBad': '验证失败：第一处不一致',
  'verifier.summary': '对象 {units} 家，执法人员 {inspectors} 名，抽中 {selected} 家，分层 {strata} 个',
  'verifier.sigOk': '签名有效：签名人确实签署了这份承诺和这份结果',
  'verifier.sigBad': '签名无效',
  'verifier.signedBy': '签名人：{name}',
  'verifier.sigAbsent': '没有签名',
  'verifier.sigUnsupported': '本浏览器不支持 Ed25519，签名未在本机核对',
  'verifier.serverCheck': '请服务器复核',
  'verifier.serverOk': '服务器复核：抽取包 {b}，签名 {s}',
  'verifier.pass': '通过',
  'verifier.fail': '未通过',
  'verifier.localNote': '计算在您的浏览器中完成，使用与命令行工具相同的 sr-draw/v1 算法，不依赖服务器。',
  'offline.title': '离线验证抽取包',
  'offline.intro':
    '粘贴或上传一个抽取包 JSON（命令行 spotcheck verify 的输入，或本站下载的抽取结果）。验证完全在本机进行。',
  'offline.placeholder': '在此粘贴抽取包 JSON…',
  'offline.upload': '上传 JSON 文件',
  'offline.verify': '验证',
  'offline.parseError': '无法读取：{reason}',
  'results.title': '季度检查结果',
  'results.intro':
    '每季度公开检查结果（R15）。为保护商业秘密和个人隐私，只公开单位名称、代码、行业，以及执法人员姓名和执法证号（R16）。',
  'results.inspected': '检查 {n} 家',
  'results.unitName': '单位名称',
  'results.unitId': '统一社会信用代码',
  'results.industry': '行业',
  'results.inspectedOn': '检查日期',
  'results.outcome': '检查结论',
  'results.team': '执法人员（执法证号）',
  'results.findings': '问题',
  'results.findingsValue': '违法 {v} / 隐患 {h} / 重大隐患 {m}',
  'blacklist.title': '黑名单',
  'blacklist.intro': '隐瞒重大事故隐患、逾期未整改或整改不到位的单位，依规纳入黑名单并公开曝光（R18）。',
  'blacklist.reason': '列入原因',
  'blacklist.effectiveOn': '列入日期',
  'blacklist.reason.concealed': '隐瞒重大事故隐患',
  'blacklist.reason.inadequate': '重大事故隐患整改不到位',
  'blacklist.reason.overdue': '重大事故隐患逾期未整改',
  'howto.title': '如何验证一次抽取',
  ...logZh,
} as const;

/** The vocabulary keys. */
export type TKey = keyof typeof zh;

const en: Record<TKey, string> = {
  'app.title': 'Double random, one public',
  'app.subtitle': 'Tianjin work-safety inspections: public column',
  'app.footer':
    'Published under the Tianjin opinion on double-random, one-public work-safety inspections (津应急执〔2018〕1号). State secrets, commercial secrets and personal data are withheld as required.',
  'lang.switch': '中文',
  'bureau.label': 'Bureau',
  'bureau.city': 'City',
  'nav.home': 'Home',
  'nav.checklist': 'Checklist',
  'nav.commitments': 'Plans & commitments',
  'nav.draws': 'Draw results',
  'nav.verify': 'Verify offline',
  'nav.results': 'Quarterly results',
  'nav.blacklist': 'Blacklist',
  'nav.howto': 'How to verify',
  'kind.checklist': 'Checklist',
  'kind.procedure': 'Procedure',
  'kind.plan': 'Plan',
  'kind.commitment': 'Commitment',
  'kind.draw': 'Draw result',
  'kind.void': 'Voided draw',
  'kind.quarterly-results': 'Quarterly results',
  'kind.blacklist': 'Blacklist',
  'planKind.general': 'General inspection',
  'planKind.key': 'Key inspection',
  'planKind.covert': 'Covert inspection',
  'reason.mandatory': 'Mandatory',
  'reason.certainty': 'Certainty',
  'reason.random': 'Random',
  'outcome.compliant': 'No issues',
  'outcome.violations': 'Violations',
  'outcome.closed-or-absent': 'Closed or absent',
  'common.loading': 'Loading…',
  'common.none': 'Nothing published yet',
  'common.more': 'More',
  'common.view': 'View',
  'common.download': 'Download JSON',
  'common.publishedAt': 'Published',
  'common.title': 'Title',
  'common.period': 'Period',
  'common.digest': 'Digest (SHA-256)',
  'common.error': 'Could not load',
  'common.back': 'Back',
  'common.superseded': 'Superseded',
  'common.correction': 'Correction',
  'common.notFound': 'Page not found',
  'common.yes': 'Yes',
  'common.no': 'No',
  'home.title': 'Latest publications',
  'home.intro':
    'This column publishes the inspection checklist, the commitments made before each draw, the signed draw results, voided draws and the quarterly inspection results. Anyone can recompute a draw in the browser and check that it follows the published commitment.',
  'home.verifyCta': 'Verify a draw',
  'checklist.title': 'Inspection checklist',
  'checklist.intro':
    'What may be inspected: subject, item, content and legal basis (R15). Changes are published as new versions; earlier versions stay available.',
  'checklist.version': 'Version {v}',
  'checklist.itemCount': 'Items',
  'checklist.code': 'Code',
  'checklist.subject': 'Subject',
  'checklist.item': 'Item',
  'checklist.content': 'Content',
  'checklist.legalBasis': 'Legal basis',
  'checklist.industries': 'Industries',
  'checklist.allIndustries': 'All industries',
  'checklist.history': 'Version history',
  'checklist.current': 'Current',
  'checklist.changes': 'Since the previous version: {a} added, {r} removed, {c} changed',
  'checklist.cityLayer':
    'A district list adds to the city list; together they are what the district inspects.',
  'checklist.cityTitle': 'City list (current)',
  'checklist.districtTitle': 'District additions',
  'commitments.title': 'Plans and draw commitments',
  'commitments.intro':
    'Before any draw, the pool of units, the strata and quotas, the inspectors and the public randomness sources to be used are frozen and published. Once the randomness exists, anyone can check that the draw followed the commitment.',
  'commitment.plan': 'Plan',
  'commitment.period': 'Period',
  'commitment.kind': 'Kind',
  'commitment.frame': 'Units in the pool',
  'commitment.frameCount': '{n} units',
  'commitment.inspectors': 'Inspectors',
  'commitment.inspectorCount': '{n} inspectors',
  'commitment.strata': 'Strata and quotas',
  'commitment.stratum': 'Stratum',
  'commitment.method': 'Method',
  'commitment.quota': 'Random quota',
  'commitment.method.srs': 'Simple random',
  'commitment.method.pareto': 'Weighted (Pareto)',
  'commitment.team': 'Teams',
  'commitment.teamValue': '{n} per team{s}',
  'commitment.teamSpecialist': ', with a specialist',
  'commitment.noTeam': 'Inspectors are not drawn',
  'commitment.sources': 'Randomness sources named in advance',
  'commitment.source.numbers': 'Lottery numbers',
  'commitment.source.hex': 'Hex randomness',
  'commitment.sourceLine': '{name} ({kind}, issue {issue})',
  'commitment.rulePack': 'Rule pack',
  'commitment.checklist': 'Checklist',
  'commitment.committedAt': 'Committed at',
  'commitment.digest': 'Commitment digest',
  'commitment.digestOk': 'The commitment matches its digest',
  'commitment.sealed': 'Covert inspection: only the commitment digest is public until executed',
  'commitment.sealedNote':
    'The digest, randomness sources and time were published before the draw; the units and teams are published with the draw result after execution, when its commitment digest can be compared with this one.',
  'commitment.digestBad': 'The commitment does not match its digest',
  'commitment.rowsOk': 'The published lists match the digests in the commitment',
  'commitment.rowsBad': 'The published lists do not match the digests in the commitment',
  'commitment.download': 'Download the full commitment JSON',
  'draws.title': 'Draw results',
  'draws.intro':
    'Every draw is signed by the official responsible for it. Open a draw and your browser recomputes it and checks the signature.',
  'draws.voids': 'Voided draws',
  'draws.voidsIntro':
    'No silent redraws: every void states its reason, is approved by a second person, and is published here.',
  'draws.voided': 'Voided',
  'draws.selectedCount': '{n} selected',
  'void.reason': 'Reason',
  'void.requestedBy': 'Requested by',
  'void.approvedBy': 'Approved by',
  'void.attempt': 'Attempt {n}',
  'void.requestedAt': 'Requested at',
  'void.approvedAt': 'Approved at',
  'void.resultDigest': 'Voided result digest',
  'common.status': 'Status',
  'draw.signOff': 'Signature',
  'draw.commitmentEarlier':
    'The commitment of this draw was published on {at}, before its randomness, with the same digest',
  'draw.commitmentDiffers': 'The published commitment differs from this bundle, or came after the result',
  'draw.signer': 'Signed by',
  'draw.signedAt': 'Signed at',
  'draw.publicKey': 'Public key (Ed25519, SPKI, base64)',
  'draw.signature': 'Signature (base64)',
  'draw.unsigned': 'Not signed',
  'draw.randomness': 'Randomness',
  'draw.randomnessString': 'Randomness string R',
  'draw.selected': 'Selected units',
  'draw.sequence': 'Order',
  'draw.unit': 'Unified social credit code',
  'draw.stratum': 'Stratum',
  'draw.reason': 'Selected as',
  'draw.team': 'Team (inspector ids)',
  'draw.key': 'Select key',
  'draw.strata': 'Strata',
  'draw.stratumQuota': 'Quota',
  'draw.stratumSelected': 'Selected',
  'draw.stratumShortfall': 'Shortfall',
  'draw.threshold': 'Threshold',
  'draw.overloads': 'Inspectors over capacity',
  'draw.downloadBundle': 'Download the bundle JSON',
  'draw.redactionNote': 'As required, a bundle names units by credit code and inspectors by id only.',
  'verifier.title': 'In-browser verification',
  'verifier.running': 'Recomputing on this device…',
  'verifier.rerun': 'Verify again',
  'verifier.bundleOk': 'The recomputed result is identical to the published one',
  'verifier.bundleBad': 'Verification failed: first mismatch',
  'verifier.summary': '{units} units, {inspectors} inspectors, {selected} selected, {strata} strata',
  'verifier.sigOk': 'Signature valid: the signer signed exactly this commitment and this result',
  'verifier.sigBad': 'Signature invalid',
  'verifier.signedBy': 'Signed by: {name}',
  'verifier.sigAbsent': 'Not signed',
  'verifier.sigUnsupported': 'This browser lacks Ed25519; the signature was not checked here',
  'verifier.serverCheck': 'Ask the server too',
  'verifier.serverOk': 'Server check: bundle {b}, signature {s}',
  'verifier.pass': 'passed',
  'verifier.fail': 'failed',
  'verifier.localNote':
    'Computed in your browser with the same sr-draw/v1 code as the command-line tool; no server involved.',
  'offline.title': 'Verify a bundle offline',
  'offline.intro':
    'Paste or upload a bundle JSON (the input of `spotcheck verify`, or a draw result downloaded here). Verification runs entirely on this device.',
  'offline.placeholder': 'Paste a bundle JSON here…',
  'offline.upload': 'Upload a JSON file',
  'offline.verify': 'Verify',
  'offline.parseError': 'Cannot read it: {reason}',
  'results.title': 'Quarterly inspection results',
  'results.intro':
    'Inspection results are published every quarter (R15). To protect commercial secrets and privacy, only the unit’s name, code and industry and the inspectors’ names and certificate numbers are shown (R16).',
  'results.inspected': '{n} inspected',
  'results.unitName': 'Unit',
  'results.unitId': 'Credit code',
  'results.industry': 'Industry',
  'results.inspectedOn': 'Inspected on',
  'results.outcome': 'Outcome',
  'results.team': 'Inspectors (certificate)',
  'results.findings': 'Findings',
  'results.findingsValue': 'violations {v} / hazards {h} / major {m}',
  'blacklist.title': 'Blacklist',
  'blacklist.intro':
    'Units that concealed major hazards or failed to rectify in time are blacklisted and exposed publicly (R18).',
  'blacklist.reason': 'Reason',
  'blacklist.effectiveOn': 'Listed on',
  'blacklist.reason.concealed': 'Concealed a major hazard',
  'blacklist.reason.inadequate': 'Major hazard not properly rectified',
  'blacklist.reason.overdue': 'Major hazard rectification overdue',
  'howto.title': 'How to verify a draw',
  ...logEn,
};

/** A UI language. */
export type Lang = 'zh' | 'en';

const DICTS: Record<Lang, Record<TKey, string>> = { zh, en };
const STORAGE_KEY = 'spotcheck.portal.lang';

/** Fills `{name}` placeholders. */
export function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: TKey, vars?: Record<string, string | number>) => string;
  /** Translates a dynamic key (`kind.${kind}`), falling back to `fallback` (or the key). */
  tx: (key: string, fallback?: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const q = new URLSearchParams(window.location.search).get('lang');
    if (q === 'en' || q === 'zh') return q;
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Holds the UI language (zh-CN by default, `?lang=en` or the remembered choice). */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = DICTS[lang];
    return {
      lang,
      setLang,
      t: (key, vars) => fill(dict[key], vars),
      tx: (key, fallback) => (key in dict ? dict[key as TKey] : (fallback ?? key)),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and translation helpers. */
export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** Exposed for the dictionary completeness test. */
export const dictionaries = DICTS;
