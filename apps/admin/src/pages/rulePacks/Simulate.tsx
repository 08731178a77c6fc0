import { useQuery } from '@tanstack/react-query';
import { Button, Col, InputNumber, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Chart } from '../../components/Chart';
import { ErrorAlert } from '../../components/common';
import { stratumName } from '@spotcheck/core';
import { useI18n } from '../../i18n';
import { fmtRatio } from '../../lib/format';
import { chinaYear } from '@spotcheck/ui/format';
import { useTRPC } from '@spotcheck/ui/trpc';
import type { PackVersion } from './RulePacks';

type Pipeline = NonNullable<NonNullable<ReturnType<typeof useSimulation>['data']>['pipeline']>;
type PipelineClass = Pipeline['classes'][number];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function useSimulation(id: string, year: number, teamSize: number) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.rulePacks.simulate.queryOptions({ id, year, teamSize }), enabled: false });
}

/**
 * The same year through the real plan → draw pipeline (four quarterly frames, the engine's
 * selection with simulated randomness, rolled back): per ratio class the rule ratio against the
 * share drawn, and the mandatory units' yearly minimums met.
 */
function PipelineResult({ p }: { p: Pipeline }) {
  const { t, lang } = useI18n();
  return (
    <div style={{ marginTop: 24 }} data-testid="simulate-pipeline">
      <Typography.Title level={5}>{t('rulePack.sim.pipeline')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('rulePack.sim.pipelineHint', {
          quarters: p.quarters.map((q) => `${q.period.slice(-2)} ${q.selected}`).join('，'),
          seed: p.seed,
        })}
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <Tag color={p.mandatory.missed.length ? 'red' : 'green'} data-testid="simulate-pipeline-mandatory">
          {t('rulePack.sim.pipelineMandatory', { met: p.mandatory.met, units: p.mandatory.units })}
        </Tag>
      </Space>
      <Table<PipelineClass>
        rowKey={(c) => `${c.pack} ${c.stratum} ${c.ratio}`}
        size="small"
        pagination={false}
        dataSource={p.classes}
        data-testid="simulate-pipeline-classes"
        columns={[
          { title: t('plan.stratum'), dataIndex: 'stratum', render: (id: string) => stratumName(id, lang) },
          { title: t('plan.stratum.ratio'), dataIndex: 'ratio', width: 90, render: fmtRatio },
          { title: t('rulePack.sim.classUnits'), dataIndex: 'units', width: 90 },
          { title: t('rulePack.sim.classDrawn'), dataIndex: 'drawn', width: 90 },
          { title: t('rulePack.sim.achieved'), dataIndex: 'achievedShare', width: 100, render: pct },
          {
            title: t('rulePack.sim.z'),
            dataIndex: 'z',
            width: 110,
            render: (z: number) => <Tag color={Math.abs(z) <= 3 ? 'green' : 'red'}>{z.toFixed(2)}</Tag>,
          },
        ]}
      />
    </div>
  );
}

/** A year of the bureau's units under this version against its inspector capacity (B4), as a chart. */
export function SimulatePanel({ version }: { version: PackVersion }) {
  const { t } = useI18n();
  const [year, setYear] = useState(chinaYear());
  const [teamSize, setTeamSize] = useState(2);
  const q = useSimulation(version.id, year, teamSize);
  const s = q.data;
  const quarters = s?.quarters ?? [];
  const sum = (qs: (typeof quarters)[number], k: 'floor' | 'sampled' | 'sampleQuota') =>
    qs.strata.reduce((n, x) => n + x[k], 0);
  return (
    <>
      <Space wrap>
        <span>{t('rulePack.sim.year')}</span>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <span>{t('plan.team.size')}</span>
        <InputNumber min={2} max={10} value={teamSize} onChange={(v) => v && setTeamSize(v)} />
        <Button
          type="primary"
          loading={q.isFetching}
          onClick={() => void q.refetch()}
          data-testid="simulate-run"
        >
          {t('rulePack.sim.run')}
        </Button>
      </Space>
      <ErrorAlert error={q.error} />
      {s && (
        <div style={{ marginTop: 16 }} data-testid="simulate-result">
          <Row gutter={16} style={{ marginBottom: 12 }}>
            <Col span={4}>
              <Statistic title={t('rulePack.sim.units')} value={s.units} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.sim.mandatory')} value={s.mandatoryUnits} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.sim.floor')} value={s.floorInspections} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.sim.sample')} value={s.sampleInspections} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.sim.capacity')} value={s.capacityPerQuarter} />
            </Col>
            <Col span={4}>
              <Statistic title={t('rulePack.sim.coverage')} value={s.mandatoryCoverage} />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary">
            {t('rulePack.sim.capacityHint', {
              inspectors: s.inspectors,
              slots: s.inspectorSlotsPerQuarter,
              team: s.teamSize,
            })}
          </Typography.Paragraph>
          <Chart
            testId="simulate-chart"
            height={320}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 50, right: 20, top: 48, bottom: 30 },
              xAxis: { type: 'category', data: quarters.map((x) => `Q${x.quarter}`) },
              yAxis: { type: 'value' },
              series: [
                {
                  name: t('rulePack.sim.floor'),
                  type: 'bar',
                  stack: 'load',
                  data: quarters.map((x) => sum(x, 'floor')),
                },
                {
                  name: t('rulePack.sim.sampled'),
                  type: 'bar',
                  stack: 'load',
                  data: quarters.map((x) => sum(x, 'sampled')),
                },
                {
                  name: t('rulePack.sim.missed'),
                  type: 'bar',
                  stack: 'load',
                  itemStyle: { color: '#cf1322' },
                  data: quarters.map((x) => x.floorMissed),
                },
                {
                  name: t('rulePack.sim.sampleQuota'),
                  type: 'line',
                  data: quarters.map((x) => sum(x, 'sampleQuota') + sum(x, 'floor')),
                },
                {
                  name: t('rulePack.sim.capacity'),
                  type: 'line',
                  lineStyle: { type: 'dashed' },
                  data: quarters.map((x) => x.capacity),
                },
              ],
            }}
          />
          {s.pipeline ? (
            <PipelineResult p={s.pipeline} />
          ) : (
            <Typography.Paragraph
              type="secondary"
              style={{ marginTop: 24 }}
              data-testid="simulate-pipeline-none"
            >
              {t('rulePack.sim.pipelineNone')}
            </Typography.Paragraph>
          )}
        </div>
      )}
    </>
  );
}
