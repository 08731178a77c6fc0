import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Dropdown, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { INSPECTOR_STATUSES, type InspectorStatus } from '@spotcheck/core';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { InspectorCreateModal, InspectorEditModal } from '../../components/roster/InspectorModals';
import { ExportButtons, ImportButton } from '../../components/Transfer';
import { useI18n } from '../../i18n';
import { holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { specialtyLabel } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';

type Inspector = RouterOutputs['inspectors']['list'][number];

/** The inspector roster 执法人员名录库 (R3): status changes are join / suspend / leave. */
export default function InspectorsPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const [status, setStatus] = useState<InspectorStatus | undefined>();
  const [specialty, setSpecialty] = useState<string | undefined>();
  const list = useQuery({
    ...trpc.inspectors.list.queryOptions({ bureauCode, status, limit: 1000, offset: 0 }),
    placeholderData: keepPreviousData,
  });
  const change = useMutation(
    trpc.inspectors.setStatus.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.inspectors.pathKey() }),
    }),
  );
  const rows = (list.data ?? []).filter((i) => !specialty || i.specialties.includes(specialty));
  const specialties = [...new Set((list.data ?? []).flatMap((i) => i.specialties))].sort();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Inspector | null>(null);
  const isAdmin = holds(user.roles, ['city-admin', 'district-admin'], bureauCode);
  return (
    <>
      <PageTitle
        title={t('nav.inspectors')}
        extra={
          <>
            {isAdmin && (
              <>
                <Button type="primary" onClick={() => setCreating(true)} data-testid="inspector-create">
                  {t('inspector.create')}
                </Button>
                <ImportButton kind="inspectors" refreshKey={trpc.inspectors.pathKey()} />
              </>
            )}
            <ExportButtons kind="inspectors" />
          </>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 140 }}
            value={status}
            onChange={(v?: InspectorStatus) => setStatus(v)}
            options={INSPECTOR_STATUSES.map((s) => ({ value: s, label: t(`inspector.status.${s}`) }))}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'search' }}
            placeholder={t('inspector.specialties')}
            style={{ width: 200 }}
            value={specialty}
            onChange={(v?: string) => setSpecialty(v)}
            options={specialties.map((s) => ({
              value: s,
              label: specialtyLabel(s, lang),
              search: `${s} ${specialtyLabel(s, 'zh')} ${specialtyLabel(s, 'en')}`,
            }))}
          />
          <span>{t('common.total', { n: rows.length })}</span>
        </Space>
        <ErrorAlert error={list.error ?? change.error} />
        <Table<Inspector>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          data-testid="inspectors-table"
          pagination={{ pageSize: 50, showSizeChanger: false }}
          scroll={{ x: 1100 }}
          columns={[
            { title: t('inspector.id'), dataIndex: 'id', width: 140 },
            { title: t('inspector.name'), dataIndex: 'name', width: 90 },
            { title: t('inspector.certificateNo'), dataIndex: 'certificateNo', width: 150 },
            {
              title: t('common.bureau'),
              dataIndex: 'bureauCode',
              width: 130,
              render: (c: string) => bureaus.name(c),
            },
            { title: t('inspector.department'), dataIndex: 'department' },
            {
              title: t('inspector.specialties'),
              dataIndex: 'specialties',
              render: (s: string[]) => s.map((x) => <Tag key={x}>{specialtyLabel(x, lang)}</Tag>),
            },
            { title: t('inspector.capacity'), dataIndex: 'capacityPerQuarter', width: 100 },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 90,
              render: (_: unknown, r) => (
                <StatusTag status={r.status} label={t(`inspector.status.${r.status}`)} />
              ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 170,
              render: (_: unknown, i) =>
                holds(user.roles, ['city-admin', 'district-admin'], i.bureauCode) ? (
                  <Space size={4}>
                    <Button size="small" onClick={() => setEditing(i)} data-testid={`inspector-edit-${i.id}`}>
                      {t('inspector.edit')}
                    </Button>
                    <Dropdown
                      menu={{
                        items: INSPECTOR_STATUSES.filter((s) => s !== i.status).map((s) => ({
                          key: s,
                          label: t(`inspector.status.${s}`),
                        })),
                        onClick: (e) => change.mutate({ id: i.id, status: e.key as InspectorStatus }),
                      }}
                    >
                      <Button size="small">{t('inspector.setStatus')}</Button>
                    </Dropdown>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <InspectorEditModal inspector={editing} onClose={() => setEditing(null)} />
      <InspectorCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        bureauCode={bureauCode ?? user.bureauCode}
      />
    </>
  );
}
