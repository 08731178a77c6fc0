/**
 * The bureau each of the Tianjin rule packs in rules/ belongs to, by pack id, so that a page
 * names a pack by its bureau ("滨海新区规则包") where only the id travels (a published draw's
 * commitment names its packs by id and version).
 */
export const PACK_BUREAUS: Readonly<Record<string, string>> = {
  'tianjin/city': '120000',
  'tianjin/heping': '120101',
  'tianjin/hedong': '120102',
  'tianjin/hexi': '120103',
  'tianjin/nankai': '120104',
  'tianjin/hebei': '120105',
  'tianjin/hongqiao': '120106',
  'tianjin/dongli': '120110',
  'tianjin/xiqing': '120111',
  'tianjin/jinnan': '120112',
  'tianjin/beichen': '120113',
  'tianjin/wuqing': '120114',
  'tianjin/baodi': '120115',
  'tianjin/binhai': '120116',
  'tianjin/ninghe': '120117',
  'tianjin/jinghai': '120118',
  'tianjin/jizhou': '120119',
};

/**
 * A pack's name in `lang`: in Chinese by its bureau's name (`bureauName` of its code, when that is
 * Chinese) and version, "滨海新区规则包（1.0.0 版）"; in English `id@version`.
 */
export function packName(
  id: string,
  version: string | undefined,
  lang: 'zh' | 'en',
  bureauName: (code: string | undefined) => string,
): string {
  if (lang === 'en') return version ? `${id}@${version}` : id;
  const name = bureauName(PACK_BUREAUS[id]);
  const base = /[\u4e00-\u9fff]/.test(name) ? `${name}规则包` : '规则包';
  return version ? `${base}（${version} 版）` : base;
}
