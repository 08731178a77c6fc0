import {
  CITY_BUREAU_CODE,
  SPECIALTY_IDS,
  type Industry,
  type InspectorStatus,
  type Specialty,
} from '@spotcheck/core';
import {
  DISTRICT_PROFILES,
  DISTRICT_SPECIALTIES,
  DISTRICT_WORKLOAD,
  GIVEN,
  MIN_SPECIALISTS,
  SURNAMES,
} from './profiles';
import { DemoRandom } from './rng';

/** A generated officer of the inspector roster, shaped like the `inspectors` table. */
export interface DemoInspector {
  id: string;
  certificateNo: string;
  name: string;
  bureauCode: string;
  department: string;
  specialties: Specialty[];
  equipment: string[];
  status: InspectorStatus;
  capacityPerQuarter: number;
  joinedOn: string;
}

/** A generated expert of the expert library, shaped like the `experts` table. */
export interface DemoExpert {
  id: string;
  name: string;
  bureauCode: string | null;
  specialties: Specialty[];
  title: string;
  employer: string;
}

const DEPARTMENTS = [
  '执法监察支队',
  '危险化学品监管科',
  '工贸行业监管科',
  '综合监管科',
  '应急管理综合行政执法大队',
];
const EQUIPMENT = ['执法记录仪', '便携式气体检测仪', '测厚仪', '红外测温仪', '防爆手电'];

/** Officers per bureau: the city has a team of its own; districts scale with their rosters and workload. */
export function inspectorCounts(total: number): Map<string, number> {
  const counts = new Map<string, number>([[CITY_BUREAU_CODE, Math.round(total * 0.1)]]);
  const districts = Object.entries(DISTRICT_PROFILES);
  const share = districts.reduce((s, [, p]) => s + p.share, 0);
  for (const [code, p] of districts)
    counts.set(
      code,
      Math.max(6, Math.round((total * 0.9 * p.share * (DISTRICT_WORKLOAD[code] ?? 1)) / share)),
    );
  return counts;
}

function personName(rnd: DemoRandom): string {
  return rnd.pick(SURNAMES) + rnd.pick(GIVEN);
}

/** A deterministic inspector roster of about `total` officers. */
export function generateInspectors(seed: number, total = 300): DemoInspector[] {
  const rnd = new DemoRandom(seed ^ 0x1f2e3d);
  const out: DemoInspector[] = [];
  for (const [bureauCode, count] of [...inspectorCounts(total)].sort(([a], [b]) => a.localeCompare(b))) {
    const mix = DISTRICT_PROFILES[bureauCode]?.mix ?? { 'hazardous-chemicals': 3, metallurgy: 2, trade: 1 };
    for (let i = 1; i <= count; i++) {
      const specialties = new Set<Specialty>();
      const n = rnd.int(1, 3);
      while (specialties.size < n) {
        specialties.add(
          rnd.chance(0.75) ? rnd.weighted(mix as Record<Industry, number>) : rnd.pick(SPECIALTY_IDS),
        );
      }
      out.push({
        id: `I${bureauCode}-${String(i).padStart(4, '0')}`,
        certificateNo: `JZ${bureauCode}${String(i).padStart(5, '0')}`,
        name: personName(rnd),
        bureauCode,
        department: rnd.pick(DEPARTMENTS),
        specialties: [...specialties].sort(),
        equipment: rnd.sample(EQUIPMENT, rnd.int(1, 3)).sort(),
        status: rnd.weighted<InspectorStatus>({ active: 95, suspended: 3, left: 2 }),
        capacityPerQuarter: rnd.int(10, 20),
        joinedOn: `${rnd.int(2008, 2025)}-${String(rnd.int(1, 12)).padStart(2, '0')}-01`,
      });
    }
  }
  // Every specialty the district's rule pack requires is held by enough active officers (a
  // specialist gap would make the district's default plan infeasible, as 静海's dust-explosion
  // sites once did): officers lacking it gain it, round-robin over the district's active officers.
  for (const [bureauCode, needed] of Object.entries(DISTRICT_SPECIALTIES)) {
    const active = out.filter((i) => i.bureauCode === bureauCode && i.status === 'active');
    needed.forEach((specialty, k) => {
      let holders = active.filter((i) => i.specialties.includes(specialty)).length;
      const want = Math.max(MIN_SPECIALISTS, Math.ceil(active.length / 3));
      for (let j = 0; holders < want && j < active.length; j++) {
        const officer = active[(j * needed.length + k) % active.length]!;
        if (officer.specialties.includes(specialty)) continue;
        officer.specialties = [...officer.specialties, specialty].sort();
        holders++;
      }
    });
  }
  return out;
}

const EMPLOYERS = [
  '天津大学',
  '南开大学',
  '天津理工大学',
  '中国民航大学',
  '天津市安全生产科学研究院',
  '中石化天津分公司',
  '天津港集团',
  '中冶天工集团',
];
const TITLES = ['教授', '副教授', '高级工程师', '正高级工程师', '注册安全工程师'];

/** A deterministic expert library of `total` experts; most serve the whole city. */
export function generateExperts(seed: number, total = 60): DemoExpert[] {
  const rnd = new DemoRandom(seed ^ 0x51ab7);
  const districts = Object.keys(DISTRICT_PROFILES).sort();
  return Array.from({ length: total }, (_, k) => ({
    id: `E${String(k + 1).padStart(4, '0')}`,
    name: personName(rnd),
    bureauCode: rnd.chance(0.7) ? null : rnd.pick(districts),
    specialties: rnd.sample(SPECIALTY_IDS, rnd.int(1, 2)).sort(),
    title: rnd.pick(TITLES),
    employer: rnd.pick(EMPLOYERS),
  }));
}
