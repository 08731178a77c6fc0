import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Drawer, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { ExpertFormModal, type Expert } from '../../components/roster/ExpertFormModal';
import { ExportButtons, ImportButton } from '../../components/Transfer';
import { useI18n } from '../../i18n';
import { CITY_BUREAU, holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import { specialtyLabel } from '../../lib/labels';
import { useSession } from '../../session';

/** The expert library 行业专家信息库 (R5); city-wide experts serve every district. */
export default function ExpertsPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const [q, setQ] = useState('');
  const [viewing, setViewing] = useState<Expert | null>(null);
  const [form, setForm] = useState<{ editing: Expert | null } | null>(null);
  const list = useQuery(trpc.experts.list.queryOptions({ bureauCode }));
  const rows = (list.data ?? []).filter(
    (e) => !q || e.name.includes(q) || e.employer.includes(q) || e.id.includes(q),
  );
  const isAdmin = holds(user.roles, ['city-admin', 'district-admin'], bureauCode);
  const canEdit = (e: Expert) =>
    holds(user.roles, ['city-admin', 'district-admin'], e.bureauCode ?? CITY_BUREAU);
  const current = viewing && (list.data ?? []).find((e) => e.id === viewing.id);
  return (
    <>
      <PageTitle
        title={t('nav.experts')}
        extra={
          <>
            {isAdmin && (
              <>
                <Button type="primary" onClick={() => setForm({ editing: null })} data-testid="expert-create">
                  {t('expert.create')}
                </Button>
                <ImportButton kind="experts" refreshKey={trpc.experts.pathKey()} />
              </>
            )}
            <ExportButtons kind="experts" />
          </>
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('common.search')} onSearch={setQ} style={{ width: 240 }} />
          <span>{t('common.total', { n: rows.length })}</span>
        </Space>
        <ErrorAlert error={list.error} />
        <Table<Expert>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          data-testid="experts-table"
          pagination={{ pageSize: 50, showSizeChanger: false }}
          columns={[
            {
              title: t('expert.id'),
              dataIndex: 'id',
              width: 110,
              render: (id: string, e) => (
                <a onClick={() => setViewing(e)} data-testid={`expert-open-${id}`}>
                  {id}
                </a>
              ),
            },
            {
              title: t('expert.name'),
              dataIndex: 'name',
              width: 100,
              render: (n: string, e) => <a onClick={() => setViewing(e)}>{n}</a>,
            },
            {
              title: t('common.bureau'),
              dataIndex: 'bureauCode',
              render: (c: string | null) =>
                c ? bureaus.name(c) : <Tag color="blue">{t('expert.cityWide')}</Tag>,
            },
            {
              title: t('inspector.specialties'),
              dataIndex: 'specialties',
              render: (s: string[]) => s.map((x) => <Tag key={x}>{specialtyLabel(x, lang)}</Tag>),
            },
            { title: t('expert.title'), dataIndex: 'title' },
            { title: t('expert.employer'), dataIndex: 'employer' },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 90,
              render: (_: unknown, r) => (
                <StatusTag status={r.status} label={t(`expert.status.${r.status}`)} />
              ),
            },
          ]}
        />
      </Card>
      <Drawer
        open={!!current}
        onClose={() => setViewing(null)}
        size={520}
        title={current ? `${t('expert.detail')} · ${current.name}` : ''}
        extra={
          current &&
          canEdit(current) && (
            <Button onClick={() => setForm({ editing: current })} data-testid="expert-edit">
              {t('common.edit')}
            </Button>
          )
        }
      >
        {current && (
          <Descriptions column={1} bordered size="small" data-testid="expert-detail">
            <Descriptions.Item label={t('expert.id')}>{current.id}</Descriptions.Item>
            <Descriptions.Item label={t('expert.name')}>{current.name}</Descriptions.Item>
            <Descriptions.Item label={t('common.bureau')}>
              {current.bureauCode ? bureaus.name(current.bureauCode) : t('expert.cityWide')}
            </Descriptions.Item>
            <Descriptions.Item label={t('inspector.specialties')}>
              {current.specialties.map((x) => (
                <Tag key={x}>{specialtyLabel(x, lang)}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('expert.title')}>{current.title}</Descriptions.Item>
            <Descriptions.Item label={t('expert.employer')}>{current.employer}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <StatusTag status={current.status} label={t(`expert.status.${current.status}`)} />
            </Descriptions.Item>
            <Descriptions.Item label={t('common.created')}>{fmtTime(current.createdAt)}</Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
      <ExpertFormModal
        open={!!form}
        editing={form?.editing}
        onClose={() => setForm(null)}
        bureauCode={bureauCode ?? user.bureauCode}
      />
    </>
  );
}
