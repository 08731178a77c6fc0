import { Alert, Card, Descriptions, Spin, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n';
import { fmtTime, shortHash } from '@spotcheck/ui/format';
import {
  commitmentLedger,
  duplicateAttempts,
  publishedCommitmentDigest,
  readPrevious,
  readVoidEnvelope,
  type CommitmentEntry,
  type PublicationFull,
} from '../../lib/v2';
import { Mono } from '../common';
import { usePeriodPublications } from './attempts';

const OUTCOME_COLOR = { drawn: 'success', voided: 'error', open: 'default' } as const;

function OutcomeTag({ e }: { e: CommitmentEntry }) {
  const { t } = useI18n();
  const tag = (
    <Tag color={OUTCOME_COLOR[e.outcome]} data-testid="attempt-outcome" data-outcome={e.outcome}>
      {t(`attempts.${e.outcome}`)}
    </Tag>
  );
  if (!e.outcomePublicationId) return tag;
  return (
    <Link
      to={
        e.outcome === 'drawn' ? `/draws/${e.outcomePublicationId}` : `/publication/${e.outcomePublicationId}`
      }
    >
      {tag}
    </Link>
  );
}

/**
 * The chain of attempts of this draw's plan (§1 `previous`, §9.2, §9.4): each attempt with how it
 * ended; for attempt n ≥ 2, what was known when attempt n−1 was voided (randomness, result digest,
 * reason) and who signed the void. Then every commitment of the bureau and period, so a second
 * commitment for the same attempt cannot hide.
 */
export function AttemptChain({
  commitment,
  commitmentDigest,
  bureauCode,
}: {
  commitment: unknown;
  commitmentDigest: string;
  bureauCode: string;
}) {
  const { t, tx } = useI18n();
  const c = commitment as { plan?: { id?: string; period?: string; attempt?: number } };
  const planId = c.plan?.id ?? '';
  const period = c.plan?.period ?? '';
  const previous = readPrevious(commitment);
  const period$ = usePeriodPublications(bureauCode, period);
  const ledger = useMemo(
    () => commitmentLedger(period$.commitments, period$.outcomes),
    [period$.commitments, period$.outcomes],
  );
  const duplicates = useMemo(() => duplicateAttempts(ledger), [ledger]);
  const chain = ledger.filter((e) => e.planId === planId);
  const voidPub: PublicationFull | undefined = previous
    ? period$.outcomes.find(
        (p) => p.kind === 'void' && publishedCommitmentDigest(p.content) === previous.commitmentDigest,
      )
    : undefined;
  const envelope = voidPub ? readVoidEnvelope(voidPub.content) : null;
  const prevCommitment = previous
    ? ledger.find((e) => e.commitmentDigest === previous.commitmentDigest)
    : undefined;

  return (
    <>
      <Card title={t('attempts.title')} style={{ marginTop: 16 }} data-testid="attempt-chain">
        <Typography.Paragraph type="secondary">{t('attempts.intro')}</Typography.Paragraph>
        {!period$.ready ? (
          <Spin />
        ) : (
          <ol style={{ paddingLeft: 20, margin: 0 }} data-testid="attempt-list">
            {chain.map((e) => (
              <li key={e.publicationId} data-testid="attempt-item" data-attempt={e.attempt}>
                <Link to={`/commitments/${e.publicationId}`}>{t('attempts.attempt', { n: e.attempt })}</Link>{' '}
                <OutcomeTag e={e} />
                {e.commitmentDigest === commitmentDigest && <Tag color="blue">{t('attempts.this')}</Tag>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {fmtTime(e.publishedAt)} ·{' '}
                  <Typography.Text code>{shortHash(e.commitmentDigest)}</Typography.Text>
                </Typography.Text>
              </li>
            ))}
          </ol>
        )}
        {previous && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 16 }}
            data-testid="attempt-previous"
            message={t('attempts.previous', { n: previous.attempt })}
            description={
              <Descriptions size="small" column={1} bordered style={{ marginTop: 8, background: '#fff' }}>
                <Descriptions.Item label={t('attempts.reason')}>
                  <span data-testid="attempt-previous-reason">
                    {tx(`voidReason.${previous.reason}`, t('voidReason.other'))}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t('attempts.knownRandomness')}>
                  {previous.randomness ? <Mono>{previous.randomness}</Mono> : t('attempts.notKnown')}
                </Descriptions.Item>
                <Descriptions.Item label={t('attempts.knownResult')}>
                  {previous.resultDigest ? <Mono>{previous.resultDigest}</Mono> : t('attempts.notKnown')}
                </Descriptions.Item>
                {envelope && (
                  <Descriptions.Item label={t('attempts.voidSigner')}>
                    <span data-testid="attempt-void-signer">{envelope.signerName}</span>
                    {envelope.signedAt && ` · ${fmtTime(envelope.signedAt)}`}
                  </Descriptions.Item>
                )}
                {previous.knownVoids !== null && (
                  <Descriptions.Item label={t('attempts.knownVoids')}>
                    {previous.knownVoids}
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('commitment.digest')}>
                  <Mono>{previous.commitmentDigest}</Mono>
                </Descriptions.Item>
                {previous.bundleDigest && (
                  <Descriptions.Item label={t('attempts.previousBundle')}>
                    <Mono>{previous.bundleDigest}</Mono>
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('common.view')}>
                  {voidPub && (
                    <Link to={`/publication/${voidPub.id}`} data-testid="attempt-void-link">
                      {t('attempts.viewVoid')}
                    </Link>
                  )}
                  {prevCommitment && (
                    <>
                      {voidPub && ' · '}
                      <Link to={`/commitments/${prevCommitment.publicationId}`}>
                        {t('attempts.viewCommitment')}
                      </Link>
                    </>
                  )}
                </Descriptions.Item>
              </Descriptions>
            }
          />
        )}
      </Card>
      <Card title={t('ledger.title')} style={{ marginTop: 16 }} data-testid="commitment-ledger">
        <Typography.Paragraph type="secondary">{t('ledger.intro')}</Typography.Paragraph>
        <Table<CommitmentEntry>
          size="small"
          rowKey="publicationId"
          loading={!period$.ready}
          dataSource={ledger}
          pagination={ledger.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          scroll={{ x: 560 }}
          columns={[
            {
              title: t('ledger.plan'),
              dataIndex: 'planId',
              render: (id: string, e) => (
                <>
                  <Link to={`/commitments/${e.publicationId}`}>
                    <Typography.Text code>{id.slice(0, 8)}</Typography.Text>
                  </Link>
                  {duplicates.has(e.publicationId) && (
                    <Tag color="error" style={{ marginLeft: 8 }} data-testid="ledger-duplicate">
                      {t('ledger.duplicate')}
                    </Tag>
                  )}
                </>
              ),
            },
            { title: t('ledger.attempt'), dataIndex: 'attempt', width: 70 },
            {
              title: t('common.publishedAt'),
              dataIndex: 'publishedAt',
              width: 150,
              render: (v: string) => fmtTime(v),
            },
            { title: t('ledger.outcome'), width: 100, render: (_, e) => <OutcomeTag e={e} /> },
            {
              title: t('commitment.digest'),
              dataIndex: 'commitmentDigest',
              width: 150,
              render: (d: string) => (
                <Typography.Text code title={d}>
                  {shortHash(d)}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
