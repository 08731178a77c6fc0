/** Unit flags shown as tags in the roster and set in the unit form. */
export const UNIT_FLAGS = [
  'majorHazard',
  'majorHazardSource',
  'trialProduction',
  'resuming',
  'blacklisted',
  'jointPunishment',
  'keyUnit',
  'crowdedPlace',
  'dustExplosion',
  'confinedSpace',
] as const;
