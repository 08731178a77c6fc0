import { PrinterOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Commitment, CommitmentV2, SignOff, SourceSpecV2 } from '@spotcheck/core';
import { stratumName } from '@spotcheck/core';
import { StrataTable } from '@spotcheck/ui/draw';
import { fmtTime } from '@spotcheck/ui/format';
import { useTRPC } from '@spotcheck/ui/trpc';
import { ErrorAlert, StatusTag } from '../../components/common';
import { useI18n } from '../../i18n';
import { sourceLabel } from '../../lib/sources';
import type { RouterOutputs } from '../../lib/types';

type Draw = RouterOutputs['draws']['get'];
type Summary = NonNullable<Draw['summary']>;
type SelectedRow = RouterOutputs['draws']['selected']['rows'][number];
type Attempt = RouterOutputs['plans']['get']['attempts'][number];

/**
 * A draw attempt's commitment as printed and published (R8): the digests of every input, the
 * sources, the strata, then the randomness and the sign-off once they exist.
 */
export function CommitmentCard({ draw: d }: { draw: Draw }) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const voidReasons = useQuery(trpc.draws.voidReasons.queryOptions());
  const commitment = d.commitment as Commitment;
  const c2 =
    (d.commitment as { algorithm?: string }).algorithm === 'sr-draw/v2'
      ? (d.commitment as CommitmentV2)
      : undefined;
  const signOff = (d as { signOff?: SignOff | null }).signOff ?? null;
  const randomness = d.randomness as { values: unknown[]; string: string } | null;
  /** A void reason in words (the server's zh/en pair), or its id while they load. */
  const voidReason = (id: string) => {
    const pair = (voidReasons.data as Record<string, readonly [string, string]> | undefined)?.[id];
    return pair ? pair[lang === 'zh' ? 0 : 1] : id;
  };
  return (
    <Card
      title={`${t('draw.commitment')} · ${t('draw.attempt', { n: d.attempt })}`}
      extra={
        <Button className="no-print" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('draw.printCommitment')}
        </Button>
      }
      className="printable"
      data-testid="draw-commitment"
    >
      <Descriptions size="small" bordered column={1}>
        <Descriptions.Item label={t('draw.commitmentDigest')}>
          <Typography.Text code copyable>
            {d.commitmentDigest}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('draw.committedAt')}>{fmtTime(d.committedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('draw.rulePack')}>
          {c2
            ? c2.rulePacks.map((r) => `${r.id}@${r.version}`).join('；')
            : `${commitment.rulePack.id}@${commitment.rulePack.version}`}
        </Descriptions.Item>
        <Descriptions.Item
          label={t('draw.checklist')}
        >{`${t('checklist.version')} ${commitment.checklist.version} · ${commitment.checklist.digest.slice(0, 16)}…`}</Descriptions.Item>
        <Descriptions.Item
          label={t('draw.frame')}
        >{`${commitment.frame.count} · ${commitment.frame.digest.slice(0, 16)}…`}</Descriptions.Item>
        <Descriptions.Item
          label={t('draw.inspectors')}
        >{`${commitment.inspectors.count} · ${commitment.inspectors.digest.slice(0, 16)}…`}</Descriptions.Item>
        {c2 && (
          <Descriptions.Item label={t('plan.commitment.excludedExperts')}>
            {`${c2.excluded.count} · ${c2.excluded.digest.slice(0, 16)}… / ${c2.experts.count}`}
          </Descriptions.Item>
        )}
        {c2?.previous && (
          <Descriptions.Item label={t('draw.attempts')}>
            {`#${c2.previous.attempt} · ${voidReason(c2.previous.reason)} · ${c2.previous.bundleDigest.slice(0, 16)}… · ${t('draw.knownVoids', { n: c2.previous.knownVoids })}`}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('plan.sources')}>
          {(commitment.sources as unknown as SourceSpecV2[])
            .map((s) => sourceLabel(s, t('v2.demoBeacon')))
            .join('；')}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.strata')}>
          {commitment.strata.map((s) => (
            <Tag
              key={s.id}
            >{`${stratumName(s.id, lang)} · ${t(`plan.method.${s.method}`)} · ${s.quota}`}</Tag>
          ))}
        </Descriptions.Item>
        {randomness && (
          <Descriptions.Item label={t('draw.randomness.string')}>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {randomness.string}
            </Typography.Text>
          </Descriptions.Item>
        )}
        {signOff && (
          <>
            <Descriptions.Item label={t('draw.resultDigest')}>
              <Typography.Text code>{d.resultDigest}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('v2.signer')}>
              {`${signOff.signer.name} · ${t('v2.keyId')} ${signOff.signer.keyId.slice(0, 16)}…`}
            </Descriptions.Item>
            <Descriptions.Item label={t('draw.signature')}>
              <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="draw-signature">
                {signOff.signature}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('draw.signedAt')}>{fmtTime(signOff.signedAt)}</Descriptions.Item>
          </>
        )}
        {d.signature && !signOff && (
          <>
            <Descriptions.Item label={t('draw.resultDigest')}>
              <Typography.Text code>{d.resultDigest}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('draw.signature')}>
              <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="draw-signature">
                {d.signature}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('draw.signerKey')}>
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {d.signerPublicKey}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('draw.signedAt')}>{fmtTime(d.signedAt)}</Descriptions.Item>
          </>
        )}
      </Descriptions>
    </Card>
  );
}

