import { Card, Descriptions, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useBureaus } from '@spotcheck/ui/trpc';
import { DownloadButton, Loaded, Mono, Page, usePublication } from '../components/common';
import { VoidCard } from '../components/VoidCard';
import { SignatureRecordCard } from '../components/SignatureRecordCard';
import { InclusionProof } from '../components/LogProof';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { downloadName, prettyJson } from '../lib/publications';

/**
 * Any other publication (procedure, blacklist, void, signature record): its header and its
 * published JSON as is (a void and a signature record in words), so nothing published is hidden
 * behind a missing view.
 */
export default function Publication() {
  const { t, tx } = useI18n();
  const { id = '' } = useParams();
  const bureaus = useBureaus();
  const q = usePublication(id);
  return (
    <Loaded query={q}>
      {(p) => (
        <Page
          title={p.title}
          extra={
            <Space>
              <Link to="/">{t('common.back')}</Link>
              <DownloadButton filename={downloadName(p)} json={prettyJson(p.content)} />
            </Space>
          }
        >
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('bureau.label')}>{bureaus.name(p.bureauCode)}</Descriptions.Item>
            <Descriptions.Item label={t('common.title')}>{tx(`kind.${p.kind}`, p.kind)}</Descriptions.Item>
            <Descriptions.Item label={t('common.publishedAt')}>{fmtTime(p.publishedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('common.period')}>{p.period ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('common.digest')} span={2}>
              <Mono>{p.digest}</Mono>
            </Descriptions.Item>
          </Descriptions>
          {p.kind === 'void' ? (
            <VoidCard header={p} checkAtOnce />
          ) : p.kind === 'sign-off' || p.kind === 'void-sign-off' ? (
            <SignatureRecordCard
              content={p.content}
              publicationId={p.id}
              bureauCode={p.bureauCode}
              drawId={p.refId}
            />
          ) : (
            <Card>
              <Typography.Paragraph>
                <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, margin: 0 }}>
                  {prettyJson(p.content)}
                </pre>
              </Typography.Paragraph>
            </Card>
          )}
          <InclusionProof publication={p} />
        </Page>
      )}
    </Loaded>
  );
}
