import { Loaded, Page, PublicationTable, usePublications } from '../components/common';
import { useI18n } from '../i18n';

/** 黑名单: blacklist publications of the bureau, where any were published (R18). */
export default function Blacklist() {
  const { t } = useI18n();
  const q = usePublications('blacklist');
  return (
    <Page title={t('blacklist.title')} intro={t('blacklist.intro')}>
      <Loaded query={q}>{(rows) => <PublicationTable rows={rows} testId="blacklist-table" />}</Loaded>
    </Page>
  );
}
