import { Alert, Descriptions, Table, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/common';
import { stratumName } from '@spotcheck/core';
import { useI18n } from '../../i18n';
import { fmtRatio } from '../../lib/format';
import { specialtyLabel } from '../../lib/labels';
import { usePackLabel } from '../../lib/packs';
import type { RouterOutputs } from '../../lib/types';
import { ruleText } from '../rulePacks/caseText';
import { Notice } from '@spotcheck/ui/notice';

type Preview = RouterOutputs['plans']['preview'];
type Stratum = Preview['strata'][number];
type Problem = Preview['feasibility']['problems'][number];

/** Where a stratum's quota comes from, in words. */
function sourceText(s: Stratum, t: ReturnType<typeof useI18n>['t']): string {
  return t('plan.preview.source', { kind: t(`plan.preview.source.${s.source.kind}`) });
}

/**
 * What approval would freeze (`plans.preview`, nothing written): strata with quotas and their
 * source, frame size, mandatory units, inspectors, and the feasibility check with each failing
 * unit and why.
 */
export function PlanPreview({ data, error, loading }: { data?: Preview; error: unknown; loading: boolean }) {
  const { t, lang } = useI18n();
  const packLabel = usePackLabel();
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Typography.Text type="secondary">{loading ? t('common.loading') : ''}</Typography.Text>;
  const f = data.feasibility;
  return (
    <div data-testid="plan-preview">
      <Descriptions size="small" bordered column={{ xs: 1, lg: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('plan.preview.roster')}>{data.roster}</Descriptions.Item>
        <Descriptions.Item label={t('plan.preview.frame')}>{data.frameSize}</Descriptions.Item>
        <Descriptions.Item label={t('plan.preview.mandatory')}>
          {`${data.mandatory.units} / ${data.mandatory.inFrame}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.preview.inspectors')}>
          {`${data.inspectors.active} · ${t('plan.preview.capacity')} ${data.inspectors.capacity}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('draw.rulePack')} span={2}>
          {data.rulePacks.map((p) => (
            <Tag key={p.id}>{packLabel(p.id, p.version)}</Tag>
          ))}
        </Descriptions.Item>
      </Descriptions>
      <Table<Stratum>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data.strata}
        style={{ marginBottom: 16 }}
        data-testid="plan-preview-strata"
        columns={[
          {
            title: t('plan.stratum'),
            dataIndex: 'id',
            width: 150,
            render: (id: string) => stratumName(id, lang),
          },
          {
            title: t('plan.stratum.method'),
            dataIndex: 'method',
            width: 100,
            render: (m: Stratum['method']) => t(`plan.method.${m}`),
          },
          { title: t('plan.preview.units'), dataIndex: 'units', width: 80 },
          { title: t('plan.preview.mandatoryShort'), dataIndex: 'mandatory', width: 80 },
          {
            title: t('plan.stratum.ratio'),
            dataIndex: 'ratio',
            width: 90,
            render: (r: string | null) => fmtRatio(r),
          },
          {
            title: t('draw.quota'),
            dataIndex: 'quota',
            width: 80,
            render: (q: number) => <Typography.Text strong>{q}</Typography.Text>,
          },
          { title: t('plan.preview.planned'), dataIndex: 'planned', width: 90 },
          {
            title: t('plan.preview.sourceCol'),
            key: 'src',
            width: 130,
            render: (_: unknown, s) => sourceText(s, t),
          },
          {
            title: t('rulePack.fired'),
            dataIndex: 'rules',
            render: (rs: string[]) =>
              rs.slice(0, 4).map((r) => <Tag key={r}>{ruleText(r, data.ruleLabels, lang)}</Tag>),
          },
        ]}
      />
      {f.ok ? (
        <Alert type="success" showIcon title={t('plan.feasibility.ok')} data-testid="plan-feasibility" />
      ) : (
        <div data-testid="plan-feasibility">
          {f.shortPools.length > 0 && (
            <Notice
              type="error"
              gap={8}
              data-testid="plan-short-pools"
              title={t('plan.preview.shortPools')}
              description={f.shortPools.map((p) => (
                <div key={p.specialty ?? ''}>
                  {t('plan.preview.shortPool', {
                    pool:
                      p.specialty === null
                        ? t('plan.preview.poolAll')
                        : t('plan.preview.poolSpecialty', { specialty: specialtyLabel(p.specialty, lang) }),
                    demand: p.demand,
                    capacity: p.capacity,
                    inspectors: p.inspectors,
                    shortfall: p.shortfall,
                  })}
                </div>
              ))}
            />
          )}
          {f.problemCount > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 8 }}
              title={t('plan.preview.infeasible', { n: f.problemCount })}
            />
          )}
          <Typography.Paragraph type="secondary">{t('plan.preview.infeasibleHint')}</Typography.Paragraph>
          {f.problemCount > 0 && (
            <Table<Problem>
              rowKey="unitId"
              size="small"
              dataSource={f.problems}
              pagination={{ pageSize: 10, showSizeChanger: false }}
              columns={[
                { title: t('unit.id'), dataIndex: 'unitId', width: 190 },
                { title: t('unit.name'), dataIndex: 'unitName' },
                { title: t('plan.preview.eligible'), dataIndex: 'eligible', width: 110 },
                {
                  title: t('plan.preview.eligibleSpecialists'),
                  dataIndex: 'eligibleSpecialists',
                  width: 110,
                },
                {
                  title: t('common.reason'),
                  dataIndex: 'reasons',
                  render: (rs: readonly string[]) => rs.map((r) => <div key={r}>{r}</div>),
                },
              ]}
            />
          )}
        </div>
      )}
    </div>
  );
}
