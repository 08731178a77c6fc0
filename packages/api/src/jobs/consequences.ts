import { proposeOverdueListings } from '../lib/blacklist';
import { todayInChina } from '../lib/scope';
import { registerJob } from './registry';

/**
 * R18 as a time rule: every day, proposes the blacklisting of units whose major-hazard
 * rectification is overdue. It only proposes; a second person reviews, the unit is noticed and
 * may object, and only then is anything decided and published. Idempotent.
 */
export const overdueBlacklistProposalsJob = registerJob({
  name: 'overdue-blacklist-proposals',
  cron: '30 1 * * *',
  description: 'Proposes blacklisting units whose major-hazard rectification is overdue (proposals only)',
  async run({ db, now }) {
    const proposed = await db.transaction((tx) =>
      proposeOverdueListings(tx, { userId: null, actorRole: 'job', today: todayInChina(now), now }),
    );
    return { proposed: proposed.length, units: proposed.map((p) => p.unitId) };
  },
});
