import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { teamsAfterReplacements, type DrawResultV2, type ReplacementRecordV2 } from '@spotcheck/core';
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
 * The records, each with the verifier's line, are listed below the form.
 */
export function ReplacementsCard({
  drawId,
  result,
  canReplace,
}: {
  drawId: string;
  result: DrawResultV2;
  canReplace: boolean;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form] = Form.useForm<ReplaceForm>();
  const list = useQuery(trpc.draws.replacements.queryOptions({ drawId }));
  const replace = useMutation(
    trpc.draws.replaceMember.mutationOptions({
      onSuccess: async () => {
        form.resetFields();
        await qc.invalidateQueries({ queryKey: trpc.draws.pathKey() });
      },
    }),
  );
  const records = (list.data?.records ?? []) as ReplacementRecordV2[];
  const teams = teamsAfterReplacements({ result }, records);
  const unitId = Form.useWatch('unitId', form);
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
              showSearch
              style={{ width: 260 }}
              options={result.selected.map((s) => ({ value: s.unit, label: `${s.sequence}. ${s.unit}` }))}
              onChange={() => form.setFieldValue('inspectorId', undefined)}
              data-testid="replace-unit"
            />
          </Form.Item>
          <Form.Item name="inspectorId" label={t('v2.replace.out')} rules={[{ required: true }]}>
            <Select
              style={{ width: 180 }}
              options={(unitId ? (teams.get(unitId) ?? []) : []).map((i) => ({ value: i, label: i }))}
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
          { title: t('draw.unit'), dataIndex: 'unit', width: 200 },
          {
            title: t('v2.replace.change'),
            key: 'change',
            render: (_: unknown, r: ReplacementRecordV2) => `${r.out} → ${r.in}`,
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
              s.length ? s.map(([id, why]) => `${id}（${reason(why)}）`).join('、') : '—',
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
