import { useQuery } from '@tanstack/react-query';
import { Button, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import type { RouterOutputs } from '../../lib/types';
import { fmtRatio } from '../../lib/format';
import type { PackVersion } from './RulePacks';

type Diff = RouterOutputs['rulePacks']['diff'];
type Changed = Diff['rows'][number];
type Brief = Changed['from'];

const briefText = (b: Brief) =>
  `${b.stratum}${b.mandatory ? ' ★' : ''} · ${fmtRatio(b.ratio)} · ${b.minPerYear}–${b.maxPerYear ?? '∞'}`;

/** Which units change between another version (from) and this one (to). */
export function DiffPanel({ version, all }: { version: PackVersion; all: PackVersion[] }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const bureaus = useBureaus();
  const others = all.filter((v) => v.id !== version.id);
  const [fromId, setFromId] = useState<string | undefined>(
    others.find((v) => v.packId === version.packId)?.id ?? others[0]?.id,
  );
  const q = useQuery({
    ...trpc.rulePacks.diff.queryOptions({ fromId: fromId ?? '', toId: version.id }),
    enabled: false,
  });
  const d = q.data;
  return (
    <>
      <Space wrap>
        <Typography.Text>{t('rulePack.diffFrom')}</Typography.Text>
        <Select
          style={{ width: 280 }}
          value={fromId}
          onChange={setFromId}
          options={others.map((v) => ({
            value: v.id,
            label: `${v.packId}@${v.version} (${t(`version.${v.status}`)})`,
          }))}
          data-testid="diff-from"
        />
        <Typography.Text>{`→ ${version.packId}@${version.version}`}</Typography.Text>
        <Button
          type="primary"
          disabled={!fromId}
          loading={q.isFetching}
          onClick={() => void q.refetch()}
          data-testid="diff-run"
        >
          {t('rulePack.diffRun')}
        </Button>
      </Space>
      <ErrorAlert error={q.error} />
      {d && (
        <div style={{ marginTop: 16 }} data-testid="diff-result">
          <Row gutter={16} style={{ marginBottom: 12 }}>
            <Col span={4}>
              <Statistic title={t('rulePack.diff.units')} value={d.units} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.diff.changed')} value={d.changedUnits} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.diff.stratum')} value={d.stratumChanged} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.diff.becameMandatory')} value={d.becameMandatory} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.diff.noLongerMandatory')} value={d.noLongerMandatory} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.diff.ratio')} value={d.ratioChanged} />
            </Col>
          </Row>
          {d.transitions.length > 0 && (
            <Table
              rowKey={(r) => `${r.from}>${r.to}`}
              size="small"
              pagination={false}
              style={{ marginBottom: 12 }}
              dataSource={[...d.transitions]}
              columns={[
                {
                  title: t('rulePack.diff.transition'),
                  key: 'tr',
                  render: (_: unknown, r) => (
                    <>
                      <Tag>{r.from}</Tag>→<Tag color="purple">{r.to}</Tag>
                    </>
                  ),
                },
                { title: t('rulePack.diff.units'), dataIndex: 'units', width: 100 },
              ]}
            />
          )}
          <Table<Changed>
            rowKey="unitId"
            size="small"
            dataSource={d.rows}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              {
                title: t('unit.id'),
                dataIndex: 'unitId',
                width: 190,
                render: (id: string) => <Link to={`/rosters/units/${id}`}>{id}</Link>,
              },
              { title: t('unit.name'), dataIndex: 'name' },
              {
                title: t('common.bureau'),
                dataIndex: 'bureauCode',
                width: 110,
                render: (c: string) => bureaus.name(c),
              },
              { title: t('rulePack.diff.before'), dataIndex: 'from', render: (b: Brief) => briefText(b) },
              {
                title: t('rulePack.diff.after'),
                dataIndex: 'to',
                render: (b: Brief) => <Typography.Text strong>{briefText(b)}</Typography.Text>,
              },
            ]}
          />
        </div>
      )}
    </>
  );
}
