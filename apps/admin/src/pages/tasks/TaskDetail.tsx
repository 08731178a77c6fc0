import { EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { checkBlacklists, FindingsTable } from '../../components/Findings';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useI18n } from '../../i18n';
import { canOpen, holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import { industryLabel } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';
import { ResultModal, type ResultRow, type ResultTarget } from './ResultModal';

type Member = RouterOutputs['tasks']['get']['teamMembers'][number];

const OUTCOME_COLORS: Record<string, string> = {
  violations: 'red',
  compliant: 'green',
  'closed-or-absent': 'default',
};

/**
 * One task (`tasks.get`): unit, plan, team with names and certificate numbers, and its result
 * history — every result, corrections beside what they supersede — with findings, evidence
 * files, listed supervision and rectification checks (R17–R18).
 */
export default function TaskDetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const user = useSession();
  const bureaus = useBureaus();
  const task = useQuery(trpc.tasks.get.queryOptions({ id }));
  const results = useQuery({
    ...trpc.results.list.queryOptions({ taskId: id, limit: 500 }),
    enabled: task.isSuccess,
  });
  const [target, setTarget] = useState<ResultTarget | null>(null);
  const [supersedes, setSupersedes] = useState<ResultRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Oldest first (the list gives the newest first).
  const history = [...(results.data?.rows ?? [])].reverse();
  const current = history.filter((r) => !r.superseded).at(-1) ?? null;
  const checks = useQueries({
    queries: (current?.findings ?? []).map((f) => trpc.rectifications.list.queryOptions({ findingId: f.id })),
  });
  const blacklistedBy = (current?.findings ?? []).some((f, i) =>
    (checks[i]?.data ?? []).some((c) => checkBlacklists(f.kind, c.outcome)),
  );

  if (!task.data)
    return (
      <Card loading={task.isPending}>
        <ErrorAlert error={task.error} />
      </Card>
    );
  const row = task.data;
  const member = !!user.inspectorId && row.task.team.includes(user.inspectorId);
  const canAct = member || holds(user.roles, ['district-admin', 'city-admin'], row.bureauCode);
  const open = row.task.status !== 'cancelled';
  const staff = canOpen(user.roles, 'rosters');
  const recordTarget: ResultTarget = {
    taskId: row.task.id,
    unitName: row.unitName,
    checklistItemCodes: row.task.checklistItemCodes,
    checklistItems: row.checklistItems,
  };
  const itemTitles = new Map(row.checklistItems.filter((i) => i.item).map((i) => [i.code, i.item]));
  const byRecordedAt = new Map(history.map((r) => [r.result.id, fmtTime(r.result.recordedAt)]));

  return (
    <>
      <PageTitle
        title={`${t('taskDetail.title')} · ${row.unitName}`}
        sub={`${row.planTitle} · ${bureaus.name(row.bureauCode)}`}
        extra={
          <>
            <Button onClick={() => navigate('/tasks')}>{t('common.back')}</Button>
            <Link to={`/tasks/${row.task.id}/notice`}>
              <Button icon={<PrinterOutlined />}>{t('task.notice')}</Button>
            </Link>
            {canAct && open && !current && (
              <Button
                type="primary"
                data-testid="task-detail-record"
                onClick={() => {
                  setSupersedes(null);
                  setTarget(recordTarget);
                }}
              >
                {t('task.record')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={results.error} />
      {(notice || blacklistedBy) && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="unit-blacklisted"
          title={notice ? t('rect.blacklisted') : t('rect.unitBlacklisted')}
          description={t('rect.consequenceHint')}
        />
      )}
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered data-testid="task-info">
            <Descriptions.Item label={t('task.unit')}>
              {staff ? <Link to={`/rosters/units/${row.task.unitId}`}>{row.unitName}</Link> : row.unitName}{' '}
              {blacklistedBy && <Tag color="black">{t('flag.blacklisted')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('unit.id')}>{row.task.unitId}</Descriptions.Item>
            <Descriptions.Item label={t('unit.address')}>{row.unitAddress || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('unit.industry')}>
              {industryLabel(row.unitIndustry, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('plan.kind')}>{t(`kind.${row.planKind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <Space size={4}>
                <StatusTag status={row.task.status} label={t(`task.status.${row.task.status}`)} />
                {row.task.sealed && <Tag color="volcano">{t('task.sealed')}</Tag>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('task.scheduledOn')}>
              {row.inspectedOn ?? row.task.scheduledOn ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('task.items')} span={2}>
              {row.checklistItems.map((i) => (i.item ? `${i.code} ${i.item}` : i.code)).join('、') || '—'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t('task.team')}>
          <Table<Member>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={row.teamMembers}
            data-testid="task-team"
            columns={[
              {
                title: t('team.name'),
                dataIndex: 'name',
                render: (name: string, m) => (
                  <Space size={4}>
                    {name || '—'}
                    {m.id === user.inspectorId && <Tag color="blue">{user.displayName}</Tag>}
                  </Space>
                ),
              },
              { title: t('team.certificate'), dataIndex: 'certificateNo' },
              { title: t('team.id'), dataIndex: 'id' },
            ]}
          />
          {row.expertMembers.length > 0 && (
            <Descriptions size="small" column={1} style={{ marginTop: 12 }} data-testid="task-experts">
              <Descriptions.Item label={t('team.experts')}>
                {row.expertMembers.map((e) => `${e.name || e.id}（${e.title}，${e.employer}）`).join('；')}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>
        <Card title={t('result.history')} data-testid="result-history">
          {history.length === 0 && <Empty description={t('result.none')} />}
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {[...history].reverse().map((r) => {
              const isCurrent = r.result.id === current?.result.id;
              return (
                <Card
                  key={r.result.id}
                  size="small"
                  type="inner"
                  data-testid={isCurrent ? 'result-current' : 'result-superseded'}
                  style={isCurrent ? undefined : { opacity: 0.75 }}
                  title={
                    <Space size={6} wrap>
                      <Tag color={OUTCOME_COLORS[r.result.outcome]}>
                        {t(`result.outcome.${r.result.outcome}`)}
                      </Tag>
                      <span>
                        {t('result.inspectedOn')} {r.result.inspectedOn}
                      </span>
                      <Typography.Text type="secondary">
                        {t('result.recordedAt')} {fmtTime(r.result.recordedAt)}
                      </Typography.Text>
                      {isCurrent ? (
                        <Tag color="blue">{t('result.current')}</Tag>
                      ) : (
                        <Tag>{t('result.superseded')}</Tag>
                      )}
                      {r.result.supersedesId && <Tag color="purple">{t('result.correction')}</Tag>}
                    </Space>
                  }
                  extra={
                    isCurrent &&
                    canAct &&
                    open && (
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        data-testid="result-correct"
                        onClick={() => {
                          setSupersedes(r);
                          setTarget(recordTarget);
                        }}
                      >
                        {t('result.correct')}
                      </Button>
                    )
                  }
                >
                  {r.result.supersedesId && (
                    <Alert
                      type="info"
                      style={{ marginBottom: 8 }}
                      data-testid="correction-note"
                      title={t('result.supersedes', { at: byRecordedAt.get(r.result.supersedesId) ?? '' })}
                      description={`${t('result.correct.reason')}：${r.result.correctionReason ?? ''}`}
                    />
                  )}
                  {r.result.summary && <Typography.Paragraph>{r.result.summary}</Typography.Paragraph>}
                  {r.findings.length > 0 && (
                    <FindingsTable
                      itemTitles={itemTitles}
                      resultId={r.result.id}
                      inspectedOn={r.result.inspectedOn}
                      findings={r.findings}
                      canCheck={isCurrent && canAct}
                      onBlacklisted={setNotice}
                    />
                  )}
                </Card>
              );
            })}
          </Space>
        </Card>
      </Space>
      <ResultModal
        target={target}
        supersedes={supersedes}
        onClose={() => {
          setTarget(null);
          setSupersedes(null);
        }}
      />
    </>
  );
}
