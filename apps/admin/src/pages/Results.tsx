import { useQuery } from '@tanstack/react-query';
import { Card, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { ErrorAlert, PageTitle } from '../components/common';
import { useBureauScope } from '../components/Layout';
import { useI18n, type TKey } from '../i18n';
import { useBureaus } from '../lib/bureaus';
import { fmtTime } from '../lib/format';
import type { RouterOutputs } from '../lib/types';
import { useTRPC } from '../trpc';

type Row = RouterOutputs['results']['list'][number];
type Finding = Row['findings'][number];

const KIND_COLORS: Record<string, string> = { violation: 'orange', hazard: 'gold', 'major-hazard': 'red' };

/** Results per task with their findings per checklist item (R17). */
export default function ResultsPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const list = useQuery(trpc.results.list.queryOptions({ bureauCode }));
  const rows = [...(list.data ?? [])].reverse();
  return (
    <>
      <PageTitle title={t('nav.results')} />
      <Card>
        <ErrorAlert error={list.error} />
        <Table<Row>
          rowKey={(r) => r.result.id}
          loading={list.isFetching}
          dataSource={rows}
          data-testid="results-table"
          pagination={{ pageSize: 30 }}
          expandable={{
            rowExpandable: (r) => r.findings.length > 0,
            expandedRowRender: (r) => (
              <Table<Finding>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={r.findings}
                columns={[
                  { title: t('result.finding.item'), dataIndex: 'checklistItemCode' },
                  {
                    title: t('result.finding.kind'),
                    dataIndex: 'kind',
                    render: (k: string) => <Tag color={KIND_COLORS[k]}>{t(`finding.${k}` as TKey)}</Tag>,
                  },
                  { title: t('result.finding.description'), dataIndex: 'description' },
                  { title: t('result.finding.enforcement'), dataIndex: 'enforcementAction' },
                  { title: t('result.finding.due'), dataIndex: 'rectificationDue' },
                  {
                    title: t('result.evidence'),
                    dataIndex: 'evidence',
                    render: (ev: unknown) =>
                      ((ev as { name: string; sha256: string }[]) ?? []).map((e) => (
                        <Tag key={e.sha256}>{e.name}</Tag>
                      )),
                  },
                ]}
              />
            ),
          }}
          columns={[
            {
              title: t('result.inspectedOn'),
              key: 'on',
              width: 110,
              render: (_: unknown, r) => r.result.inspectedOn,
            },
            {
              title: t('task.unit'),
              key: 'unit',
              render: (_: unknown, r) => <Link to={`/rosters/units/${r.unitId}`}>{r.unitId}</Link>,
            },
            {
              title: t('common.bureau'),
              key: 'b',
              width: 130,
              render: (_: unknown, r) => bureaus.name(r.bureauCode),
            },
            {
              title: t('result.outcome'),
              key: 'o',
              width: 150,
              render: (_: unknown, r) => (
                <Tag
                  color={
                    r.result.outcome === 'violations'
                      ? 'red'
                      : r.result.outcome === 'compliant'
                        ? 'green'
                        : 'default'
                  }
                >
                  {t(`result.outcome.${r.result.outcome}` as TKey)}
                </Tag>
              ),
            },
            {
              title: t('result.findings'),
              key: 'f',
              width: 90,
              render: (_: unknown, r) => r.findings.length,
            },
            {
              title: t('result.summary'),
              key: 's',
              render: (_: unknown, r) =>
                r.result.supersedesId ? (
                  <>
                    <Tag>{t('result.correction')}</Tag>
                    {r.result.summary}
                  </>
                ) : (
                  r.result.summary
                ),
            },
            {
              title: t('result.recordedAt'),
              key: 'at',
              width: 150,
              render: (_: unknown, r) => fmtTime(r.result.recordedAt),
            },
          ]}
        />
      </Card>
    </>
  );
}
