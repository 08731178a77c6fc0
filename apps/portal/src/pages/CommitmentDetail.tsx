import { Card, Space } from 'antd';
import { Link, useParams } from 'react-router';
import { DownloadButton, Loaded, Page, usePublication } from '../components/common';
import { useI18n } from '../i18n';
import { downloadName, commitmentFacts, prettyJson } from '../lib/publications';
import { CommitmentView } from '../components/CommitmentView';
import { InclusionProof } from '../components/LogProof';

/** One commitment: its key facts, re-checked here, and the full JSON to download. */
export default function CommitmentDetail() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const q = usePublication(id);
  return (
    <Loaded query={q}>
      {(p) => (
        <Page
          title={p.title}
          extra={
            <Space>
              <Link to="/commitments">{t('common.back')}</Link>
              <DownloadButton
                filename={downloadName(p)}
                json={prettyJson(p.content)}
                label={t('commitment.download')}
                testId="commitment-download"
              />
            </Space>
          }
          intro={t('commitments.intro')}
        >
          <Card>
            <CommitmentView facts={commitmentFacts(p.content)} />
          </Card>
          <InclusionProof publication={p} />
        </Page>
      )}
    </Loaded>
  );
}
