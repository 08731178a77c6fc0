/** The city's published witness registry (`log-witnesses`): who may co-sign the log's checkpoints. */
import { and, desc, eq } from 'drizzle-orm';
import { publications } from '@spotcheck/db';
import type { DbOrTx } from '../lib/db';
import { publish } from '../lib/publish';
import { CITY_BUREAU } from '../trpc';
import { activeWitnesses } from './transparency';

/** Publishes the witness registry (every active witness) as the city's `log-witnesses` publication. */
export async function publishWitnessRegistry(tx: DbOrTx, by: string | null, at: Date) {
  const list = await activeWitnesses(tx);
  const [prev] = await tx
    .select({ id: publications.id })
    .from(publications)
    .where(and(eq(publications.bureauCode, CITY_BUREAU), eq(publications.kind, 'log-witnesses')))
    .orderBy(desc(publications.publishedAt))
    .limit(1);
  return publish(tx, {
    bureauCode: CITY_BUREAU,
    kind: 'log-witnesses',
    refId: 'log-witnesses',
    title: '公开日志见证方名录',
    content: {
      spec: 'spotcheck/log-witnesses/v1',
      witnesses: list.map((w) => ({
        name: w.name,
        label: w.label,
        publicKey: w.publicKey,
        addedAt: w.addedAt,
      })),
    },
    by,
    at,
    replacesId: prev?.id ?? null,
  });
}
