import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n } from '../../i18n';
import { useBureaus } from '../../lib/bureaus';
import { downloadCsv } from '../../lib/format';
import { specialtyLabel } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';
import { useTRPC } from '../../trpc';

type Expert = RouterOutputs['experts']['list'][number];

/** The expert library 行业专家信息库 (R5); city-wide experts serve every district. */
export default function ExpertsPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const [q, setQ] = useState('');
  const list = useQuery(trpc.experts.list.queryOptions({ bureauCode }));
  const rows = (list.data ?? []).filter(
    (e) => !q || e.name.includes(q) || e.employer.includes(q) || e.id.includes(q),
  );
  return (
    <>
      <PageTitle
        title={t('nav.experts')}
        extra={
          <Button
            onClick={() =>
              downloadCsv(
                'experts.csv',
                [
                  t('expert.id'),
                  t('expert.name'),
                  t('common.bureau'),
                  t('inspector.specialties'),
                  t('expert.title'),
                  t('expert.employer'),
                  t('common.status'),
                ],
                rows.map((e) => [
                  e.id,
                  e.name,
                  e.bureauCode ? bureaus.name(e.bureauCode) : t('expert.cityWide'),
                  e.specialties.map((s) => specialtyLabel(s, lang)),
                  e.title,
                  e.employer,
                  e.status,
                ]),
              )
            }
          >
            {t('common.export')}
          </Button>
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
          pagination={{ pageSize: 50, showSizeChanger: false }}
          columns={[
            { title: t('expert.id'), dataIndex: 'id', width: 90 },
            { title: t('expert.name'), dataIndex: 'name', width: 100 },
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
              render: (s: string) => <StatusTag prefix="expert.status" status={s} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
