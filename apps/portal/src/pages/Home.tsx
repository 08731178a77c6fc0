import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Col, Empty, Row } from 'antd';
import { Link } from 'react-router';
import { useBureau } from '../bureau';
import { useBureaus } from '@spotcheck/ui/trpc';
import { Page } from '../components/Page';
import { LinkRows, Panel } from '@spotcheck/ui/plain';
import { usePublications } from '../components/queries';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { linkFor } from '../lib/links';
import type { PublicationKind } from '../lib/publications';

const SECTIONS: { kind: PublicationKind; more: string }[] = [
  { kind: 'checklist', more: '/checklist' },
  { kind: 'commitment', more: '/commitments' },
  { kind: 'draw', more: '/draws' },
  { kind: 'void', more: '/draws' },
  { kind: 'quarterly-results', more: '/results' },
  { kind: 'blacklist', more: '/blacklist' },
  { kind: 'procedure', more: '' },
];

function Latest({ kind, more }: { kind: PublicationKind; more: string }) {
  const { t, tx } = useI18n();
  const q = usePublications(kind, 5);
  return (
    <Panel
      title={tx(`kind.${kind}`)}
      data-testid={`home-${kind}`}
      extra={more ? <Link to={more}>{t('common.more')}</Link> : null}
      style={{ height: '100%' }}
    >
      {q.data && !q.data.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} />
      ) : (
        <LinkRows
          loading={q.isPending}
          rows={q.data ?? []}
          render={(p) => ({
            key: p.id,
            link: <Link to={linkFor(p)}>{p.title}</Link>,
            note: fmtTime(p.publishedAt).slice(0, 10),
          })}
        />
      )}
    </Panel>
  );
}

/** Home: the chosen bureau's latest publications by kind. */
export default function Home() {
  const { t } = useI18n();
  const { code } = useBureau();
  const bureaus = useBureaus();
  return (
    <Page
      title={`${bureaus.name(code)} · ${t('home.title')}`}
      intro={t('home.intro')}
      extra={
        <Link to="/verify">
          <Button type="primary" icon={<SafetyCertificateOutlined />}>
            {t('home.verifyCta')}
          </Button>
        </Link>
      }
    >
      <Row gutter={[16, 16]}>
        {SECTIONS.map((s) => (
          <Col key={s.kind} xs={24} md={12} xl={8}>
            <Latest kind={s.kind} more={s.more} />
          </Col>
        ))}
      </Row>
    </Page>
  );
}
