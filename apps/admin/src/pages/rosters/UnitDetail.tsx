import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { CREDIT_GRADES, RISK_GRADES } from '@spotcheck/core';
import { ErrorAlert, PageTitle, RiskTag, StatusTag } from '../../components/common';
import { useI18n } from '../../i18n';
import { holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtDate, fmtTime } from '@spotcheck/ui/format';
import { industryLabel, natureLabel } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';
import { UNIT_FLAGS } from '../../components/unitFlags';

type Fact = RouterOutputs['units']['get']['facts'][number];
type Flag = (typeof UNIT_FLAGS)[number];
interface FactsForm {
  riskGrade: (typeof RISK_GRADES)[number];
  creditGrade: (typeof CREDIT_GRADES)[number];
  flags: Flag[];
}

/** One unit with its facts, their dated history, and its conflict declarations. */
export default function UnitDetailPage() {
  const { id = '' } = useParams();
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const user = useSession();
  const bureaus = useBureaus();
  const { message } = AntApp.useApp();
  const unit = useQuery(trpc.units.get.queryOptions({ id }));
  const conflicts = useQuery(trpc.conflicts.list.queryOptions({ unitId: id }));
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<FactsForm>();
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.units.pathKey() });
  const update = useMutation(
    trpc.units.update.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        message.success(t('common.saved'));
        await invalidate();
      },
    }),
  );
  const setStatus = useMutation(trpc.units.setStatus.mutationOptions({ onSuccess: invalidate }));
  const u = unit.data;
  const canEdit = u ? holds(user.roles, ['city-admin', 'district-admin'], u.bureauCode) : false;

  return (
    <>
      <PageTitle
        title={u?.name ?? id}
        sub={id}
        extra={
          <>
            <Button onClick={() => navigate('/rosters/units')}>{t('common.back')}</Button>
            {canEdit && u && (
              <>
                <Button
                  type="primary"
                  onClick={() => {
                    form.setFieldsValue({
                      riskGrade: u.riskGrade,
                      creditGrade: u.creditGrade,
                      flags: UNIT_FLAGS.filter((f) => u[f]),
                    });
                    setEditing(true);
                  }}
                >
                  {t('unit.edit')}
                </Button>
                <Button
                  danger={u.status === 'active'}
                  loading={setStatus.isPending}
                  onClick={() =>
                    setStatus.mutate({ id, status: u.status === 'active' ? 'closed' : 'active' })
                  }
                >
                  {u.status === 'active' ? t('unit.close') : t('unit.reopen')}
                </Button>
              </>
            )}
          </>
        }
      />
      <ErrorAlert error={unit.error ?? setStatus.error} />
      {u && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Card loading={unit.isPending}>
            <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
              <Descriptions.Item label={t('unit.id')}>{u.id}</Descriptions.Item>
              <Descriptions.Item label={t('common.bureau')}>{bureaus.name(u.bureauCode)}</Descriptions.Item>
              <Descriptions.Item label={t('common.status')}>
                <StatusTag status={u.status} label={t(`unit.${u.status}`)} />
              </Descriptions.Item>
              <Descriptions.Item label={t('unit.industry')}>
                {industryLabel(u.industry, lang)}
              </Descriptions.Item>
              <Descriptions.Item label={t('unit.nature')}>{natureLabel(u.nature, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('unit.scale')}>{t(`scale.${u.scale}`)}</Descriptions.Item>
              <Descriptions.Item label={t('unit.employees')}>{u.employees}</Descriptions.Item>
              <Descriptions.Item label={t('unit.legalRepresentative')}>
                {u.legalRepresentative}
              </Descriptions.Item>
              <Descriptions.Item label={t('unit.address')}>{u.address}</Descriptions.Item>
              <Descriptions.Item label={t('unit.riskGrade')}>
                <RiskTag grade={u.riskGrade} />
              </Descriptions.Item>
              <Descriptions.Item label={t('unit.creditGrade')}>{u.creditGrade}</Descriptions.Item>
              <Descriptions.Item label={t('unit.lastFatalAccidentOn')}>
                {fmtDate(u.lastFatalAccidentOn) || t('common.none')}
              </Descriptions.Item>
              <Descriptions.Item label={t('unit.lastInspectedOn')}>
                {fmtDate(u.lastInspectedOn) || t('common.none')}
              </Descriptions.Item>
              <Descriptions.Item label={t('unit.verifiedAt')}>{fmtTime(u.verifiedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('unit.flags')}>
                {UNIT_FLAGS.filter((f) => u[f]).map((f) => (
                  <Tag key={f} color={f === 'blacklisted' || f === 'majorHazard' ? 'red' : 'blue'}>
                    {t(`flag.${f}`)}
                  </Tag>
                ))}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('unit.facts')}>
            <Table<Fact>
              rowKey="id"
              size="small"
              dataSource={u.facts}
              pagination={false}
              data-testid="unit-facts"
              columns={[
                {
                  title: t('unit.fact.kind'),
                  dataIndex: 'kind',
                  render: (k: string) => tx(`factKind.${k}`, k),
                },
                {
                  title: t('unit.fact.value'),
                  dataIndex: 'value',
                  render: (v: unknown) => <FactValue value={v} />,
                },
                { title: t('unit.fact.effectiveOn'), dataIndex: 'effectiveOn' },
                { title: t('unit.fact.endedOn'), dataIndex: 'endedOn' },
                {
                  title: t('unit.fact.source'),
                  dataIndex: 'source',
                  render: (s: string) => <FactSource source={s} />,
                },
                { title: t('audit.at'), dataIndex: 'recordedAt', render: fmtTime },
              ]}
            />
          </Card>
          <Card title={t('unit.conflicts')}>
            <ErrorAlert error={conflicts.error} />
            <Table
              rowKey={(r) => r.conflict.id}
              size="small"
              dataSource={conflicts.data ?? []}
              pagination={false}
              columns={[
                {
                  title: t('conflict.inspector'),
                  key: 'i',
                  render: (_: unknown, r) => `${r.inspectorName} (${r.conflict.inspectorId})`,
                },
                { title: t('conflict.reason'), key: 'r', render: (_: unknown, r) => r.conflict.reason },
                {
                  title: t('conflict.declaredOn'),
                  key: 'd',
                  render: (_: unknown, r) => r.conflict.declaredOn,
                },
                {
                  title: t('common.status'),
                  key: 's',
                  render: (_: unknown, r) =>
                    r.conflict.revokedAt ? (
                      <Tag>{t('conflict.revoked')}</Tag>
                    ) : (
                      <Tag color="orange">{t('conflict.live')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
        </Space>
      )}
      <Modal
        open={editing}
        title={t('unit.edit')}
        onCancel={() => setEditing(false)}
        confirmLoading={update.isPending}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <ErrorAlert error={update.error} />
        <Form<FactsForm>
          form={form}
          layout="vertical"
          onFinish={(v) =>
            update.mutate({
              id,
              patch: {
                riskGrade: v.riskGrade,
                creditGrade: v.creditGrade,
                // Not 严重失信: blacklist proceedings set it, and a listing made while the form was
                // open would make the save fail.
                ...Object.fromEntries(
                  UNIT_FLAGS.filter((f) => f !== 'blacklisted').map((f) => [f, v.flags.includes(f)]),
                ),
              },
            })
          }
        >
          <Form.Item name="riskGrade" label={t('unit.riskGrade')} rules={[{ required: true }]}>
            <Select options={RISK_GRADES.map((g) => ({ value: g, label: t(`risk.${g}`) }))} />
          </Form.Item>
          <Form.Item name="creditGrade" label={t('unit.creditGrade')} rules={[{ required: true }]}>
            <Select options={CREDIT_GRADES.map((g) => ({ value: g, label: g }))} />
          </Form.Item>
          <Form.Item name="flags" label={t('unit.flags')}>
            <Checkbox.Group
              options={UNIT_FLAGS.map((f) => ({
                value: f,
                label: t(`flag.${f}`),
                // Changed through blacklist proceedings only (the server refuses it here).
                disabled: f === 'blacklisted',
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/**
 * Where a fact came from in words (`demo`, `user:<id>`, `result:<id>`, `api:<token name>`,
 * `import:<format>`); the staff member's or result's id on hover.
 */
function FactSource({ source }: { source: string }) {
  const { tv } = useI18n();
  const [kind = source, rest = ''] = source.split(/:(.*)/s);
  const name = kind === 'import' ? rest.toUpperCase() : rest;
  return <span title={source}>{tv(`factSource.${kind}`, { name }) ?? source}</span>;
}

/** A fact's JSON value in words: `{active}` as yes/no, `{grade}` as its risk grade, `{on}` as it is. */
function FactValue({ value }: { value: unknown }) {
  const { t, tx } = useI18n();
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.active === 'boolean') return <>{v.active ? t('common.yes') : t('common.no')}</>;
  if (typeof v.grade === 'string') return <>{tx(`risk.${v.grade}`, v.grade)}</>;
  if (typeof v.on === 'string') return <>{v.on}</>;
  return <code>{JSON.stringify(value)}</code>;
}
