import type { Industry, Specialty } from '@spotcheck/core';

type Mix = Partial<Record<Industry, number>>;

const URBAN: Mix = {
  trade: 60,
  tourism: 18,
  'light-industry': 10,
  machinery: 4,
  'hazardous-chemicals': 4,
  tobacco: 1,
  textile: 3,
};
const INNER_SUBURB: Mix = {
  machinery: 22,
  'light-industry': 18,
  'hazardous-chemicals': 14,
  metallurgy: 8,
  trade: 18,
  'construction-materials': 6,
  nonferrous: 4,
  textile: 5,
  'port-logistics': 3,
  tourism: 2,
};
const OUTER: Mix = {
  'light-industry': 22,
  textile: 12,
  'construction-materials': 14,
  machinery: 16,
  trade: 18,
  'hazardous-chemicals': 6,
  fireworks: 1,
  metallurgy: 5,
  tourism: 4,
  nonferrous: 2,
};

/**
 * Each district's share of the city's units and its industry mix: 滨海新区 chemicals and ports,
 * 静海区 metallurgy, 蓟州区 mines and tourism, the six central districts commerce.
 */
export const DISTRICT_PROFILES: Record<string, { share: number; mix: Mix }> = {
  '120101': {
    share: 3,
    mix: { ...URBAN, trade: 70, tourism: 24, 'light-industry': 2, machinery: 0, 'hazardous-chemicals': 2 },
  },
  '120102': { share: 4, mix: URBAN },
  '120103': { share: 5, mix: URBAN },
  '120104': { share: 5, mix: URBAN },
  '120105': { share: 4, mix: URBAN },
  '120106': { share: 3, mix: URBAN },
  '120110': { share: 7, mix: INNER_SUBURB },
  '120111': { share: 8, mix: INNER_SUBURB },
  '120112': { share: 6, mix: { ...INNER_SUBURB, 'hazardous-chemicals': 18 } },
  '120113': { share: 7, mix: INNER_SUBURB },
  '120114': { share: 9, mix: OUTER },
  '120115': { share: 6, mix: OUTER },
  '120116': {
    share: 16,
    mix: {
      'hazardous-chemicals': 26,
      'port-logistics': 14,
      machinery: 16,
      metallurgy: 6,
      'light-industry': 10,
      trade: 16,
      nonferrous: 4,
      'construction-materials': 4,
      tourism: 4,
    },
  },
  '120117': { share: 5, mix: { ...OUTER, 'hazardous-chemicals': 10, fireworks: 2 } },
  '120118': {
    share: 7,
    mix: {
      metallurgy: 30,
      'construction-materials': 14,
      machinery: 16,
      'light-industry': 12,
      trade: 14,
      nonferrous: 6,
      'hazardous-chemicals': 5,
      textile: 3,
    },
  },
  '120119': {
    share: 5,
    mix: {
      'non-coal-mine': 14,
      tourism: 24,
      'construction-materials': 16,
      trade: 18,
      'light-industry': 12,
      fireworks: 3,
      machinery: 8,
      textile: 5,
    },
  },
};

/**
 * Specialties each district's rule pack (rules/tianjin/<district>) asks a team to cover: the demo
 * gives at least {@link MIN_SPECIALISTS} active officers of the district each of them, so every
 * district's default plan is feasible with its own pack (test/rules/packs.test.ts checks the list
 * against the packs).
 */
export const DISTRICT_SPECIALTIES: Record<string, readonly Specialty[]> = {
  '120101': ['fire-electrical'],
  '120102': ['fire-electrical'],
  '120103': ['confined-space', 'fire-electrical'],
  '120104': ['fire-electrical'],
  '120105': ['confined-space', 'fire-electrical'],
  '120106': ['fire-electrical'],
  '120110': ['confined-space', 'hazardous-chemicals'],
  '120111': ['dust-explosion', 'hazardous-chemicals'],
  '120112': ['hazardous-chemicals'],
  '120113': ['confined-space', 'metallurgy'],
  '120114': ['dust-explosion'],
  '120115': ['dust-explosion'],
  '120116': ['hazardous-chemicals', 'port-logistics'],
  '120117': ['dust-explosion', 'fireworks', 'hazardous-chemicals'],
  '120118': ['dust-explosion', 'metallurgy'],
  '120119': ['non-coal-mine', 'tourism'],
};

