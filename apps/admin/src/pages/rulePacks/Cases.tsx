import { useQuery } from '@tanstack/react-query';
import { Button, Space, Statistic, Table, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import type { RouterOutputs } from '../../lib/types';
import { useTRPC } from '@spotcheck/ui/trpc';
import { caseDiffText, ruleText } from './caseText';
import type { PackVersion } from './RulePacks';
import { Notice } from '@spotcheck/ui/notice';

type CaseRow = RouterOutputs['rulePacks']['runCases']['results'][number];

/** Runs a version's own cases (facts in → expected classification) and names uncovered rules. */
export function CasesPanel({ version }: { version: PackVersion }) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const run = useQuery({ ...trpc.rulePacks.runCases.queryOptions({ id: version.id }), enabled: false });
  const r = run.data;
  return (
    <>
      <Button
        type="primary"
        loading={run.isFetching}
        onClick={() => void run.refetch()}
        data-testid="rule-pack-run-cases"
      >
        {t('rulePack.runCases')}
      </Button>
      <ErrorAlert error={run.error} />
      {r && (
        <div style={{ marginTop: 16 }} data-testid="rule-pack-cases">
          <Space size="large" style={{ marginBottom: 12 }}>
            <Statistic title={t('rulePack.passed')} value={r.passed} valueStyle={{ color: '#389e0d' }} />
            <Statistic
              title={t('rulePack.failed')}
              value={r.failed}
              valueStyle={r.failed ? { color: '#cf1322' } : undefined}
            />
          </Space>
          {r.uncoveredRules.length > 0 && (
            <Notice
              type="warning"
              title={t('rulePack.uncovered')}
              description={r.uncoveredRules.map((x) => (
                <Tag key={String(x)}>{ruleText(String(x), r.ruleLabels, lang)}</Tag>
              ))}
            />
          )}
          <Table<CaseRow>
            rowKey={(c) => `${c.file}:${c.name}`}
            size="small"
            pagination={false}
            dataSource={r.results}
            columns={[
              {
                title: t('common.status'),
                dataIndex: 'passed',
                width: 80,
                render: (p: boolean) => (
                  <Tag color={p ? 'green' : 'red'}>{p ? t('rulePack.pass') : t('rulePack.fail')}</Tag>
                ),
              },
              { title: t('rulePack.file'), dataIndex: 'file', width: 200 },
              { title: t('rulePack.case'), dataIndex: 'name' },
              {
                title: t('rulePack.mismatches'),
                dataIndex: 'diffs',
                render: (ds: CaseRow['diffs']) =>
                  ds.map((d) => (
                    <div key={d.field}>
                      <Typography.Text type="danger">{caseDiffText(d, r.ruleLabels, lang)}</Typography.Text>
                    </div>
                  )),
              },
            ]}
          />
        </div>
      )}
    </>
  );
}
