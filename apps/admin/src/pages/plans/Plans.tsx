import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PLAN_STATUSES, type PlanStatus } from '@spotcheck/core';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n } from '../../i18n';
import { holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';

type Plan = RouterOutputs['plans']['list'][number];

/** Inspection plans of the bureaus in reach, newest first. */
export default function PlansPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const bureaus = useBureaus();
  const navigate = useNavigate();
  const { bureauCode } = useBureauScope();
  const [period, setPeriod] = useState<string | undefined>();
  const [status, setStatus] = useState<PlanStatus | undefined>();
  const list = useQuery(trpc.plans.list.queryOptions({ bureauCode, period, status }));
  const canPlan = holds(user.roles, ['city-admin', 'district-admin', 'draw-operator']);
  return (
    <>
      <PageTitle
        title={t('plan.list')}
        extra={
          canPlan && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/plans/new')}
              data-testid="plan-new"
            >
              {t('plan.new')}
            </Button>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder="2027-Q1"
            onSearch={(v) => setPeriod(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/.test(v) ? v : undefined)}
            style={{ width: 160 }}
          />
          <Select
            allowClear
            placeholder={t('plan.status')}
            style={{ width: 160 }}
            value={status}
            onChange={(v?: PlanStatus) => setStatus(v)}
            options={PLAN_STATUSES.map((s) => ({ value: s, label: t(`plan.status.${s}`) }))}
          />
        </Space>
        <ErrorAlert error={list.error} />
        <Table<Plan>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          data-testid="plans-table"
          pagination={{ pageSize: 30 }}
          columns={[
            {
              title: t('plan.title'),
              dataIndex: 'title',
              render: (v: string, p) => <Link to={`/plans/${p.id}`}>{v}</Link>,
            },
            { title: t('plan.period'), dataIndex: 'period', width: 100 },
            {
              title: t('plan.kind'),
              dataIndex: 'kind',
              width: 110,
              render: (k: Plan['kind']) => t(`kind.${k}`),
            },
            {
              title: t('common.bureau'),
              dataIndex: 'bureauCode',
              width: 140,
              render: (c: string) => bureaus.name(c),
            },
            {
              title: t('plan.status'),
              dataIndex: 'status',
              width: 130,
              render: (s: Plan['status']) => <StatusTag status={s} label={t(`plan.status.${s}`)} />,
            },
            { title: t('common.created'), dataIndex: 'createdAt', width: 150, render: fmtTime },
          ]}
        />
      </Card>
    </>
  );
}
