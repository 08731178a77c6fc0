import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Spin, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useBureau } from '../bureau';
import { useI18n } from '../i18n';
import { downloadJson, fmtTime, shortHash } from '../lib/format';
import { linkFor } from '../lib/links';
import {
  supersededIds,
  type PublicationHeader,
  type PublicationKind,
  type Withheld,
} from '../lib/publications';
import { useTRPC } from '../trpc';

/** A page: a heading, a lead paragraph, the content. */
export function Page({
  title,
  intro,
  extra,
  children,
}: {
  title: string;
  intro?: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <div
        style={{
          display: 'flex',
          alignItems: 'baseline',
          justifyContent: 'space-between',
          gap: 16,
          flexWrap: 'wrap',
        }}
      >
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </div>
      {intro && (
        <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
          {intro}
        </Typography.Paragraph>
      )}
      {children}
    </div>
  );
}

/** Loading and error states of a query; renders children once data is there. */
export function Loaded<T>({
  query,
  children,
}: {
  query: { isPending: boolean; error: { message: string } | null; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (query.error)
    return <Alert type="error" showIcon message={t('common.error')} description={query.error.message} />;
  if (query.isPending || query.data === undefined)
    return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  return <>{children(query.data)}</>;
}

/** Publications of a kind for the chosen bureau, newest first. */
export function usePublications(kind: PublicationKind, limit = 200, bureauCode?: string) {
  const trpc = useTRPC();
  const { code } = useBureau();
  return useQuery(
    trpc.publications.list.queryOptions({ bureauCode: bureauCode ?? code, kind, limit, offset: 0 }),
  );
}

/** One publication in full (no request while `id` is empty). */
export function usePublication(id: string) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.publications.get.queryOptions({ id }), staleTime: Infinity, enabled: id !== '' });
}

/** A table of publication headers linking to their pages. */
export function PublicationTable({
  rows,
  testId,
  extraColumn,
}: {
  rows: PublicationHeader[];
  testId?: string;
  extraColumn?: { title: string; render: (p: PublicationHeader) => ReactNode };
}) {
  const { t } = useI18n();
  const superseded = supersededIds(rows);
  if (!rows.length) return <Empty description={t('common.none')} />;
  return (
    <Table<PublicationHeader>
      data-testid={testId}
      rowKey="id"
      size="middle"
      dataSource={rows}
      pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      columns={[
        {
          title: t('common.title'),
          render: (_, p) => (
            <span>
              <Link to={linkFor(p)}>{p.title}</Link>
              {superseded.has(p.id) && <Tag style={{ marginLeft: 8 }}>{t('common.superseded')}</Tag>}
              {p.replacesId && (
                <Tag color="blue" style={{ marginLeft: 8 }}>
                  {t('common.correction')}
                </Tag>
              )}
            </span>
          ),
        },
        ...(extraColumn
          ? [
              {
                title: extraColumn.title,
                render: (_: unknown, p: PublicationHeader) => extraColumn.render(p),
              },
            ]
          : []),
        { title: t('common.period'), dataIndex: 'period', width: 110 },
        { title: t('common.publishedAt'), width: 170, render: (_, p) => fmtTime(p.publishedAt) },
        {
          title: t('common.digest'),
          width: 150,
          render: (_, p) => (
            <Typography.Text code title={p.digest}>
              {shortHash(p.digest)}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}

/** A button that downloads a JSON document. */
export function DownloadButton({
  filename,
  json,
  label,
  testId,
}: {
  filename: string;
  json: string;
  label?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Button icon={<DownloadOutlined />} onClick={() => downloadJson(filename, json)} data-testid={testId}>
      {label ?? t('common.download')}
    </Button>
  );
}

/** A long hex or base64 value, wrapped and copyable. */
export function Mono({ children }: { children: string }) {
  return (
    <Typography.Text code copyable style={{ wordBreak: 'break-all', fontSize: 12 }}>
      {children}
    </Typography.Text>
  );
}

/** A field withheld by law (R16): 依法不予公开 and the reason category. */
export function WithheldTag({ value }: { value: Withheld }) {
  const { t, tx } = useI18n();
  return (
    <Tag color="purple" data-testid="withheld">
      {t('withheld.text', { reason: tx(`redact.reason.${value.reason}`, value.reasonText) })}
    </Tag>
  );
}
