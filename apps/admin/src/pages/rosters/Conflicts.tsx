import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Drawer, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert, PageTitle, RiskTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n } from '../../i18n';
import { holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import { industryLabel } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';

type Row = RouterOutputs['conflicts']['list'][number];
interface DeclareForm {
  inspectorId: string;
  unitId: string;
  reason: string;
}

/** Conflict-of-interest declarations 回避 (B3): declare and revoke with a reason. */
export default function ConflictsPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const list = useQuery(trpc.conflicts.list.queryOptions({ bureauCode }));
  const inspectors = useQuery(
    trpc.inspectors.list.queryOptions({ bureauCode, status: 'active', limit: 1000, offset: 0 }),
  );
  const [declaring, setDeclaring] = useState(false);
  const [viewing, setViewing] = useState<Row | null>(null);
  const unit = useQuery({
    ...trpc.units.get.queryOptions({ id: viewing?.conflict.unitId ?? '' }),
    enabled: !!viewing,
  });
  const others = (list.data ?? []).filter(
    (r) =>
      viewing &&
      r.conflict.inspectorId === viewing.conflict.inspectorId &&
      r.conflict.id !== viewing.conflict.id,
  );
  const [revoking, setRevoking] = useState<Row | null>(null);
  const [revokeReason, setRevokeReason] = useState('');
  const [form] = Form.useForm<DeclareForm>();
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.conflicts.pathKey() });
  const declare = useMutation(
    trpc.conflicts.declare.mutationOptions({
      onSuccess: async () => (setDeclaring(false), form.resetFields(), refresh()),
    }),
  );
  const revoke = useMutation(
    trpc.conflicts.revoke.mutationOptions({ onSuccess: async () => (setRevoking(null), refresh()) }),
  );
  const isAdmin = holds(user.roles, ['city-admin', 'district-admin']);
  return (
    <>
      <PageTitle
        title={t('nav.conflicts')}
        extra={
          isAdmin && (
            <Button type="primary" onClick={() => setDeclaring(true)}>
              {t('conflict.declare')}
            </Button>
          )
        }
      />
      <Card>
        <ErrorAlert error={list.error} />
        <Table<Row>
          rowKey={(r) => r.conflict.id}
          size="middle"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            {
              title: t('conflict.inspector'),
              key: 'i',
              render: (_: unknown, r) => (
                <a onClick={() => setViewing(r)} data-testid="conflict-open">
                  {`${r.inspectorName} (${r.conflict.inspectorId})`}
                </a>
              ),
            },
            {
              title: t('common.bureau'),
              key: 'b',
              render: (_: unknown, r) => bureaus.name(r.inspectorBureau),
            },
            {
              title: t('conflict.unit'),
              key: 'u',
              render: (_: unknown, r) => (
                <Link to={`/rosters/units/${r.conflict.unitId}`}>{r.conflict.unitId}</Link>
              ),
            },
            { title: t('conflict.reason'), key: 'r', render: (_: unknown, r) => r.conflict.reason },
            { title: t('conflict.declaredOn'), key: 'd', render: (_: unknown, r) => r.conflict.declaredOn },
            {
              title: t('common.status'),
              key: 's',
              render: (_: unknown, r) =>
                r.conflict.revokedAt ? (
                  <Tag title={r.conflict.revokeReason ?? ''}>{t('conflict.revoked')}</Tag>
                ) : (
                  <Tag color="orange">{t('conflict.live')}</Tag>
                ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, r) =>
                isAdmin && !r.conflict.revokedAt ? (
                  <Button size="small" onClick={() => (setRevoking(r), setRevokeReason(''))}>
                    {t('conflict.revoke')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Drawer open={!!viewing} onClose={() => setViewing(null)} size={560} title={t('conflict.detail')}>
        {viewing && (
          <>
            <Descriptions column={1} bordered size="small" data-testid="conflict-detail">
              <Descriptions.Item label={t('conflict.inspector')}>
                {`${viewing.inspectorName} (${viewing.conflict.inspectorId})`}
              </Descriptions.Item>
              <Descriptions.Item label={t('common.bureau')}>
                {bureaus.name(viewing.inspectorBureau)}
              </Descriptions.Item>
              <Descriptions.Item label={t('conflict.unit')}>
                <Link to={`/rosters/units/${viewing.conflict.unitId}`}>{viewing.conflict.unitId}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('conflict.unitName')}>{unit.data?.name ?? ''}</Descriptions.Item>
              <Descriptions.Item label={t('unit.industry')}>
                {unit.data ? industryLabel(unit.data.industry, lang) : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('unit.riskGrade')}>
                {unit.data ? <RiskTag grade={unit.data.riskGrade} /> : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('conflict.reason')}>{viewing.conflict.reason}</Descriptions.Item>
              <Descriptions.Item label={t('conflict.declaredOn')}>
                {viewing.conflict.declaredOn}
              </Descriptions.Item>
              <Descriptions.Item label={t('common.status')}>
                {viewing.conflict.revokedAt ? (
                  <Tag>{t('conflict.revoked')}</Tag>
                ) : (
                  <Tag color="orange">{t('conflict.live')}</Tag>
                )}
              </Descriptions.Item>
              {viewing.conflict.revokedAt && (
                <>
                  <Descriptions.Item label={t('conflict.revokedAt')}>
                    {fmtTime(viewing.conflict.revokedAt)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('conflict.revokeReason')}>
                    {viewing.conflict.revokeReason}
                  </Descriptions.Item>
                </>
              )}
            </Descriptions>
            <ErrorAlert error={unit.error} />
            <Card size="small" title={t('conflict.otherUnits')} style={{ marginTop: 16 }}>
              {others.length
                ? others.map((r) => (
                    <Tag key={r.conflict.id} color={r.conflict.revokedAt ? 'default' : 'orange'}>
                      <Link to={`/rosters/units/${r.conflict.unitId}`}>{r.conflict.unitId}</Link>
                    </Tag>
                  ))
                : t('common.none')}
            </Card>
          </>
        )}
      </Drawer>
      <Modal
        open={declaring}
        title={t('conflict.declare')}
        onCancel={() => setDeclaring(false)}
        onOk={() => form.submit()}
        confirmLoading={declare.isPending}
        destroyOnHidden
      >
        <ErrorAlert error={declare.error} />
        <Form<DeclareForm> form={form} layout="vertical" onFinish={(v) => declare.mutate(v)}>
          <Form.Item name="inspectorId" label={t('conflict.inspector')} rules={[{ required: true }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={(inspectors.data ?? []).map((i) => ({ value: i.id, label: `${i.name} ${i.id}` }))}
            />
          </Form.Item>
          <Form.Item name="unitId" label={t('unit.id')} rules={[{ required: true, len: 18 }]}>
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item name="reason" label={t('conflict.reason')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!revoking}
        title={t('conflict.revoke')}
        onCancel={() => setRevoking(null)}
        okButtonProps={{ disabled: revokeReason.trim().length < 2 }}
        confirmLoading={revoke.isPending}
        onOk={() => revoking && revoke.mutate({ id: revoking.conflict.id, reason: revokeReason })}
      >
        <ErrorAlert error={revoke.error} />
        <Input.TextArea
          rows={3}
          placeholder={t('conflict.revokeReason')}
          value={revokeReason}
          onChange={(e) => setRevokeReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