/**
 * Officers a district needs beyond its share of the roster, for its rules' workload: 滨海's
 * chemicals and ports, 蓟州's mines and scenic areas, 津南's and 静海's chemicals and metallurgy,
 * 和平's crowded places all draw more units a quarter than the average district (at the default
 * 20,000 units, 滨海 needed 346 units a quarter against 312 of capacity, issue #10).
 */
export const DISTRICT_WORKLOAD: Record<string, number> = {
  '120101': 1.4,
  '120112': 1.3,
  '120116': 1.5,
  '120118': 1.3,
  '120119': 1.7,
};

/**
 * Fewest active officers per district holding each specialty its pack requires. sr-draw/v2 §9.6
 * wants at least 2 eligible holders for every unit of that specialty, and a unit's last team (2
 * officers, often both holders) and a declared conflict (the demo declares some against the
 * district's first officer) are not eligible: 5 leaves 2 after all three.
 */
export const MIN_SPECIALISTS = 5;

/** How dangerous each industry is, shifting risk grades and fact rates (1 = average). */
export const INDUSTRY_HAZARD: Record<Industry, number> = {
  'hazardous-chemicals': 3,
  metallurgy: 2.5,
  'non-coal-mine': 3,
  fireworks: 3,
  'construction-materials': 1.5,
  nonferrous: 2,
  machinery: 1,
  'light-industry': 0.8,
  textile: 0.8,
  tobacco: 0.6,
  trade: 0.4,
  'port-logistics': 1.8,
  tourism: 0.6,
};

/** Name words per industry, to build plausible company names. */
export const INDUSTRY_WORDS: Record<Industry, readonly string[]> = {
  'hazardous-chemicals': ['化工', '石化', '精细化工', '化学品', '涂料', '医药化工'],
  metallurgy: ['钢铁', '钢管', '冶金', '特钢', '金属制品'],
  'non-coal-mine': ['矿业', '石料', '建材矿山', '采石'],
  fireworks: ['烟花爆竹', '花炮'],
  'construction-materials': ['建材', '水泥', '混凝土', '玻璃', '新型建材'],
  nonferrous: ['有色金属', '铝业', '铜业'],
  machinery: ['机械', '装备制造', '汽车零部件', '精密机械', '重工'],
  'light-industry': ['食品', '家具', '包装', '塑料制品', '印刷', '饮料'],
  textile: ['纺织', '服装', '针织', '印染'],
  tobacco: ['卷烟物流', '烟草'],
  trade: ['商贸', '购物中心', '超市', '百货', '商业管理'],
  'port-logistics': ['港口物流', '仓储', '码头', '国际物流'],
  tourism: ['旅游开发', '酒店管理', '景区', '文化娱乐', '餐饮'],
};

/** Leading name words (字号). */
export const BRAND_WORDS = [
  '津华',
  '海河',
  '渤海',
  '天宇',
  '恒泰',
  '金桥',
  '宏达',
  '鑫源',
  '盛世',
  '中环',
  '瑞丰',
  '东方',
  '北辰',
  '泰达',
  '永兴',
  '开元',
  '华信',
  '联创',
  '德润',
  '新港',
  '长城',
  '远航',
  '利民',
  '众和',
  '康泰',
  '博远',
  '津联',
  '广源',
  '汇通',
  '嘉禾',
  '荣盛',
  '万隆',
  '正和',
  '启明',
  '佳美',
  '同力',
  '明珠',
  '祥瑞',
  '中天',
  '立信',
];

/** Surnames and given-name characters for officers, experts and legal representatives. */
export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
];
export const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '秀英',
  '华',
  '平',
  '刚',
  '桂英',
  '建国',
  '志强',
  '海燕',
  '文博',
];
