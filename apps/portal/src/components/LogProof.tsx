import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Alert, Descriptions, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../i18n';
import { fmtTime, shortHash } from '@spotcheck/ui/format';
import { checkPublicationInclusion, commitmentTimeCheck } from '../lib/transparency';
import { runDigest } from '../lib/runCheck';
import { useTRPC } from '@spotcheck/ui/trpc';

/** The registered witnesses (the trust anchor of every check on this page). */
export function useWitnesses() {
  const trpc = useTRPC();
  return useQuery(trpc.transparency.witnesses.queryOptions());
}

/**
 * A publication's inclusion proof in the public log, verified in this browser against the latest
 * checkpoint, with who witnessed that checkpoint.
 */
export function InclusionProof({
  publication,
}: {
  publication: { id: string; digest: string; content: unknown };
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const inc = useQuery(trpc.transparency.inclusion.queryOptions({ publicationId: publication.id }));
  const witnesses = useWitnesses();
  // The content as shown is hashed in this browser (off the page's thread: a city draw's is 10^8
  // bytes), never taken from the server's word for it.
  const digest = useQuery({
    queryKey: ['content-digest', publication.id, publication.digest],
    queryFn: () => runDigest(publication.content),
    staleTime: Infinity,
  });
  const s = useMemo(
    () =>
      inc.data && witnesses.data && digest.data
        ? checkPublicationInclusion(inc.data, publication, witnesses.data, digest.data)
        : null,
    [inc.data, witnesses.data, publication, digest.data],
  );
  if (!s) return null;
  if (s.status === 'pending') {
    return (
      <Alert
        style={{ marginTop: 16 }}
        type="info"
        showIcon
        data-testid="inclusion-proof"
        data-status="pending"
        message={t('log.pending')}
      />
    );
  }
  if (s.status === 'failed') {
    return (
      <Alert
        style={{ marginTop: 16 }}
        type="error"
        showIcon
        data-testid="inclusion-proof"
        data-status="failed"
        data-changed={s.changed ? 'yes' : 'no'}
        message={t('log.failed')}
        description={s.changed ? t('log.contentChanged') : lang === 'en' ? s.reason : undefined}
      />
    );
  }
  return (
    <Alert
      style={{ marginTop: 16 }}
      type={s.witnessed ? 'success' : 'warning'}
      showIcon
      data-testid="inclusion-proof"
      data-status="verified"
      data-witnessed={s.witnessed ? 'yes' : 'no'}
      message={t('log.verified', { index: s.leafIndex! + 1, size: s.treeSize!, at: fmtTime(s.time) })}
      description={
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('log.root')}>
            <Typography.Text code>{shortHash(s.rootHash)}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('log.witnesses')}>
            <span data-testid="inclusion-witnesses">
              {s.witnessedBy.length
                ? s.witnessedBy.map((w) => <Tag key={w.publicKey}>{w.label ?? w.name}</Tag>)
                : t('log.noWitness')}
            </span>
            {!s.witnessed && <Typography.Text type="warning"> {t('log.needTwo')}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('log.more')}>
            <Link to="/checkpoints">{t('nav.checkpoints')}</Link>
          </Descriptions.Item>
        </Descriptions>
      }
    />
  );
}

/**
 * SPEC §9.1 for a draw page: the commitment publication must be in a checkpoint witnessed by two
 * independent witnesses and dated before the draw's first source time; otherwise the draw is shown
 * as refused. Without `firstSourceTime` (sr-draw/v1 bundles carry none) a failure only warns that
 * the commitment time is not proven. For v2-portal's DrawDetail.
 */
export function DrawCommitmentTime({
  drawId,
  commitmentDigest,
  firstSourceTime,
}: {
  /** The draw (attempt) id: the `refId` of its commitment publication. */
  drawId: string;
  commitmentDigest: string;
  /** ISO time of the draw's first randomness source (sr-draw/v2). */
  firstSourceTime?: string;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const inc = useQuery(trpc.transparency.commitmentInclusion.queryOptions({ drawId }));
  const witnesses = useWitnesses();
  if (!witnesses.data || (!inc.data && !inc.error)) return null;
  const r = commitmentTimeCheck(inc.data, commitmentDigest, witnesses.data, firstSourceTime ?? '');
  const proven =
    r.status === 'proven' || (!firstSourceTime && r.time !== undefined && r.reason === 'no-source-time');
  const message = proven
    ? t('log.commitmentProven', { at: fmtTime(r.time) })
    : r.reason === 'too-late'
      ? t('log.commitmentTooLate', { at: fmtTime(r.time) })
      : firstSourceTime
        ? t('log.commitmentRefused')
        : t('log.commitmentUnproven');
  return (
    <Alert
      style={{ marginBottom: 16 }}
      showIcon
      type={proven ? 'success' : firstSourceTime ? 'error' : 'warning'}
      data-testid="commitment-time"
      data-status={proven ? 'proven' : firstSourceTime ? 'refused' : 'unproven'}
      message={message}
      description={
        r.witnessedBy?.length ? (
          <span data-testid="commitment-witnesses">
            <Typography.Text type="secondary" style={{ marginRight: 8 }}>
              {t('log.witnesses')}
            </Typography.Text>
            {r.witnessedBy.map((w) => (
              <Tag key={w.publicKey}>{w.label ?? w.name}</Tag>
            ))}
          </span>
        ) : undefined
      }
    />
  );
}
