import { Card, Space } from 'antd';
import { Link, useParams } from 'react-router';
import { DownloadButton, Loaded, Page, usePublication } from '../components/common';
import { useI18n } from '../i18n';
import { downloadName, commitmentFacts, prettyJson } from '../lib/publications';
import { CommitmentView } from '../components/CommitmentView';
import { ExclusionsCard } from '../components/v2/Exclusions';
import { RosterChangesCard } from '../components/v2/RosterChanges';

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
          {(p.content as { algorithm?: string }).algorithm === 'sr-draw/v2' && (
            <>
              {Array.isArray((p.content as { excluded?: unknown }).excluded) && (
                <ExclusionsCard
                  excluded={(p.content as { excluded: unknown }).excluded}
                  fileStem={`commitment-${p.bureauCode}-${p.id.slice(0, 8)}`}
                />
              )}
              <RosterChangesCard changes={(p.content as { rosterChanges?: unknown }).rosterChanges} />
            </>
          )}
        </Page>
      )}
    </Loaded>
  );
}
