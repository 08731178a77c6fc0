import { useQuery } from '@tanstack/react-query';
import { Button, Col, InputNumber, Row, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { Chart } from '../../components/Chart';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { useTRPC } from '../../trpc';
import type { PackVersion } from './RulePacks';

/** A year of the bureau's units under this version against its inspector capacity (B4), as a chart. */
export function SimulatePanel({ version }: { version: PackVersion }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [year, setYear] = useState(new Date().getFullYear());
  const [teamSize, setTeamSize] = useState(2);
  const q = useQuery({
    ...trpc.rulePacks.simulate.queryOptions({ id: version.id, year, teamSize }),
    enabled: false,
  });
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
        </div>
      )}
    </>
  );
}
