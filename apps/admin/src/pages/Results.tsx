import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Space, Table, Tag, Tooltip } from 'antd';
import { Link } from 'react-router';
import { ErrorAlert, PageTitle } from '../components/common';
import { FindingsTable, KIND_COLORS } from '../components/Findings';
import { useBureauScope } from '../components/Layout';
import { useI18n } from '../i18n';
import { holds } from '../lib/access';
import { useFitPage, usePage } from '../lib/paging';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterOutputs } from '../lib/types';
import { useSession } from '../session';

type Row = RouterOutputs['results']['list']['rows'][number];
/** Results a page of the table shows. */
const PAGE_SIZE = 30;

/** Results per task with their findings per checklist item (R17). */
export default function ResultsPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const paging = usePage(PAGE_SIZE, bureauCode);
  // Newest first, a page at a time from the server (a district records 10^4 results a year).
  const list = useQuery(
    trpc.results.list.queryOptions({ bureauCode, ...paging.input }, { placeholderData: keepPreviousData }),
  );
  const user = useSession();
  const rows = list.data?.rows ?? [];
  useFitPage(paging, list.data?.total);
  const admin = (bureau: string) => holds(user.roles, ['district-admin', 'city-admin'], bureau);
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
          pagination={{
            current: paging.page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: paging.setPage,
          }}
          expandable={{
            rowExpandable: (r) => r.findings.length > 0,
            expandedRowRender: (r) => (
              <FindingsTable
                resultId={r.result.id}
                inspectedOn={r.result.inspectedOn}
                findings={r.findings}
                canCheck={!r.superseded && admin(r.bureauCode)}
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
                  {t(`result.outcome.${r.result.outcome}`)}
                </Tag>
              ),
            },
            {
              title: t('result.findings'),
              key: 'f',
              width: 150,
              render: (_: unknown, r) => (
                <Space size={2} wrap>
                  {r.findings.length}
                  {(['violation', 'hazard', 'major-hazard'] as const).map((k) => {
                    const n = r.findings.filter((f) => f.kind === k).length;
                    return n ? (
                      <Tag key={k} color={KIND_COLORS[k]}>
                        {t(`finding.${k}`)} {n}
                      </Tag>
                    ) : null;
                  })}
                </Space>
              ),
            },
            {
              title: t('result.summary'),
              key: 's',
              render: (_: unknown, r) => (
                <>
                  {r.superseded && <Tag>{t('result.superseded')}</Tag>}
                  {r.result.supersedesId && (
                    <Tooltip title={`${t('result.correct.reason')}：${r.result.correctionReason ?? ''}`}>
                      <Tag color="purple">{t('result.correction')}</Tag>
                    </Tooltip>
                  )}
                  {r.result.summary}
                </>
              ),
            },
            {
              title: t('result.recordedAt'),
              key: 'at',
              width: 150,
              render: (_: unknown, r) => fmtTime(r.result.recordedAt),
            },
            {
              title: t('result.task'),
              key: 'task',
              width: 80,
              render: (_: unknown, r) => <Link to={`/tasks/${r.result.taskId}`}>{t('taskDetail.open')}</Link>,
            },
          ]}
        />
      </Card>
    </>
  );
}
