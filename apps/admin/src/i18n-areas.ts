/**
 * The signed-in pages' text, kept as zh/en pairs per area, joins the dictionary when this module
 * loads. The signed-in shell (`components/Shell.tsx`) imports it before any of those pages can
 * render; the login page, the first load, goes without it.
 */
import { addAreaText } from './i18n';
import { ACCOUNTS } from './i18n-accounts';
import { AUTHORING } from './i18n-authoring';
import { CHECKLIST } from './i18n-checklist';
import { CONSEQUENCES } from './i18n-consequences';
import { DRAW_V2 } from './i18n-draw-v2';
import { PLANS } from './i18n-plans';
import { PUBLICATION } from './i18n-publication';
import { RESULTS } from './i18n-results';
import { ROSTER } from './i18n-roster';
import { SCORECARD } from './i18n-scorecard';
import { WORKBENCH } from './i18n-workbench';

/** Every area's pairs (their keys are part of `TKey`). */
export const AREAS = {
  WORKBENCH,
  CHECKLIST,
  ROSTER,
  AUTHORING,
  PLANS,
  DRAW_V2,
  RESULTS,
  CONSEQUENCES,
  PUBLICATION,
  SCORECARD,
  ACCOUNTS,
};

for (const pairs of Object.values(AREAS)) addAreaText(pairs);
