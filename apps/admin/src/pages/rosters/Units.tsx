import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { CREDIT_GRADES, RISK_GRADES } from '@spotcheck/core';
import { ErrorAlert, PageTitle, RiskTag, StatusTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { UnitCreateModal } from '../../components/roster/UnitCreateModal';
import { ExportButtons, ImportButton } from '../../components/Transfer';
import { UNIT_FLAGS } from '../../components/unitFlags';
import { useI18n } from '../../i18n';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { holds } from '../../lib/access';
import { INDUSTRIES, industryLabel, VOCAB_SEARCH, vocabOptions } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';

type Unit = RouterOutputs['units']['list']['rows'][number];
const PAGE = 50;

/** The target roster 随机抽查对象名录库: filterable, paged, exportable. */
export default function UnitsPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const { bureauCode } = useBureauScope();
  const bureaus = useBureaus();
  const [filters, setFilters] = useState<{
    industry?: string;
    riskGrade?: (typeof RISK_GRADES)[number];
    status?: 'active' | 'closed';
    q?: string;
  }>({});
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const input = { ...filters, bureauCode, limit: PAGE, offset: (page - 1) * PAGE };
  const list = useQuery({ ...trpc.units.list.queryOptions(input), placeholderData: keepPreviousData });
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const [creating, setCreating] = useState(false);
  const isAdmin = holds(user.roles, ['city-admin', 'district-admin'], bureauCode);

  return (
    <>
      <PageTitle
        title={t('nav.units')}
        extra={
          <>
            {isAdmin && (
              <>
                <Button type="primary" onClick={() => setCreating(true)} data-testid="unit-create">
                  {t('unit.create')}
                </Button>
                <ImportButton kind="units" refreshKey={trpc.units.pathKey()} />
              </>
            )}
            <ExportButtons kind="units" />
          </>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            placeholder={t('unit.searchPlaceholder')}
            allowClear
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => {
              setFilters((f) => ({ ...f, q: v || undefined }));
              setPage(1);
            }}
            style={{ width: 260 }}
            data-testid="units-search"
          />
          <Select
            allowClear
            placeholder={t('unit.industry')}
            style={{ width: 180 }}
            options={vocabOptions(INDUSTRIES, lang)}
            showSearch={VOCAB_SEARCH}
            value={filters.industry}
            onChange={(v?: string) => {
              setFilters((f) => ({ ...f, industry: v }));
              setPage(1);
            }}
          />
          <Select
            allowClear
            placeholder={t('unit.riskGrade')}
            style={{ width: 150 }}
            options={RISK_GRADES.map((g) => ({ value: g, label: t(`risk.${g}`) }))}
            value={filters.riskGrade}
            onChange={(v?: (typeof RISK_GRADES)[number]) => {
              setFilters((f) => ({ ...f, riskGrade: v }));
              setPage(1);
            }}
          />
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 120 }}
            options={[
              { value: 'active', label: t('unit.active') },
              { value: 'closed', label: t('unit.closed') },
            ]}
            value={filters.status}
            onChange={(v?: 'active' | 'closed') => {
              setFilters((f) => ({ ...f, status: v }));
              setPage(1);
            }}
          />
        </Space>
        <ErrorAlert error={list.error} />
        <Table<Unit>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          data-testid="units-table"
          scroll={{ x: 1100 }}
          pagination={{
            current: page,
            pageSize: PAGE,
            total,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (n) =>
              list.data?.totalCapped ? t('common.totalAtLeast', { n }) : t('common.total', { n }),
          }}
          columns={[
            {
              title: t('unit.id'),
              dataIndex: 'id',
              width: 190,
              render: (id: string) => <Link to={`/rosters/units/${id}`}>{id}</Link>,
            },
            {
              title: t('unit.name'),
              dataIndex: 'name',
              render: (n: string, u) => <Link to={`/rosters/units/${u.id}`}>{n}</Link>,
            },
            {
              title: t('common.bureau'),
              dataIndex: 'bureauCode',
              width: 130,
              render: (c: string) => bureaus.name(c),
            },
            {
              title: t('unit.industry'),
              dataIndex: 'industry',
              width: 130,
              render: (v: string) => industryLabel(v, lang),
            },
            {
              title: t('unit.riskGrade'),
              dataIndex: 'riskGrade',
              width: 110,
              render: (_: unknown, r) => <RiskTag grade={r.riskGrade} />,
            },
            {
              title: t('unit.creditGrade'),
              dataIndex: 'creditGrade',
              width: 80,
              render: (g: (typeof CREDIT_GRADES)[number]) => (
                <Tag color={g === 'D' ? 'red' : g === 'C' ? 'orange' : 'default'}>{g}</Tag>
              ),
            },
            {
              title: t('unit.flags'),
              key: 'flags',
              render: (_: unknown, u) =>
                UNIT_FLAGS.filter((f) => u[f]).map((f) => <Tag key={f}>{t(`flag.${f}`)}</Tag>),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 90,
              render: (_: unknown, r) => <StatusTag status={r.status} label={t(`unit.${r.status}`)} />,
            },
          ]}
        />
      </Card>
      <UnitCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        bureauCode={bureauCode ?? user.bureauCode}
      />
    </>
  );
}
