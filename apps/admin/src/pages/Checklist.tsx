import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { VersionStatus } from '@spotcheck/core';
import { useState } from 'react';
import { ErrorAlert, PageTitle, StatusTag } from '../components/common';
import { useBureauScope } from '../components/Layout';
import { ExportButtons, ImportButton } from '../components/Transfer';
import { useI18n } from '../i18n';
import { CITY_BUREAU, holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { fmtTime } from '@spotcheck/ui/format';
import { industryLabel } from '../lib/labels';
import type { RouterOutputs } from '../lib/types';
import { useSession } from '../session';
import { ItemsEditor } from './checklist/ItemsEditor';

type Item = RouterOutputs['checklist']['get']['items'][number];
const FIELDS = ['subject', 'item', 'content', 'legalBasis', 'industries', 'inspectionKinds'] as const;
type Change = { code: string; kind: 'added' | 'removed' | 'changed'; fields: (typeof FIELDS)[number][] };

/** Item-level diff of two checklist versions, by code. */
export function diffItems(from: Item[], to: Item[]): Change[] {
  const a = new Map(from.map((i) => [i.code, i]));
  const b = new Map(to.map((i) => [i.code, i]));
  const out: Change[] = [];
  for (const [code, item] of b) {
    const old = a.get(code);
    if (!old) out.push({ code, kind: 'added', fields: [] });
    else {
      const fields = FIELDS.filter((f) => JSON.stringify(old[f]) !== JSON.stringify(item[f]));
      if (fields.length) out.push({ code, kind: 'changed', fields });
    }
  }
  for (const code of a.keys()) if (!b.has(code)) out.push({ code, kind: 'removed', fields: [] });
  return out.sort((x, y) => x.code.localeCompare(y.code));
}

/** The layered checklist (R1–R2): versions per bureau, items, history and diff, draft and publish. */
export default function ChecklistPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const versions = useQuery(trpc.checklist.versions.queryOptions({ bureauCode }));
  const all = versions.data ?? [];
  const [selected, setSelected] = useState<string | undefined>();
  const [against, setAgainst] = useState<string | undefined>();
  const target = bureauCode ?? user.bureauCode;
  // Default: the bureau's own published version (districts also see the city layer), else any.
  const current =
    all.find((v) => v.id === selected) ??
    all.find((v) => v.status === 'published' && v.bureauCode === target) ??
    all.find((v) => v.status === 'published') ??
    all[0];
  const items = useQuery({
    ...trpc.checklist.get.queryOptions({ versionId: current?.id ?? '' }),
    enabled: !!current,
  });
  const base = useQuery({
    ...trpc.checklist.get.queryOptions({ versionId: against ?? '' }),
    enabled: !!against,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.checklist.pathKey() });
  const createDraft = useMutation(
    trpc.checklist.createDraft.mutationOptions({ onSuccess: async (v) => (setSelected(v.id), refresh()) }),
  );
  const publish = useMutation(trpc.checklist.publish.mutationOptions({ onSuccess: refresh }));
  const canEdit = holds(user.roles, ['city-admin', 'district-admin'], target);
  const editsCurrent =
    !!current &&
    current.status === 'draft' &&
    holds(user.roles, ['city-admin', 'district-admin'], current.bureauCode);
  const [tab, setTab] = useState('versions');
  const changes = base.data && items.data ? diffItems(base.data.items, items.data.items) : null;
  return (
    <>
      <PageTitle
        title={t('checklist.title')}
        extra={
          canEdit && (
            <>
              <Button
                onClick={() =>
                  createDraft.mutate({
                    bureauCode: target,
                    baseVersionId:
                      target === CITY_BUREAU
                        ? null
                        : (all.find((v) => v.bureauCode === CITY_BUREAU && v.status === 'published')?.id ??
                          null),
                  })
                }
                loading={createDraft.isPending}
              >
                {t('checklist.newDraft')}
              </Button>
              {editsCurrent && current && (
                <Button
                  type="primary"
                  onClick={() => publish.mutate({ versionId: current.id })}
                  loading={publish.isPending}
                  data-testid="checklist-publish"
                >
                  {t('checklist.publish')}
                </Button>
              )}
            </>
          )
        }
      />
      <ErrorAlert error={versions.error ?? items.error ?? createDraft.error ?? publish.error} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'versions',
            label: t('checklist.tab.versions'),
            children: (
              <Row gutter={16}>
                <Col xs={24} lg={7}>
                  <Card title={t('checklist.history')}>
                    <Table
                      rowKey="id"
                      size="small"
                      pagination={false}
                      dataSource={all}
                      loading={versions.isFetching}
                      onRow={(v) => ({
                        onClick: () => setSelected(v.id),
                        style: {
                          cursor: 'pointer',
                          background: v.id === current?.id ? '#e6f0ff' : undefined,
                        },
                      })}
                      columns={[
                        {
                          title: t('common.bureau'),
                          dataIndex: 'bureauCode',
                          render: (c: string) =>
                            c === CITY_BUREAU ? (
                              <Tag color="blue">{t('checklist.layer.city')}</Tag>
                            ) : (
                              bureaus.name(c)
                            ),
                        },
                        { title: t('checklist.version'), dataIndex: 'version', width: 60 },
                        {
                          title: t('common.status'),
                          dataIndex: 'status',
                          render: (s: VersionStatus) => <StatusTag status={s} label={t(`version.${s}`)} />,
                        },
                        { title: t('common.date'), dataIndex: 'publishedAt', render: fmtTime },
                      ]}
                    />
                  </Card>
                </Col>
                <Col xs={24} lg={17}>
                  <Card
                    title={
                      current
                        ? `${bureaus.name(current.bureauCode)} · ${t('checklist.version')} ${current.version}`
                        : t('checklist.title')
                    }
                    extra={
                      <Space wrap>
                        {editsCurrent && current && (
                          <ImportButton
                            kind="checklist-items"
                            versionId={current.id}
                            refreshKey={trpc.checklist.pathKey()}
                          />
                        )}
                        {current && <ExportButtons kind="checklist-items" versionId={current.id} />}
                        <Typography.Text type="secondary">{t('checklist.diff')}</Typography.Text>
                        <Select
                          allowClear
                          style={{ width: 200 }}
                          value={against}
                          onChange={(v?: string) => setAgainst(v)}
                          options={all
                            .filter((v) => v.id !== current?.id)
                            .map((v) => ({
                              value: v.id,
                              label: `${bureaus.name(v.bureauCode)} v${v.version}`,
                            }))}
                        />
                      </Space>
                    }
                  >
                    {changes && (
                      <Table<Change>
                        rowKey="code"
                        size="small"
                        pagination={false}
                        style={{ marginBottom: 16 }}
                        dataSource={changes}
                        columns={[
                          { title: t('checklist.code'), dataIndex: 'code' },
                          {
                            title: t('common.status'),
                            dataIndex: 'kind',
                            render: (k: Change['kind']) => (
                              <Tag color={k === 'added' ? 'green' : k === 'removed' ? 'red' : 'orange'}>
                                {t(`diff.${k}`)}
                              </Tag>
                            ),
                          },
                          {
                            title: '',
                            dataIndex: 'fields',
                            render: (f: Change['fields']) =>
                              f
                                .map((x) => t(`checklist.${x === 'inspectionKinds' ? 'kinds' : x}`))
                                .join('、'),
                          },
                        ]}
                      />
                    )}
                    {editsCurrent && current && items.data ? (
                      <ItemsEditor versionId={current.id} items={items.data.items} />
                    ) : (
                      <Table<Item>
                        rowKey="code"
                        size="small"
                        loading={items.isFetching}
                        dataSource={items.data?.items ?? []}
                        pagination={{ pageSize: 30 }}
                        data-testid="checklist-items"
                        columns={[
                          { title: t('checklist.code'), dataIndex: 'code', width: 120 },
                          { title: t('checklist.subject'), dataIndex: 'subject', width: 140 },
                          { title: t('checklist.item'), dataIndex: 'item' },
                          { title: t('checklist.content'), dataIndex: 'content' },
                          { title: t('checklist.legalBasis'), dataIndex: 'legalBasis' },
                          {
                            title: t('checklist.industries'),
                            dataIndex: 'industries',
                            render: (xs: string[]) =>
                              xs.length
                                ? xs.map((x) => <Tag key={x}>{industryLabel(x, lang)}</Tag>)
                                : t('common.all'),
                          },
                        ]}
                      />
                    )}
                  </Card>
                </Col>
              </Row>
            ),
          },
          {
            key: 'effective',
            label: <span data-testid="checklist-tab-effective">{t('checklist.tab.effective')}</span>,
            children: <EffectiveView bureauCode={target} />,
          },
        ]}
      />
    </>
  );
}

