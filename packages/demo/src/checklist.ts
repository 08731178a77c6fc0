/**
 * The city checklist 随机抽查重点事项清单 of the demo, drawn from the duties the policy and the
 * Work Safety Law give a work-safety bureau: subject, item, content, legal basis (R1).
 */
export interface DemoChecklistItem {
  code: string;
  subject: string;
  item: string;
  content: string;
  legalBasis: string;
  industries: string[];
  inspectionKinds: string[];
  /** Risk grades the item applies to; empty means all. */
  riskGrades: string[];
}

const CITY = '天津市应急管理局及各区应急管理局';
const ALL_KINDS = ['general', 'key', 'covert'];

/** The demo city's published checklist. */
export const CITY_CHECKLIST: DemoChecklistItem[] = [
  [
    'TJ-GEN-001',
    '安全生产责任制',
    '检查全员安全生产责任制建立和落实情况',
    '《中华人民共和国安全生产法》第四条、第二十二条',
    [],
  ],
  [
    'TJ-GEN-002',
    '安全生产管理机构及人员',
    '检查安全生产管理机构设置、专职安全管理人员配备情况',
    '《中华人民共和国安全生产法》第二十四条',
    [],
  ],
  [
    'TJ-GEN-003',
    '主要负责人和安全管理人员资格',
    '检查主要负责人、安全生产管理人员安全生产知识和管理能力考核情况',
    '《中华人民共和国安全生产法》第二十七条',
    [],
  ],
  [
    'TJ-GEN-004',
    '安全生产教育和培训',
    '检查从业人员安全生产教育培训、培训档案建立情况',
    '《中华人民共和国安全生产法》第二十八条',
    [],
  ],
  [
    'TJ-GEN-005',
    '特种作业人员持证上岗',
    '检查特种作业人员取得相应资格、持证上岗情况',
    '《中华人民共和国安全生产法》第三十条',
    [],
  ],
  [
    'TJ-GEN-006',
    '安全风险分级管控',
    '检查安全风险辨识评估、分级管控措施落实情况',
    '《中华人民共和国安全生产法》第四十一条',
    [],
  ],
  [
    'TJ-GEN-007',
    '生产安全事故隐患排查治理',
    '检查事故隐患排查治理制度、隐患排查记录及整改闭环情况',
    '《中华人民共和国安全生产法》第四十一条；《安全生产事故隐患排查治理暂行规定》',
    [],
  ],
  [
    'TJ-GEN-008',
    '生产安全事故应急救援预案',
    '检查应急预案制定、备案、演练情况',
    '《生产安全事故应急条例》第五条、第八条',
    [],
  ],
  [
    'TJ-GEN-009',
    '劳动防护用品',
    '检查为从业人员提供符合标准的劳动防护用品情况',
    '《中华人民共和国安全生产法》第四十五条',
    [],
  ],
  [
    'TJ-GEN-010',
    '安全警示标志',
    '检查有较大危险因素的场所和设备设施安全警示标志设置情况',
    '《中华人民共和国安全生产法》第三十五条',
    [],
  ],
  [
    'TJ-GEN-011',
    '危险作业管理',
    '检查动火、临时用电、有限空间等危险作业审批和现场管理情况',
    '《中华人民共和国安全生产法》第四十三条',
    [],
  ],
  [
    'TJ-HC-001',
    '危险化学品安全生产许可',
    '检查危险化学品生产、经营、使用许可证照取得及有效情况',
    '《危险化学品安全管理条例》第十四条、第三十三条',
    ['hazardous-chemicals'],
  ],
  [
    'TJ-HC-002',
    '重大危险源管理',
    '检查重大危险源辨识、登记建档、监测监控及备案情况',
    '《中华人民共和国安全生产法》第四十条；《危险化学品重大危险源监督管理暂行规定》',
    ['hazardous-chemicals', 'port-logistics'],
  ],
  [
    'TJ-HC-003',
    '危险化学品储存',
    '检查危险化学品专用仓库、储存方式和数量符合国家标准情况',
    '《危险化学品安全管理条例》第二十四条',
    ['hazardous-chemicals', 'port-logistics'],
  ],
  [
    'TJ-MT-001',
    '冶金煤气和高温熔融金属',
    '检查煤气区域、高温熔融金属吊运等重点部位安全管理情况',
    '《工贸企业重大事故隐患判定标准》第五条',
    ['metallurgy', 'nonferrous'],
  ],
  [
    'TJ-DU-001',
    '粉尘防爆',
    '检查粉尘爆炸危险场所除尘系统、防爆措施、清扫制度落实情况',
    '《工贸企业粉尘防爆安全规定》',
    ['metallurgy', 'light-industry', 'textile', 'nonferrous', 'machinery'],
  ],
  [
    'TJ-CS-001',
    '有限空间作业',
    '检查有限空间辨识、作业审批、通风检测和监护情况',
    '《工贸企业有限空间作业安全规定》',
    [],
  ],
  [
    'TJ-MI-001',
    '非煤矿山安全生产许可',
    '检查非煤矿山安全生产许可证、边坡和排土场管理情况',
    '《非煤矿矿山企业安全生产许可证实施办法》；《金属非金属矿山安全规程》',
    ['non-coal-mine'],
  ],
  [
    'TJ-FW-001',
    '烟花爆竹经营许可和储存',
    '检查烟花爆竹经营许可、储存仓库和超量储存情况',
    '《烟花爆竹安全管理条例》第十九条',
    ['fireworks'],
  ],
  [
    'TJ-CP-001',
    '人员密集场所安全出口',
    '检查人员密集场所安全出口、疏散通道畅通情况',
    '《中华人民共和国安全生产法》第四十二条',
    ['trade', 'tourism'],
  ],
].map(([code, item, content, legalBasis, industries]) => ({
  code: code as string,
  subject: CITY,
  item: item as string,
  content: content as string,
  legalBasis: legalBasis as string,
  industries: industries as string[],
  inspectionKinds: ALL_KINDS,
  riskGrades: [] as string[],
}));

// Items for the riskier units only (R11): the item names the risk grades it applies to.
CITY_CHECKLIST.push({
  code: 'TJ-RISK-001',
  subject: CITY,
  item: '安全风险分级管控和隐患排查治理双重预防机制',
  content: '检查重大、较大安全风险辨识评估、管控措施和隐患排查治理台账',
  legalBasis: '《中华人民共和国安全生产法》第四十一条',
  industries: [],
  inspectionKinds: ALL_KINDS,
  riskGrades: ['major', 'high'],
});

/** District additions (a bureau's own layer on top of the city's, R1). */
export const DISTRICT_CHECKLISTS: Record<string, DemoChecklistItem[]> = {
  '120116': [
    {
      code: 'BH-PORT-001',
      subject: '天津市滨海新区应急管理局',
      item: '港区危险货物集装箱堆场',
      content: '检查港区危险货物集装箱堆场分区、隔离和限量堆存情况',
      legalBasis: '《港口危险货物安全管理规定》',
      industries: ['port-logistics', 'hazardous-chemicals'],
      inspectionKinds: ALL_KINDS,
      riskGrades: [],
    },
  ],
  '120119': [
    {
      code: 'JZ-TOUR-001',
      subject: '天津市蓟州区应急管理局',
      item: '景区游乐设施和山地步道',
      content: '检查景区游乐设施、山地步道防护和游客高峰期应急措施',
      legalBasis: '《中华人民共和国安全生产法》第四十二条',
      industries: ['tourism'],
      inspectionKinds: ALL_KINDS,
      riskGrades: [],
    },
  ],
};
