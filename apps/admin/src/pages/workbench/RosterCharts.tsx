import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useTRPC } from '@spotcheck/ui/trpc';
import { Chart } from '../../components/Chart';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { industryLabel } from '../../lib/labels';

const RISK_COLORS: Record<string, string> = {
  major: '#cf1322',
  high: '#fa8c16',
  medium: '#fadb14',
  low: '#1677ff',
};

/** The target roster at a glance (R4): risk grades, credit grades, flags, and the ten largest industries. */
export function RosterCharts({ bureauCode }: { bureauCode: string | undefined }) {
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const roster = useQuery(trpc.stats.roster.queryOptions({ bureauCode }));
  const industries = roster.data?.industry ?? [];
  const industryTop = [
    ...industries.slice(0, 10),
    ...(industries.length > 10
      ? [{ key: '*', units: industries.slice(10).reduce((n, r) => n + r.units, 0) }]
      : []),
  ];
  return (
    <>
      {roster.error && (
        <Col xs={24}>
          <ErrorAlert error={roster.error} />
        </Col>
      )}
      {roster.data && (
        <Col xs={24} lg={8}>
          <Card
            title={t('workbench.riskChart')}
            extra={
              <Typography.Text type="secondary">
                {t('workbench.units')} {roster.data.units}
              </Typography.Text>
            }
          >
            <Chart
              testId="chart-risk"
              option={{
                tooltip: { trigger: 'item' },
                legend: { bottom: 0 },
                series: [
                  {
                    type: 'pie',
                    radius: ['35%', '65%'],
                    center: ['50%', '45%'],
                    label: { formatter: '{c}' },
                    data: roster.data.riskGrade.map((r) => ({
                      name: tx(`risk.${r.key}`, r.key),
                      value: r.units,
                      itemStyle: { color: RISK_COLORS[r.key] ?? '#999' },
                    })),
                  },
                ],
              }}
            />
          </Card>
        </Col>
      )}
      {roster.data && (
        <Col xs={24} lg={8}>
          <Card title={t('workbench.creditChart')}>
            <Chart
              testId="chart-credit"
              option={{
                tooltip: {},
                grid: { left: 50, right: 10, top: 20, bottom: 30 },
                xAxis: {
                  type: 'category',
                  data: [...roster.data.creditGrade]
                    .sort((a, b) => a.key.localeCompare(b.key))
                    .map((c) => t('credit.grade', { g: c.key })),
                },
                yAxis: { type: 'value' },
                series: [
                  {
                    type: 'bar',
                    data: [...roster.data.creditGrade]
                      .sort((a, b) => a.key.localeCompare(b.key))
                      .map((c) => c.units),
                    itemStyle: { color: '#0f766e' },
                    label: { show: true, position: 'top' },
                  },
                ],
              }}
            />
          </Card>
        </Col>
      )}
      {roster.data && (
        <Col xs={24} lg={8}>
          <Card title={t('workbench.rosterFlags')} data-testid="roster-flags">
            <Row gutter={[8, 16]}>
              {(
                [
                  ['majorHazard', 'flag.majorHazard', '#cf1322'],
                  ['blacklisted', 'flag.blacklisted', '#000'],
                  ['jointPunishment', 'flag.jointPunishment', '#d46b08'],
                  ['keyUnit', 'flag.keyUnit', '#1d4ed8'],
                ] as const
              ).map(([k, label, color]) => (
                <Col span={12} key={k}>
                  <Statistic title={t(label)} value={roster.data[k]} valueStyle={{ color }} />
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      )}
      {roster.data && (
        <Col xs={24}>
          <Card title={t('workbench.industryTop')}>
            <Chart
              testId="chart-industry"
              height={300}
              option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 160, right: 40, top: 10, bottom: 20 },
                xAxis: { type: 'value' },
                yAxis: {
                  type: 'category',
                  inverse: true,
                  data: industryTop.map((r) =>
                    r.key === '*' ? t('common.other') : industryLabel(r.key, lang),
                  ),
                },
                series: [
                  {
                    type: 'bar',
                    data: industryTop.map((r) => r.units),
                    itemStyle: { color: '#1d4ed8' },
                    label: { show: true, position: 'right' },
                  },
                ],
              }}
            />
          </Card>
        </Col>
      )}
    </>
  );
}