type EffectiveItem = RouterOutputs['checklist']['effective']['items'][number];

/** The list in force for a bureau (R1): the city layer with the district's own published layer on top. */
function EffectiveView({ bureauCode }: { bureauCode: string }) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const bureaus = useBureaus();
  const q = useQuery(trpc.checklist.effective.queryOptions({ bureauCode }));
  const d = q.data;
  return (
    <Card>
      <ErrorAlert error={q.error} />
      <Descriptions size="small" bordered column={{ xs: 1, lg: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('common.bureau')}>{bureaus.name(bureauCode)}</Descriptions.Item>
        <Descriptions.Item label={t('checklist.layer.city')}>
          {d?.city
            ? `${t('checklist.version')} ${d.city.version} · ${(d.city.digest ?? '').slice(0, 12)}…`
            : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('checklist.layer.district')}>
          {d?.district
            ? `${t('checklist.version')} ${d.district.version} · ${(d.district.digest ?? '').slice(0, 12)}…`
            : t('common.none')}
        </Descriptions.Item>
      </Descriptions>
      <Table<EffectiveItem>
        rowKey="code"
        size="small"
        loading={q.isFetching}
        dataSource={d?.items ?? []}
        pagination={{ pageSize: 30 }}
        data-testid="checklist-effective"
        columns={[
          {
            title: t('checklist.layer'),
            dataIndex: 'layer',
            width: 130,
            render: (l: 'city' | 'district', r) => (
              <Space size={4}>
                <Tag color={l === 'city' ? 'blue' : 'green'}>{t(`checklist.layer.${l}`)}</Tag>
                {r.overrides && <Tag color="orange">{t('checklist.overrides')}</Tag>}
              </Space>
            ),
          },
          { title: t('checklist.code'), dataIndex: 'code', width: 120 },
          { title: t('checklist.subject'), dataIndex: 'subject', width: 140 },
          { title: t('checklist.item'), dataIndex: 'item' },
          { title: t('checklist.content'), dataIndex: 'content' },
          { title: t('checklist.legalBasis'), dataIndex: 'legalBasis' },
          {
            title: t('checklist.industries'),
            dataIndex: 'industries',
            render: (xs: string[]) =>
              xs.length ? xs.map((x) => <Tag key={x}>{industryLabel(x, lang)}</Tag>) : t('common.all'),
          },
        ]}
      />
    </Card>
  );
}
