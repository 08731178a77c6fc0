import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Col, Popconfirm, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useTRPC } from '@spotcheck/ui/trpc';
import { ErrorAlert } from '../../components/common';
import { KIND_COLORS } from '../../components/Findings';
import { useI18n } from '../../i18n';
import { canOpen, holds } from '../../lib/access';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';

type Overdue = RouterOutputs['rectifications']['overdue'][number];

/**
 * Findings past their rectification deadline (R17–R18), with the proposal to blacklist the units
 * whose major hazards are overdue (one bureau: the one selected, else the user's own).
 */
export function OverdueCard({ bureauCode }: { bureauCode: string | undefined }) {
  const { t, tx } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const overdueQ = useQuery(trpc.rectifications.overdue.queryOptions({ bureauCode }));
  const adminBureau = bureauCode ?? user.bureauCode;
  const blacklister = holds(user.roles, ['district-admin', 'city-admin'], adminBureau);
  const rosterStaff = canOpen(user.roles, 'rosters');
  const blacklist = useMutation(
    trpc.rectifications.blacklistOverdue.mutationOptions({
      onSuccess: async (r) => {
        message.success(t('overdue.blacklisted', { n: r.proposed.length }));
        await qc.invalidateQueries({ queryKey: trpc.rectifications.pathKey() });
        await qc.invalidateQueries({ queryKey: trpc.stats.pathKey() });
      },
    }),
  );
  const overdue: Overdue[] = overdueQ.data ?? [];
  const blacklistable = overdue.filter(
    (o) =>
      o.finding.kind === 'major-hazard' &&
      !o.unitBlacklisted &&
      !o.unitProposed &&
      o.bureauCode === adminBureau,
  );
  return (
    <Col xs={24}>
      <Card
        title={t('workbench.overdue')}
        data-testid="workbench-overdue"
        extra={
          blacklister &&
          blacklistable.length > 0 && (
            <Popconfirm
              title={t('overdue.blacklistConfirm')}
              onConfirm={() => blacklist.mutate({ bureauCode: adminBureau })}
              okButtonProps={{ 'data-testid': 'overdue-blacklist-confirm' }}
            >
              <Button danger loading={blacklist.isPending} data-testid="overdue-blacklist">
                {t('overdue.blacklist')} ({blacklistable.length})
              </Button>
            </Popconfirm>
          )
        }
      >
        <ErrorAlert error={overdueQ.error ?? blacklist.error} />
        <Table<Overdue>
          rowKey={(o) => o.finding.id}
          size="small"
          loading={overdueQ.isFetching}
          dataSource={overdue}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('overdue.none') }}
          data-testid="overdue-table"
          columns={[
            {
              title: t('task.unit'),
              key: 'u',
              render: (_: unknown, o) => (
                <Space size={4} wrap>
                  {rosterStaff ? <Link to={`/rosters/units/${o.unitId}`}>{o.unitName}</Link> : o.unitName}
                  {o.unitBlacklisted && <Tag color="black">{t('flag.blacklisted')}</Tag>}
                  {!o.unitBlacklisted && o.unitProposed && <Tag color="orange">{t('overdue.proposed')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('result.finding.kind'),
              key: 'k',
              render: (_: unknown, o) => (
                <Space size={4} wrap>
                  <Tag color={KIND_COLORS[o.finding.kind]}>{t(`finding.${o.finding.kind}`)}</Tag>
                  {o.finding.kind === 'major-hazard' && <Tag color="volcano">{t('supervision.listed')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('result.finding.description'),
              key: 'd',
              render: (_: unknown, o) => o.finding.description,
            },
            {
              title: t('result.finding.due'),
              key: 'due',
              width: 110,
              render: (_: unknown, o) => o.finding.rectificationDue,
            },
            {
              title: t('workbench.overdue'),
              key: 'days',
              width: 110,
              render: (_: unknown, o) => <Tag color="red">{t('overdue.days', { n: o.daysOverdue })}</Tag>,
            },
            {
              title: t('overdue.lastCheck'),
              key: 'last',
              width: 170,
              render: (_: unknown, o) =>
                o.lastCheck
                  ? `${o.lastCheck.checkedOn} ${tx(`rect.outcome.${o.lastCheck.outcome}`, o.lastCheck.outcome)}`
                  : t('rect.none'),
            },
            {
              title: t('result.task'),
              key: 't',
              width: 70,
              render: (_: unknown, o) => <Link to={`/tasks/${o.taskId}`}>{t('taskDetail.open')}</Link>,
            },
          ]}
        />
      </Card>
    </Col>
  );
}
