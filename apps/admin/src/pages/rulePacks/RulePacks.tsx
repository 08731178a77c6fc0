import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Table, Tabs, Tag, Typography } from 'antd';
import type { VersionStatus } from '@spotcheck/core';
import { useState } from 'react';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useI18n } from '../../i18n';
import { CITY_BUREAU, holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterOutputs } from '../../lib/types';
import { usePackLabel } from '../../lib/packs';
import { useSession } from '../../session';
import { CasesPanel } from './Cases';
import { DiffPanel } from './Diff';
import { ExplainPanel } from './Explain';
import { FilesPanel } from './Files';
import { SimulatePanel } from './Simulate';

/** One rule pack version as listed. */
export type PackVersion = RouterOutputs['rulePacks']['list'][number];

/**
 * Rule packs (R14, B4): every pack version (packs are public law); city admins author the city
 * pack and district admins their district's, others read. Per version: files with live
 * validation, cases, why a unit is classified as it is, diff against another version, and a
 * simulated year against inspector capacity.
 */
export default function RulePacksPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const bureaus = useBureaus();
  const packLabel = usePackLabel();
  const list = useQuery(trpc.rulePacks.list.queryOptions());
  const all = list.data ?? [];
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [tab, setTab] = useState('files');
  // Default: the published pack of the user's own bureau, else the city's.
  const preferred =
    all.find((v) => v.inForce && v.bureauCode === user.bureauCode) ??
    all.find((v) => v.inForce && v.bureauCode === CITY_BUREAU) ??
    all[0];
  const current = all.find((v) => v.id === selectedId) ?? preferred;
  const canAuthor = !!current && holds(user.roles, ['city-admin', 'district-admin'], current.bureauCode);
  return (
    <>
      <PageTitle title={t('nav.rulePacks')} sub={t('rulePack.sub')} />
      <ErrorAlert error={list.error} />
      <Row gutter={16}>
        <Col xs={24} xl={7}>
          <Card title={t('rulePack.versions')} size="small">
            <Table<PackVersion>
              rowKey="id"
              size="small"
              pagination={false}
              loading={list.isFetching}
              dataSource={all}
              data-testid="rule-pack-versions"
              onRow={(v) => ({
                onClick: () => setSelectedId(v.id),
                style: { cursor: 'pointer', background: v.id === current?.id ? '#e6f0ff' : undefined },
              })}
              columns={[
                {
                  title: t('rulePack.pack'),
                  dataIndex: 'packId',
                  render: (id: string, v) => (
                    <>
                      <Typography.Text strong>{packLabel(id)}</Typography.Text>
                      <div>
                        <Typography.Text type="secondary">{bureaus.name(v.bureauCode)}</Typography.Text>
                      </div>
                    </>
                  ),
                },
                { title: t('rulePack.version'), dataIndex: 'version', width: 70 },
                {
                  title: t('common.status'),
                  dataIndex: 'status',
                  width: 110,
                  render: (s: VersionStatus, v) => (
                    <>
                      <StatusTag status={s} label={t(`version.${s}`)} />
                      {s === 'published' && (
                        <Tag
                          color={v.inForce ? 'green' : 'gold'}
                          data-testid={`rule-pack-row-force-${v.version}`}
                        >
                          {v.inForce
                            ? t('rulePack.inForce')
                            : t('rulePack.effectiveFrom', { date: v.effective })}
                        </Tag>
                      )}
                      {s === 'draft' && (
                        <Tag data-testid={`rule-pack-row-review-${v.version}`}>
                          {t(`authoring.review.${v.review}`)}
                        </Tag>
                      )}
                    </>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={17}>
          {current && (
            <Card
              size="small"
              title={
                <>
                  {packLabel(current.packId, current.version)}{' '}
                  <StatusTag status={current.status} label={t(`version.${current.status}`)} />
                  {canAuthor && <Tag color="blue">{t('rulePack.author')}</Tag>}
                </>
              }
              extra={
                <Typography.Text type="secondary">
                  {`${t('rulePack.effective')} ${current.effective} · ${t('rulePack.digest')} ${(current.digest ?? '').slice(0, 12)}… · ${fmtTime(current.publishedAt ?? current.createdAt)}`}
                </Typography.Text>
              }
            >
              <Tabs
                activeKey={tab}
                onChange={setTab}
                destroyOnHidden
                items={[
                  {
                    key: 'files',
                    label: <span data-testid="rule-pack-tab-files">{t('rulePack.tab.files')}</span>,
                    children: (
                      <FilesPanel
                        key={current.id}
                        version={current}
                        canAuthor={canAuthor}
                        onUploaded={(id) => setSelectedId(id)}
                      />
                    ),
                  },
                  {
                    key: 'cases',
                    label: <span data-testid="rule-pack-tab-cases">{t('rulePack.tab.cases')}</span>,
                    children: <CasesPanel key={current.id} version={current} />,
                  },
                  {
                    key: 'explain',
                    label: <span data-testid="rule-pack-tab-explain">{t('rulePack.tab.explain')}</span>,
                    children: <ExplainPanel key={current.id} version={current} />,
                  },
                  {
                    key: 'diff',
                    label: <span data-testid="rule-pack-tab-diff">{t('rulePack.tab.diff')}</span>,
                    children: <DiffPanel key={current.id} version={current} all={all} />,
                  },
                  {
                    key: 'simulate',
                    label: <span data-testid="rule-pack-tab-simulate">{t('rulePack.tab.simulate')}</span>,
                    children: <SimulatePanel key={current.id} version={current} />,
                  },
                ]}
              />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
