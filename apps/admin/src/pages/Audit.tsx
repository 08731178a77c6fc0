import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Tooltip, Typography } from 'antd';
import { auditActionLabel, auditEntityLabel } from '@spotcheck/core';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../components/common';
import { useBureauScope } from '../components/Layout';
import { useI18n } from '../i18n';
import { holds } from '../lib/access';
import { useBureaus, useTRPC, useTRPCClient } from '@spotcheck/ui/trpc';
import { fmtTime, shortHash } from '@spotcheck/ui/format';
import type { RouterOutputs } from '../lib/types';
import { useSession } from '../session';

type AuditEvent = RouterOutputs['audit']['list'][number];
const PAGE = 100;
/** A UUID: shown by its first eight characters (other ids, e.g. an officer's, are short already). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

/** The hash-chained audit trail (R21), newest first, with chain verification for the city and auditors. */
export default function AuditPage() {
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const [entity, setEntity] = useState<string | undefined>();
  const events = useInfiniteQuery({
    queryKey: ['audit.list', bureauCode, entity],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      client.audit.list.query({ bureauCode, entity, beforeSeq: pageParam, limit: PAGE }),
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1]!.seq : undefined),
  });
  const canVerify = holds(user.roles, ['city-admin', 'auditor']);
  const verify = useQuery({ ...trpc.audit.verify.queryOptions({}), enabled: false });
  const rows = events.data?.pages.flat() ?? [];
  const report = verify.data;
  return (
    <>
      <PageTitle
        title={t('audit.title')}
        extra={
          canVerify && (
            <Button
              type="primary"
              icon={<SafetyCertificateOutlined />}
              loading={verify.isFetching}
              onClick={() => void verify.refetch()}
              data-testid="audit-verify"
            >
              {t('audit.verify')}
            </Button>
          )
        }
      />
      <ErrorAlert error={verify.error} />
      {report && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={report.ok ? 'success' : 'error'}
          data-testid="audit-verify-result"
          title={
            report.ok
              ? t('audit.verifyOk', { n: report.count, seq: report.head?.seq ?? 0 })
              : t('audit.verifyBad')
          }
          description={
            report.ok ? (
              <Typography.Text code copyable>
                {report.head?.hash}
              </Typography.Text>
            ) : (
              report.problem && (
                <span data-testid="audit-verify-problem">
                  {t(`audit.problem.${report.problem.kind}`, { seq: report.problem.seq })}
                  {/* The verifier's own English detail, on English pages only. */}
                  {lang === 'en' && ` (${report.problem.detail})`}
                </span>
              )
            )
          }
        />
      )}
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('audit.filterEntity')}
            onSearch={(v) => setEntity(v || undefined)}
            style={{ width: 240 }}
          />
        </Space>
        <ErrorAlert error={events.error} />
        <Table<AuditEvent>
          rowKey="seq"
          size="small"
          loading={events.isFetching}
          dataSource={rows}
          pagination={false}
          data-testid="audit-table"
          expandable={{
            expandedRowRender: (e) => (
              <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
                <div>
                  <b>{t('audit.before')}</b>
                  <pre style={{ maxHeight: 240, overflow: 'auto', fontSize: 12 }}>
                    {JSON.stringify(e.before, null, 2)}
                  </pre>
                </div>
                <div>
                  <b>{t('audit.after')}</b>
                  <pre style={{ maxHeight: 240, overflow: 'auto', fontSize: 12 }}>
                    {JSON.stringify(e.after, null, 2)}
                  </pre>
                </div>
              </div>
            ),
          }}
          columns={[
            { title: t('audit.seq'), dataIndex: 'seq', width: 70 },
            { title: t('audit.at'), dataIndex: 'at', width: 150, render: fmtTime },
            {
              title: t('common.bureau'),
              dataIndex: 'bureauCode',
              width: 130,
              render: (c: string | null) => bureaus.name(c),
            },
            {
              title: t('audit.role'),
              dataIndex: 'actorRole',
              width: 110,
              render: (r: string | null) => (r ? tx(`role.${r}`, r) : ''),
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              render: (a: string) => <span data-testid="audit-action">{auditActionLabel(a, lang)}</span>,
            },
            {
              title: t('audit.entity'),
              key: 'entity',
              // The record in words; a UUID shortened (the whole id on hover, copyable).
              render: (_: unknown, e) => (
                <>
                  {auditEntityLabel(e.entity, lang)}
                  {e.entityId && (
                    <Tooltip title={e.entityId}>
                      {' '}
                      <Typography.Text type="secondary" copyable={{ text: e.entityId }}>
                        #{UUID.test(e.entityId) ? e.entityId.slice(0, 8) : e.entityId}
                      </Typography.Text>
                    </Tooltip>
                  )}
                </>
              ),
            },
            {
              title: t('audit.hash'),
              dataIndex: 'hash',
              width: 130,
              render: (h: string) => <Typography.Text code>{shortHash(h)}</Typography.Text>,
            },
          ]}
        />
        {events.hasNextPage && (
          <Button
            style={{ marginTop: 12 }}
            onClick={() => void events.fetchNextPage()}
            loading={events.isFetchingNextPage}
          >
            {t('audit.loadMore')}
          </Button>
        )}
      </Card>
    </>
  );
}
