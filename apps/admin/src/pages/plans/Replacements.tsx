import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ReplacementRecordV2 } from '@spotcheck/core';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { useTRPC } from '@spotcheck/ui/trpc';

interface ReplaceForm {
  unitId: string;
  inspectorId: string;
  reason: 'unavailable' | 'avoid';
  note: string;
}

/**
 * Team member replacements of a signed sr-draw/v2 draw (§9.6): who leaves and why is entered here;
 * who joins is computed by the server from the unit's committed shuffle and shown after saving.
 * The records, each with the verifier's line, are listed below the form. Units are found by name
 * on the server (a city draw selects 2·10^5 of them) and teams are shown by name.
 */
export function ReplacementsCard({ drawId, canReplace }: { drawId: string; canReplace: boolean }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form] = Form.useForm<ReplaceForm>();
  const list = useQuery(trpc.draws.replacements.queryOptions({ drawId }));
  const replace = useMutation(
    trpc.draws.replaceMember.mutationOptions({
      onSuccess: async () => {
        form.resetFields();
        setTeam([]);
        await qc.invalidateQueries({ queryKey: trpc.draws.pathKey() });
      },
    }),
  );
  const records = (list.data?.records ?? []) as ReplacementRecordV2[];
  const [query, setQuery] = useState('');
  // The units matching what is typed, each with its team after earlier replacements.
  const matches = useQuery({
    ...trpc.draws.selected.queryOptions({ drawId, limit: 20, ...(query ? { search: query } : {}) }),
    placeholderData: keepPreviousData,
    enabled: canReplace,
  });
  /** The chosen unit's team, taken from the match chosen (no second request to wait for). */
  const [team, setTeam] = useState<{ id: string; name: string | null }[]>([]);
  const unknown = t('draw.notOnRoster');
  const unitName = (id: string) => list.data?.names.units[id] ?? unknown;
  const person = (id: string) => list.data?.names.inspectors[id] ?? unknown;
  const lineOf = (n: number) => list.data?.report?.checks.find((c) => c.id === `replacement.${n}`);
  const reason = (r: string) =>
    t(r === 'avoid' ? 'v2.replace.reason.avoid' : 'v2.replace.reason.unavailable');
  return (
    <Card className="no-print" title={t('v2.replace.title')} data-testid="replacements-admin">
      <Alert type="info" showIcon title={t('v2.replace.hint')} style={{ marginBottom: 16 }} />
      {canReplace && (
        <Form<ReplaceForm>
          form={form}
          layout="inline"
          initialValues={{ reason: 'unavailable' }}
          onFinish={(v) => replace.mutate({ drawId, ...v })}
          style={{ marginBottom: 16, rowGap: 8 }}
        >
          <Form.Item name="unitId" label={t('draw.unit')} rules={[{ required: true }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: (v) => setQuery(v.trim()) }}
              style={{ width: 300 }}
              placeholder={t('draw.searchUnit')}
              loading={matches.isFetching}
              options={(matches.data?.rows ?? []).map((r) => ({
                value: r.unitId,
                label: `${r.sequence}. ${r.unitName ?? unknown}`,
              }))}
              onChange={(value: string) => {
                form.setFieldValue('inspectorId', undefined);
                setTeam(matches.data?.rows.find((r) => r.unitId === value)?.team ?? []);
              }}
              data-testid="replace-unit"
            />
          </Form.Item>
          <Form.Item name="inspectorId" label={t('v2.replace.out')} rules={[{ required: true }]}>
            <Select
              style={{ width: 180 }}
              options={team.map((m) => ({ value: m.id, label: m.name ?? unknown }))}
              data-testid="replace-member"
            />
          </Form.Item>
          <Form.Item name="reason" label={t('v2.replace.reason')} rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={(['unavailable', 'avoid'] as const).map((r) => ({ value: r, label: reason(r) }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('v2.replace.note')} rules={[{ required: true, min: 4 }]}>
            <Input style={{ width: 220 }} data-testid="replace-note" />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" loading={replace.isPending} data-testid="replace-submit">
              {t('v2.replace.submit')}
            </Button>
          </Form.Item>
        </Form>
      )}
      <ErrorAlert error={replace.error ?? list.error} />
      <Table
        size="small"
        rowKey="number"
        pagination={false}
        dataSource={records}
        locale={{ emptyText: t('v2.replace.none') }}
        columns={[
          { title: '#', dataIndex: 'number', width: 50 },
          { title: t('draw.unit'), dataIndex: 'unit', width: 200, render: unitName },
          {
            title: t('v2.replace.change'),
            key: 'change',
            render: (_: unknown, r: ReplacementRecordV2) => `${person(r.out)} → ${person(r.in)}`,
          },
          {
            title: t('v2.replace.reason'),
            dataIndex: 'reason',
            render: (r: string) => <Tag>{reason(r)}</Tag>,
          },
          {
            title: t('v2.replace.skipped'),
            dataIndex: 'skipped',
            render: (s: [string, string][]) =>
              s.length ? s.map(([id, why]) => `${person(id)}（${reason(why)}）`).join('、') : '—',
          },
          { title: t('v2.replace.at'), dataIndex: 'recordedAt', render: (x: string) => fmtTime(x) },
          {
            title: t('v2.replace.check'),
            key: 'check',
            render: (_: unknown, r: ReplacementRecordV2) => (
              <Space>
                <Tag color={lineOf(r.number)?.status === 'pass' ? 'green' : 'red'}>
                  {lineOf(r.number)?.status === 'pass' ? t('v2.replace.ok') : t('v2.replace.bad')}
                </Tag>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