/** Units per page of the draw's result (the server gives at most 200). */
const RESULT_PAGE = 20;

/**
 * A draw's result: the strata, any overloaded officer, and the selected units with their teams by
 * name, a page at a time from the server (a city draw selects 2·10^5 units; issue 16).
 */
export function DrawResultCard({ drawId, summary }: { drawId: string; summary: Summary }) {
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const selected = useQuery({
    ...trpc.draws.selected.queryOptions({
      drawId,
      offset: (page - 1) * RESULT_PAGE,
      limit: RESULT_PAGE,
      ...(search ? { search } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const unknown = t('draw.notOnRoster');
  const names = (people: { name: string | null }[]) => people.map((p) => p.name ?? unknown).join('、');
  return (
    <Card title={t('draw.result')} className="no-print" data-testid="draw-result">
      <StrataTable result={summary} style={{ marginBottom: 16 }} />
      {summary.overloads.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('draw.overloads')}
          description={summary.overloads
            .map((o) => `${o.name ?? unknown}（${t(`draw.officer.${o.kind}`)}）: ${o.load}/${o.capacity}`)
            .join('；')}
        />
      )}
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          style={{ width: 320 }}
          placeholder={t('draw.searchUnit')}
          onSearch={(v) => (setSearch(v.trim()), setPage(1))}
          data-testid="draw-result-search"
        />
      </Space>
      <ErrorAlert error={selected.error} />
      <Table<SelectedRow>
        rowKey="unitId"
        size="small"
        loading={selected.isFetching}
        dataSource={selected.data?.rows ?? []}
        data-testid="draw-result-table"
        pagination={{
          current: page,
          pageSize: RESULT_PAGE,
          total: selected.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('draw.selectedTotal', { n }),
          onChange: setPage,
        }}
        columns={[
          { title: t('draw.sequence'), dataIndex: 'sequence', width: 70 },
          {
            title: t('draw.unit'),
            key: 'unit',
            render: (_: unknown, r: SelectedRow) => (
              <Link to={`/rosters/units/${encodeURIComponent(r.unitId)}`}>{r.unitName ?? unknown}</Link>
            ),
          },
          {
            title: t('plan.stratum'),
            dataIndex: 'stratum',
            render: (id: string) => stratumName(id, lang),
          },
          {
            title: t('draw.reason'),
            dataIndex: 'reason',
            render: (r: string) => tx(`draw.reason.${r}`, r),
          },
          {
            title: t('draw.key'),
            dataIndex: 'key',
            render: (k: string) => <Typography.Text code>{k.slice(0, 12)}…</Typography.Text>,
          },
          { title: t('draw.team'), dataIndex: 'team', render: (team: SelectedRow['team']) => names(team) },
          {
            title: t('draw.expert'),
            dataIndex: 'expert',
            render: (e: SelectedRow['expert']) => (e ? (e.name ?? unknown) : '—'),
          },
        ]}
      />
    </Card>
  );
}

/** Every attempt of a plan's draw, voided ones included, with why. */
export function AttemptsCard({ attempts }: { attempts: Attempt[] }) {
  const { t } = useI18n();
  return (
    <Card title={t('draw.attempts')} className="no-print">
      {attempts.length ? (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={attempts}
          columns={[
            { title: '#', dataIndex: 'attempt', width: 50 },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: Attempt['status']) => <StatusTag status={s} label={t(`draw.status.${s}`)} />,
            },
            {
              title: t('draw.commitmentDigest'),
              dataIndex: 'commitmentDigest',
              render: (h: string) => <Typography.Text code>{h.slice(0, 16)}…</Typography.Text>,
            },
            { title: t('draw.committedAt'), dataIndex: 'committedAt', render: fmtTime },
            { title: t('draw.signedAt'), dataIndex: 'signedAt', render: fmtTime },
            { title: t('common.reason'), dataIndex: 'voidReason' },
          ]}
        />
      ) : (
        <Empty />
      )}
    </Card>
  );
}
