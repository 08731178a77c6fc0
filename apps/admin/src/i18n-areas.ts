/**
 * The signed-in pages' text, kept as zh/en pairs per area, joins the dictionary when this module
 * loads. The signed-in shell (`components/Shell.tsx`) imports it before any of those pages can
 * render; the login page, the first load, goes without it.
 */
import { addAreaText } from './i18n';
import { AUTHORING } from './i18n-authoring';
import { CONSEQUENCES } from './i18n-consequences';
import { DRAW_V2 } from './i18n-draw-v2';
import { MORE } from './i18n-more';
import { PUBLICATION } from './i18n-publication';
import { RESULTS } from './i18n-results';
import { ROSTER } from './i18n-roster';
import { SCORECARD } from './i18n-scorecard';

/** Every area's pairs (their keys are part of `TKey`). */
export const AREAS = { MORE, RESULTS, DRAW_V2, AUTHORING, PUBLICATION, CONSEQUENCES, SCORECARD, ROSTER };

for (const pairs of Object.values(AREAS)) addAreaText(pairs);
