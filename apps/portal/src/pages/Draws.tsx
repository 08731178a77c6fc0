import { Empty, Tag, Typography } from 'antd';
import { Loaded, Page, PublicationTable, usePublications } from '../components/common';
import { VoidCard } from '../components/VoidCard';
import { useI18n } from '../i18n';
import { voidedDrawIds } from '../lib/publications';

/** 抽取结果: signed draws, and every voided attempt with its reason and approvers (B2). */
export default function Draws() {
  const { t } = useI18n();
  const draws = usePublications('draw');
  const voids = usePublications('void');
  const voided = voidedDrawIds(voids.data ?? []);
  return (
    <Page title={t('draws.title')} intro={t('draws.intro')}>
      <Loaded query={draws}>
        {(rows) => (
          <PublicationTable
            rows={rows}
            testId="draws-table"
            extraColumn={{
              title: t('common.status'),
              render: (p) => (voided.has(p.refId) ? <Tag color="red">{t('draws.voided')}</Tag> : null),
            }}
          />
        )}
      </Loaded>
      <Typography.Title level={3} style={{ marginTop: 32 }}>
        {t('draws.voids')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('draws.voidsIntro')}</Typography.Paragraph>
      <Loaded query={voids}>
        {(rows) =>
          rows.length ? (
            rows.map((v) => <VoidCard key={v.id} header={v} />)
          ) : (
            <Empty description={t('common.none')} />
          )
        }
      </Loaded>
    </Page>
  );
}
