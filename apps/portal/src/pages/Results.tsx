import { Select, Space } from 'antd';
import { useSearchParams } from 'react-router';
import { Loaded, Page, PublicationTable, usePublications } from '../components/common';
import { useI18n } from '../i18n';

/** 季度检查结果: each quarter's published results (R15), redacted (R16); `?period=` in the URL. */
export default function Results() {
  const { t } = useI18n();
  const q = usePublications('quarterly-results');
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? '';
  const periods = [...new Set((q.data ?? []).map((p) => p.period).filter((p): p is string => !!p))]
    .sort()
    .reverse();
  return (
    <Page
      title={t('results.title')}
      intro={t('results.intro')}
      extra={
        <Space>
          {t('results.period')}
          <Select
            data-testid="period-picker"
            style={{ width: 140 }}
            value={period}
            onChange={(v) =>
              setParams((p) => {
                if (v) p.set('period', v);
                else p.delete('period');
                return p;
              })
            }
            options={[
              { value: '', label: t('results.allPeriods') },
              ...periods.map((p) => ({ value: p, label: p })),
            ]}
          />
        </Space>
      }
    >
      <Loaded query={q}>
        {(rows) => (
          <PublicationTable
            rows={period ? rows.filter((r) => r.period === period) : rows}
            testId="results-table"
          />
        )}
      </Loaded>
    </Page>
  );
}
