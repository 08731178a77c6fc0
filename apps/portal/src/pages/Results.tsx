import { Loaded, Page, PublicationTable, usePublications } from '../components/common';
import { useI18n } from '../i18n';

/** 季度检查结果: each quarter's published results (R15), redacted (R16). */
export default function Results() {
  const { t } = useI18n();
  const q = usePublications('quarterly-results');
  return (
    <Page title={t('results.title')} intro={t('results.intro')}>
      <Loaded query={q}>{(rows) => <PublicationTable rows={rows} testId="results-table" />}</Loaded>
    </Page>
  );
}
