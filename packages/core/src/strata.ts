// Its own module: the strata's labels are needed by the pages that show a draw, not by every
// page that takes a constant from the domain vocabulary (the apps' first loads do).

/**
 * Strata by id, with labels: the platform's own (mandatory units, the coverage ledger's due
 * units, the pooled ratio sample) and the rule strata the Tianjin packs classify into. A stratum
 * a pack invents without a label here is shown by its id.
 */
export const STRATA = {
  mandatory: { zh: '必查单位', en: 'Mandatory units' },
  'mandatory-due': { zh: '本期应查（年度必查分摊）', en: 'Due this period (yearly mandatory)' },
  'ratio-sample': { zh: '按比例随机抽取', en: 'Random sample at rule ratios' },
  general: { zh: '一般单位', en: 'General' },
  'high-risk': { zh: '高风险', en: 'High risk' },
  'medium-risk': { zh: '中风险', en: 'Medium risk' },
  'major-risk': { zh: '重大风险', en: 'Major risk' },
  'good-credit': { zh: '信用良好', en: 'Good credit' },
  'poor-credit': { zh: '信用较差', en: 'Poor credit' },
  blacklist: { zh: '黑名单', en: 'Blacklist' },
  'joint-punishment': { zh: '联合惩戒对象', en: 'Joint punishment' },
  'fatal-accident': { zh: '近三年发生死亡事故', en: 'Fatal accident in 3 years' },
  'key-unit': { zh: '重点单位', en: 'Key units' },
  'trial-resumption': { zh: '试生产或复产', en: 'Trial production or resumption' },
  'mine-resumption': { zh: '矿山复产', en: 'Mine resumption' },
  'major-hazard': { zh: '重大危险源', en: 'Major hazard installations' },
  hazchem: { zh: '危险化学品', en: 'Hazardous chemicals' },
  'hazchem-mhs': { zh: '危化品重大危险源', en: 'Hazchem with major hazard' },
  'port-mhs': { zh: '港口重大危险源', en: 'Port major hazard' },
  'dust-explosion': { zh: '粉尘涉爆', en: 'Dust explosion' },
  'confined-space': { zh: '有限空间', en: 'Confined spaces' },
  'crowded-place': { zh: '人员密集场所', en: 'Crowded places' },
  'scenic-crowded': { zh: '景区人员密集场所', en: 'Crowded scenic areas' },
  'large-mall': { zh: '大型商场', en: 'Large malls' },
  tourism: { zh: '旅游', en: 'Tourism' },
  metallurgy: { zh: '冶金', en: 'Metallurgy' },
  'metallurgy-large': { zh: '大型冶金', en: 'Large metallurgy' },
  machinery: { zh: '机械', en: 'Machinery' },
  'building-materials': { zh: '建材', en: 'Building materials' },
  'non-coal-mine': { zh: '非煤矿山', en: 'Non-coal mines' },
  fireworks: { zh: '烟花爆竹', en: 'Fireworks' },
} as const satisfies Record<string, { zh: string; en: string }>;

/** A stratum's label in `lang`; one a rule pack invents without a label in {@link STRATA}, its id. */
export function stratumName(id: string, lang: 'zh' | 'en'): string {
  return (STRATA as Readonly<Record<string, { zh: string; en: string } | undefined>>)[id]?.[lang] ?? id;
}
