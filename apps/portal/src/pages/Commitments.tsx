import { Page, Loaded, PublicationTable, usePublications } from '../components/common';
import { useI18n } from '../i18n';

/** 抽查计划与承诺: commitments published before any randomness exists. */
export default function Commitments() {
  const { t } = useI18n();
  const q = usePublications('commitment');
  return (
    <Page title={t('commitments.title')} intro={t('commitments.intro')}>
      <Loaded query={q}>{(rows) => <PublicationTable rows={rows} testId="commitments-table" />}</Loaded>
    </Page>
  );
}
