import { DownloadOutlined } from '@ant-design/icons';
import { describeRefusal } from '@spotcheck/core';
import { Alert, Button, Empty, Spin, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../i18n';
import { downloadJson, fmtTime, shortHash } from '@spotcheck/ui/format';
import { linkFor } from '../lib/links';
import { supersededIds, type PublicationHeader, type Withheld } from '../lib/publications';

// Page and the publication queries live in their own modules: the home page (first load) needs
// them without this file's tables and tags.
export { Page } from './Page';
export { usePublication, usePublications } from './queries';

/** Loading and error states of a query; renders children once data is there. */
export function Loaded<T>({
  query,
  children,
}: {
  query: { isPending: boolean; error: { message: string } | null; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  const { t, lang } = useI18n();
  if (query.error)
    return (
      <Alert
        type="error"
        showIcon
        message={t('common.error')}
        description={describeRefusal(query.error, lang)}
      />
    );
  if (query.isPending || query.data === undefined)
    return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  return <>{children(query.data)}</>;
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
