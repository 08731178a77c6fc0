import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { isOneOf, RESULT_OUTCOMES } from '@spotcheck/core';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../components/common';
import { useBureauScope } from '../components/Layout';
import { PublicationStateTag, Withholdable } from '../components/PublicationStatus';
import { useI18n } from '../i18n';
import { holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { errorMessage } from '../lib/errors';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterOutputs } from '../lib/types';
import { useSession } from '../session';

type Quarter = RouterOutputs['publications']['quarterStatus']['quarters'][number];
type Item = RouterOutputs['publications']['previewQuarterlyResults']['items'][number];

/** Quarterly publication of results (R15): schedule on the PRC calendar, state, preview, publish now. */
export default function PublicationPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const status = useQuery(trpc.publications.quarterStatus.queryOptions({ bureauCode }));
  const [preview, setPreview] = useState<Quarter | null>(null);
  const previewQ = useQuery({
    ...trpc.publications.previewQuarterlyResults.queryOptions({
      bureauCode: preview?.bureauCode ?? '',
      period: preview?.period ?? '',
    }),
    enabled: !!preview,
  });
  const publish = useMutation(
    trpc.publications.publishQuarterlyResults.mutationOptions({
      onSuccess: async (p) => {
        message.success(`${t('pub.published')}：${p.title}`);
        setPreview(null);
        await qc.invalidateQueries({ queryKey: trpc.publications.quarterStatus.queryKey() });
        await qc.invalidateQueries({ queryKey: trpc.publications.previewQuarterlyResults.queryKey() });
      },
      onError: (e) => message.error(errorMessage(e, lang)),
    }),
  );
  const canPublish = (q: Quarter) =>
    q.state !== 'open' && holds(user.roles, ['district-admin', 'city-admin'], q.bureauCode);
  return (
    <>
      <PageTitle title={t('pub.title')} sub={t('pub.sub')} />
      <ErrorAlert error={status.error} />
      {(status.data?.reminders ?? []).length > 0 && (
        <Card title={t('pub.reminders')} style={{ marginBottom: 16 }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {status.data!.reminders.map((r) => (
              <Alert
                key={r.id}
                type={r.level === 'overdue' ? 'error' : 'warning'}
                showIcon
                message={t(`pub.reminder.${r.level}`, {
                  bureau: bureaus.name(r.bureauCode),
                  period: r.subject,
                  due: r.dueOn,
                })}
              />
            ))}
          </Space>
        </Card>
      )}
      <Card>
        <Table<Quarter>
          rowKey={(q) => `${q.bureauCode}:${q.period}`}
          data-testid="publication-table"
          loading={status.isFetching && !status.data}
          dataSource={status.data?.quarters ?? []}
          pagination={false}
          scroll={{ x: 1000 }}
          columns={[
            { title: t('pub.bureau'), key: 'b', render: (_: unknown, q) => bureaus.name(q.bureauCode) },
            { title: t('pub.period'), dataIndex: 'period' },
            { title: t('pub.remindOn'), dataIndex: 'remindOn' },
            { title: t('pub.publishOn'), dataIndex: 'publishOn' },
            {
              title: t('pub.dueOn'),
              key: 'due',
              render: (_: unknown, q) => (
                <Space size={4}>
                  {q.dueOn}
                  {!q.calendarKnown && (
                    <Tooltip title={t('pub.calendarUnknown')}>
                      <Tag color="warning">!</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: t('pub.state'),
              key: 's',
              render: (_: unknown, q) => (
                <Space direction="vertical" size={0}>
                  <PublicationStateTag state={q.state} />
                  {(q.state === 'upcoming' || q.state === 'due-soon') && (
                    <Typography.Text type="secondary">
                      {t('pub.workdaysLeft', { n: q.workdaysLeft })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('pub.pending'), dataIndex: 'pending' },
            { title: t('pub.publishedAt'), key: 'at', render: (_: unknown, q) => fmtTime(q.publishedAt) },
            {
              title: '',
              key: 'act',
              render: (_: unknown, q) =>
                q.state === 'open' ? null : (
                  <Button size="small" onClick={() => setPreview(q)} data-testid={`preview-${q.period}`}>
                    {t('pub.preview')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!preview}
        width={900}
        title={
          preview
            ? `${bureaus.name(preview.bureauCode)} · ${t('pub.preview.title', { period: preview.period })}`
            : ''
        }
        onCancel={() => setPreview(null)}
        footer={
          preview && canPublish(preview) ? (
            <Popconfirm
              title={preview.publishedAt ? t('pub.publishSupplement') : t('pub.publishNow')}
              onConfirm={() => publish.mutate({ bureauCode: preview.bureauCode, period: preview.period })}
              disabled={!previewQ.data || (preview.publishedAt !== null && previewQ.data.items.length === 0)}
            >
              <Button
                type="primary"
                loading={publish.isPending}
                disabled={
                  !previewQ.data || (preview.publishedAt !== null && previewQ.data.items.length === 0)
                }
              >
                {preview.publishedAt ? t('pub.publishSupplement') : t('pub.publishNow')}
              </Button>
            </Popconfirm>
          ) : null
        }
      >
        <ErrorAlert error={previewQ.error} />
        {previewQ.data && (
          <Typography.Paragraph>
            {t('pub.preview.already', { n: previewQ.data.alreadyPublished, m: previewQ.data.items.length })}
          </Typography.Paragraph>
        )}
        <Table<Item>
          size="small"
          rowKey={(_, i) => String(i)}
          loading={previewQ.isFetching}
          dataSource={previewQ.data?.items ?? []}
          locale={{ emptyText: t('pub.preview.empty') }}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('pub.unit'),
              key: 'u',
              render: (_: unknown, i) => (
                <Withholdable value={i.unit} render={(u) => (u as { name: string }).name} />
              ),
            },
            {
              title: t('pub.inspectedOn'),
              key: 'd',
              render: (_: unknown, i) => <Withholdable value={i.inspectedOn} render={(d) => String(d)} />,
            },
            {
              title: t('pub.outcome'),
              key: 'o',
              // A result whose unit is withheld is withheld whole (date and outcome too).
              render: (_: unknown, i) => (
                <Withholdable
                  value={i.outcome}
                  render={(o) => (isOneOf(RESULT_OUTCOMES, o) ? t(`result.outcome.${o}`) : String(o))}
                />
              ),
            },
            {
              title: t('pub.findings'),
              key: 'f',
              render: (_: unknown, i) => (
                <Space size={4} wrap>
                  {countsOf(i)}
                  <Withholdable value={i.findings} render={() => null} />
                </Space>
              ),
            },
            {
              title: t('redact.field.summary'),
              key: 's',
              render: (_: unknown, i) => <Withholdable value={i.summary} />,
            },
          ]}
        />
      </Modal>
    </>
  );
}

/** Violations / hazards / major hazards of an item. */
function countsOf(i: Item): string {
  const c = i.counts as { violation: number; hazard: number; majorHazard: number } | null;
  return c ? `${c.violation}/${c.hazard}/${c.majorHazard}` : '—';
}
